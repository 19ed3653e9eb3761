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

  /** The same environment with more (typed) variables, for type checking. */
  public CelEnv extend(Map<String, CelType> variables) {
    var b = cel.toCelBuilder();
    variables.forEach(b::addVar);
    Cel extended = b.build();
    return new CelEnv(extended, environment, CelValidatorFactory.standardCelValidatorBuilder(extended)
        .addAstValidators(HomogeneousLiteralValidator.newInstance("format")).build());
  }
}
