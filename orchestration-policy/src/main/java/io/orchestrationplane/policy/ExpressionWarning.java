package io.orchestrationplane.policy;

import java.util.Objects;

/**
 * A type-checking problem of one expression, as the API server reports it in a ValidatingAdmissionPolicy's
 * {@code status.typeChecking.expressionWarnings}.
 *
 * @param fieldRef the expression's field, e.g. {@code spec.validations[0].expression}
 * @param warning per kind checked, {@code apps/v1, Kind=Deployment: } followed by the CEL compiler's errors
 */
public record ExpressionWarning(String fieldRef, String warning) {
  public ExpressionWarning {
    Objects.requireNonNull(fieldRef, "fieldRef");
    Objects.requireNonNull(warning, "warning");
  }
}
