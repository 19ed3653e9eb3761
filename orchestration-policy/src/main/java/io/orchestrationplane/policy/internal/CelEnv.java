package io.orchestrationplane.policy.internal;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelBuilder;
import dev.cel.common.types.CelType;
import dev.cel.validator.CelValidator;
import dev.cel.validator.CelValidatorFactory;
import dev.cel.validator.validators.HomogeneousLiteralValidator;
import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A compiled-once CEL environment of one Kubernetes version: the cel-java {@link Cel} and the literal validators
 * Kubernetes runs after type checking. Which library set it offers beyond the version's (Kyverno's, mutation's) is
 * chosen by whoever builds it ({@link Evaluator#environment}). Immutable and thread-safe.
 */
public record CelEnv(Cel cel, KubeCel.Environment environment, CelValidator validator) {
  /** An environment declaring {@code variableNames} as {@code dyn} (or as {@code types} says). */
  public static CelEnv of(KubeCel.Environment environment, Collection<String> variableNames,
      Map<String, CelType> types, boolean orValueQuirk, int comprehensionLimit) {
    return of(environment, variableNames, types, orValueQuirk, comprehensionLimit, null);
  }

  /**
   * As {@link #of(KubeCel.Environment, Collection, Map, boolean, int)}, plus the declarations and bindings
   * {@code libraries} adds (null: none): Kyverno's libraries, mutation's {@code jsonpatch} functions.
   */
  static CelEnv of(KubeCel.Environment environment, Collection<String> variableNames, Map<String, CelType> types,
      boolean orValueQuirk, int comprehensionLimit, @Nullable Consumer<CelBuilder> libraries) {
    Cel cel = KubeCel.build(environment, variableNames, types, null, orValueQuirk, comprehensionLimit, libraries);
    // HomogeneousAggregateLiterals (every version): mixed list and map literals are compile errors, except inside
    // string.format() calls and typed object literals (a mutation's Object{...}, see StructLiterals).
    CelValidator validator = CelValidatorFactory.standardCelValidatorBuilder(cel)
        .addAstValidators(HomogeneousLiteralValidator.newInstance("format", StructLiterals.FUNCTION))
        .build();
    return new CelEnv(cel, environment, validator);
  }

  /** An environment whose variables are typed by {@code types} with object types from {@code provider}. */
  static CelEnv typed(KubeCel.Environment environment, Collection<String> variableNames, Map<String, CelType> types,
      dev.cel.common.types.CelTypeProvider provider, boolean orValueQuirk, int comprehensionLimit) {
    Cel cel = KubeCel.build(environment, variableNames, types, provider, orValueQuirk, comprehensionLimit);
    CelValidator validator = CelValidatorFactory.standardCelValidatorBuilder(cel)
        .addAstValidators(HomogeneousLiteralValidator.newInstance("format"))
        .build();
    return new CelEnv(cel, environment, validator);
  }
}
