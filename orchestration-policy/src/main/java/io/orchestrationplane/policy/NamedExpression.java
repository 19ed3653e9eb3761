package io.orchestrationplane.policy;

import java.util.Objects;

/**
 * A named CEL expression: a policy variable (read as {@code variables.name}), a match condition,
 * or an audit annotation (name = key, expression = value expression).
 */
public record NamedExpression(String name, String expression) {
  public NamedExpression {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(expression, "expression");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank (expression '" + expression + "')");
    }
  }
}
