package io.orchestrationplane.policy.internal;

import dev.cel.bundle.Cel;
import dev.cel.common.types.CelType;
import dev.cel.validator.CelValidator;
import dev.cel.validator.CelValidatorFactory;
import dev.cel.validator.validators.HomogeneousLiteralValidator;
import java.util.Collection;
import java.util.Map;

/**
 * A compiled-once CEL environment of one Kubernetes version: the cel-java {@link Cel} and the literal validators
 * Kubernetes runs after type checking. Immutable and thread-safe.
 */
public record CelEnv(Cel cel, KubeCel.Environment environment, CelValidator validator) {
  /** An environment declaring {@code variableNames} as {@code dyn} (or as {@code types} says). */
  public static CelEnv of(KubeCel.Environment environment, Collection<String> variableNames,
      Map<String, CelType> types, boolean orValueQuirk, int comprehensionLimit) {
    Cel cel = KubeCel.build(environment, variableNames, types, orValueQuirk, comprehensionLimit);
    // HomogeneousAggregateLiterals (every version): mixed list and map literals are compile errors, except inside
    // string.format() calls.
    CelValidator validator = CelValidatorFactory.standardCelValidatorBuilder(cel)
        .addAstValidators(HomogeneousLiteralValidator.newInstance("format"))
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
