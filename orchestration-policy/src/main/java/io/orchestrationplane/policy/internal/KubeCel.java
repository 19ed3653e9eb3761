package io.orchestrationplane.policy.internal;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelBuilder;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelListsExtensions;
import dev.cel.extensions.CelStringExtensions;
import dev.cel.parser.CelStandardMacro;
import io.orchestrationplane.policy.CelExtension;
import io.orchestrationplane.policy.KubernetesVersion;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds the CEL environment a Kubernetes API server of one version gives admission policies (the versioned base
 * environment of {@code k8s.io/apiserver/pkg/cel/environment}): standard CEL with macros, the strings extension
 * (version 0 before 1.29, version 2 from 1.29), Kubernetes' lists, regex and URL libraries, then authorizer (1.27),
 * optional types, cross-type numeric comparisons and quantity (1.28), literal validators and sets (1.29), IP and
 * CIDR (1.30), named formats (1.31), two-variable comprehensions (1.32), semver (1.33) and the lists extension
 * (1.34); plus any {@link CelExtension} asked for. Every variable is typed {@code dyn} unless a type is given.
 *
 * <p>The legacy (non-planner) runtime is used on purpose: it reads Java maps in place, where the planner
 * converts the whole input on each access (about 8x slower on a Pod).
 */
public final class KubeCel {
  /** Standard overloads that KubeLibrary binds instead, with cel-go's behaviour. */
  private static final Set<Object> ENGINE_BOUND = Set.of(
      dev.cel.runtime.standard.DoubleFunction.DoubleOverload.STRING_TO_DOUBLE,
      dev.cel.runtime.standard.BoolFunction.BoolOverload.STRING_TO_BOOL,
      dev.cel.runtime.standard.StringFunction.StringOverload.DOUBLE_TO_STRING,
      dev.cel.runtime.standard.StringFunction.StringOverload.DURATION_TO_STRING,
      dev.cel.runtime.standard.StringFunction.StringOverload.TIMESTAMP_TO_STRING,
      dev.cel.runtime.standard.GetMillisecondsFunction.GetMillisecondsOverload.DURATION_TO_MILLISECONDS,
      dev.cel.runtime.standard.DurationFunction.DurationOverload.STRING_TO_DURATION,
      dev.cel.runtime.standard.IntFunction.IntOverload.UINT64_TO_INT64,
      dev.cel.runtime.standard.TimestampFunction.TimestampOverload.INT64_TO_TIMESTAMP,
      dev.cel.runtime.standard.TimestampFunction.TimestampOverload.STRING_TO_TIMESTAMP,
      dev.cel.runtime.standard.AddOperator.AddOverload.ADD_DURATION_DURATION,
      dev.cel.runtime.standard.AddOperator.AddOverload.ADD_TIMESTAMP_DURATION,
      dev.cel.runtime.standard.AddOperator.AddOverload.ADD_DURATION_TIMESTAMP,
      dev.cel.runtime.standard.SubtractOperator.SubtractOverload.SUBTRACT_DURATION_DURATION,
      dev.cel.runtime.standard.SubtractOperator.SubtractOverload.SUBTRACT_TIMESTAMP_DURATION,
      dev.cel.runtime.standard.SubtractOperator.SubtractOverload.SUBTRACT_TIMESTAMP_TIMESTAMP,
      dev.cel.runtime.standard.IndexOperator.IndexOverload.INDEX_LIST,
      dev.cel.runtime.standard.IndexOperator.IndexOverload.INDEX_MAP);

  /** The cross-type numeric comparisons (less_int64_double, ...), which Kubernetes enables from 1.28. */
  private static final java.util.regex.Pattern MIXED_COMPARISON = java.util.regex.Pattern.compile(
      "(less|less_equals|greater|greater_equals)_(int64|uint64|double)_(int64|uint64|double)");

  /** Kubernetes' per-expression limit on comprehension iterations is far above any real object; this caps runaway nesting. */
  public static final int DEFAULT_COMPREHENSION_LIMIT = 1_000_000;

  private KubeCel() {}

  /** The value of a type name expressions may use ({@code net.IP}), or null. */
  public static @Nullable Object typeIdentifier(String name) {
    return KubeLibrary.TYPE_IDENTIFIERS.get(name);
  }

  /** One environment: which Kubernetes version it reproduces and which extensions it adds. */
  public record Environment(KubernetesVersion version, Set<CelExtension> extensions) {
    public Environment {
      extensions = extensions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(extensions));
    }

    /** The newest Kubernetes version, no extension. */
    public static Environment latest() {
      return new Environment(KubernetesVersion.LATEST, Set.of());
    }

    boolean at(int minor) {
      return version.minor() >= minor;
    }
  }

  /** As {@link #build(Environment, Collection, Map, boolean, int)} with every variable {@code dyn}. */
  public static Cel build(Environment env, Collection<String> variableNames, boolean orValueQuirk,
      int comprehensionLimit) {
    return build(env, variableNames, Map.of(), orValueQuirk, comprehensionLimit);
  }

  /**
   * A CEL environment declaring {@code variableNames}, typed by {@code types} where given, else {@code dyn}.
   *
   * @param orValueQuirk make {@code orValue()}/{@code or()} on a non-optional value return the receiver
   *     (cel-go before 0.28, hence Kubernetes up to 1.35 and Kyverno)
   */
  public static Cel build(Environment env, Collection<String> variableNames, Map<String, CelType> types,
      boolean orValueQuirk, int comprehensionLimit) {
    return build(env, variableNames, types, null, orValueQuirk, comprehensionLimit);
  }

  /** As above, with object types resolved by {@code typeProvider} (for type checking against schemas). */
  static Cel build(Environment env, Collection<String> variableNames, Map<String, CelType> types,
      dev.cel.common.types.@Nullable CelTypeProvider typeProvider, boolean orValueQuirk, int comprehensionLimit) {
    return build(env, variableNames, types, typeProvider, orValueQuirk, comprehensionLimit, null);
  }

  /**
   * As above, then {@code libraries} (when not null) adds its own declarations and bindings to the builder: the
   * libraries of another engine (Kyverno's) or of another policy kind (mutation's {@code jsonpatch}).
   */
  static Cel build(Environment env, Collection<String> variableNames, Map<String, CelType> types,
      dev.cel.common.types.@Nullable CelTypeProvider typeProvider, boolean orValueQuirk, int comprehensionLimit,
      java.util.function.@Nullable Consumer<CelBuilder> libraries) {
    boolean optionals = env.at(28);
    CelOptions options = CelOptions.current()
        .enableOptionalSyntax(optionals)
        .comprehensionMaxIterations(comprehensionLimit)
        .enableHeterogeneousNumericComparisons(env.at(28))
        .enableTimestampEpoch(true)
        .populateMacroCalls(false)
        .build();
    CelBuilder b = CelFactory.standardCelBuilder()
        .setOptions(options)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        // double(string), bool(string) and string() of doubles, durations and timestamps as cel-go: KubeLibrary
        .setStandardEnvironmentEnabled(false)
        .setStandardDeclarations(dev.cel.checker.CelStandardDeclarations.newBuilder()
            .filterFunctions((function, overload) -> env.at(28)
                || !MIXED_COMPARISON.matcher(overload.celOverloadDecl().overloadId()).matches())
            .build())
        .setStandardFunctions(dev.cel.runtime.CelStandardFunctions.newBuilder().filterFunctions((function, overload) ->
            !ENGINE_BOUND.contains(overload)).build());
    // Strings: replace, join and strings.quote are bound per evaluation (KubeLibrary.METERED) so that their
    // results are charged before they are allocated; reverse is not in the Kubernetes environment.
    Set<CelStringExtensions.Function> strings = EnumSet.allOf(CelStringExtensions.Function.class);
    strings.remove(CelStringExtensions.Function.REVERSE);
    if (!env.at(29)) {
      strings.remove(CelStringExtensions.Function.QUOTE);
    }
    Set<CelStringExtensions.Function> stringsRuntime = EnumSet.copyOf(strings);
    stringsRuntime.remove(CelStringExtensions.Function.REPLACE);
    stringsRuntime.remove(CelStringExtensions.Function.JOIN);
    stringsRuntime.remove(CelStringExtensions.Function.QUOTE);
    stringsRuntime.remove(CelStringExtensions.Function.SUBSTRING); // KubeLibrary binds it with cel-go's messages
    b.addCompilerLibraries(CelExtensions.strings(strings)).addRuntimeLibraries(CelExtensions.strings(stringsRuntime));
    if (optionals) {
      b.addCompilerLibraries(CelExtensions.optional()).addRuntimeLibraries(CelExtensions.optional());
    }
    if (env.at(29)) {
      b.addCompilerLibraries(CelExtensions.sets(options)).addRuntimeLibraries(CelExtensions.sets(options));
    }
    if (env.at(32)) {
      b.addCompilerLibraries(CelExtensions.comprehensions()).addRuntimeLibraries(CelExtensions.comprehensions());
    }
    if (env.at(34)) {
      // lists.range is bound per evaluation (KubeLibrary.METERED): its result is charged before it is allocated.
      // sortBy is cel-go's macro over KubeLibrary's @sortByAssociatedKeys (typed list(T)), not cel-java's; sort is
      // KubeLibrary's too, declared for cel-go's comparable element types only (bytes included).
      Set<CelListsExtensions.Function> listsCompiler = EnumSet.allOf(CelListsExtensions.Function.class);
      listsCompiler.remove(CelListsExtensions.Function.SORT_BY);
      listsCompiler.remove(CelListsExtensions.Function.SORT);
      Set<CelListsExtensions.Function> lists = EnumSet.copyOf(listsCompiler);
      lists.remove(CelListsExtensions.Function.RANGE);
      b.addCompilerLibraries(CelExtensions.lists(listsCompiler)).addRuntimeLibraries(CelExtensions.lists(lists))
          .addMacros(KubeLibrary.SORT_BY);
    }
    if (env.extensions().contains(CelExtension.BINDINGS)) {
      b.addCompilerLibraries(CelExtensions.bindings());
    }
    if (env.extensions().contains(CelExtension.ENCODERS)) {
      b.addCompilerLibraries(CelExtensions.encoders(options)).addRuntimeLibraries(CelExtensions.encoders(options));
    }
    if (env.extensions().contains(CelExtension.MATH)) {
      b.addCompilerLibraries(CelExtensions.math(options)).addRuntimeLibraries(CelExtensions.math(options));
    }
    if (typeProvider != null) {
      b.setTypeProvider(typeProvider);
    }
    for (String name : variableNames) {
      b.addVar(name, types.getOrDefault(name, SimpleType.DYN));
    }
    KubeLibrary.install(b, env, variableNames.contains("authorizer"), orValueQuirk);
    // list[index] is KubeLibrary's (cel-go's errors); map[key] stays cel-java's, bound by its overload id alone
    // (the standard library would also bind it under the function name, which the optional library binds).
    b.addFunctionBindings(dev.cel.runtime.standard.IndexOperator.IndexOverload.INDEX_MAP.newFunctionBinding(options,
        dev.cel.runtime.RuntimeEquality.create(dev.cel.runtime.RuntimeHelpers.create(), options)));
    if (libraries != null) {
      libraries.accept(b);
    }
    return b.build();
  }
}
