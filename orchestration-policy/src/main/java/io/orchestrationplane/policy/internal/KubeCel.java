package io.orchestrationplane.policy.internal;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelBuilder;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import java.util.Collection;

/**
 * Builds the CEL environment Kubernetes' API server gives admission policies: standard CEL with macros,
 * optional syntax, the strings (with {@code format}), math, lists, sets and encoders extensions, {@code cel.bind}
 * and two-variable comprehensions (Kubernetes 1.33+), the
 * Kubernetes libraries of {@link KubeLibrary}, and every variable typed {@code dyn}.
 *
 * <p>The legacy (non-planner) runtime is used on purpose: it reads Java maps in place, where the planner
 * converts the whole input on each access (about 8x slower on a Pod).
 */
public final class KubeCel {
  /** Kubernetes' per-expression limit on comprehension iterations is far above any real object; this caps runaway nesting. */
  public static final int DEFAULT_COMPREHENSION_LIMIT = 1_000_000;

  private KubeCel() {}

  /**
   * A CEL environment declaring {@code variableNames} as {@code dyn}.
   *
   * @param orValueQuirk make {@code orValue()}/{@code or()} on a non-optional value return the receiver
   *     (cel-go before 0.28, hence Kubernetes up to 1.35 and Kyverno)
   */
  public static Cel build(Collection<String> variableNames, boolean orValueQuirk, int comprehensionLimit) {
    CelOptions options = CelOptions.current()
        .enableOptionalSyntax(true)
        .comprehensionMaxIterations(comprehensionLimit)
        .enableHeterogeneousNumericComparisons(true)
        .enableTimestampEpoch(true)
        .populateMacroCalls(false)
        .build();
    CelBuilder b = CelFactory.standardCelBuilder()
        .setOptions(options)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addCompilerLibraries(CelExtensions.optional(), CelExtensions.strings(), CelExtensions.math(options),
            CelExtensions.lists(), CelExtensions.sets(options), CelExtensions.encoders(options),
            CelExtensions.bindings(), CelExtensions.comprehensions())
        .addRuntimeLibraries(CelExtensions.optional(), CelExtensions.strings(), CelExtensions.math(options),
            CelExtensions.lists(), CelExtensions.sets(options), CelExtensions.encoders(options),
            CelExtensions.comprehensions());
    for (String name : variableNames) {
      b.addVar(name, SimpleType.DYN);
    }
    KubeLibrary.install(b, variableNames.contains("authorizer"), orValueQuirk);
    return b.build();
  }
}
