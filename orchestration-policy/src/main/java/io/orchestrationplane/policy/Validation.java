package io.orchestrationplane.policy;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One CEL validation of a policy: the request is valid when {@code expression} is true.
 *
 * @param expression CEL returning bool
 * @param message static message used when it fails; may be null
 * @param messageExpression CEL returning the message; may be null; wins over {@code message} when it yields a non-blank string
 * @param reason Kubernetes status reason (Invalid, Forbidden, Unauthorized, RequestEntityTooLarge); null means Invalid
 */
public record Validation(String expression, @Nullable String message, @Nullable String messageExpression, @Nullable String reason) {
  public Validation {
    Objects.requireNonNull(expression, "expression");
    if (expression.isBlank()) {
      throw new IllegalArgumentException("validation expression must not be blank");
    }
  }

  /** A validation with only an expression and a static message. */
  public static Validation of(String expression, String message) {
    return new Validation(expression, message, null, null);
  }
}
