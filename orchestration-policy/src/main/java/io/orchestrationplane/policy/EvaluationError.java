package io.orchestrationplane.policy;

import org.jspecify.annotations.Nullable;

/**
 * A runtime error while evaluating a policy (missing key, cost budget exceeded, params not found...).
 * Under {@link FailurePolicy#FAIL} it also appears as a {@link Violation}; under IGNORE only here.
 *
 * @param field the field whose expression failed, e.g. {@code spec.validations[0].expression}
 */
public record EvaluationError(String policy, String binding, @Nullable String field, @Nullable String message,
    FailurePolicy failurePolicy) {
  @Override public String toString() {
    return policy + " " + field + ": " + message;
  }
}
