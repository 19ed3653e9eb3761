package io.orchestrationplane.policy;

import java.util.List;

/**
 * Expressions that do not compile. Each {@link Problem} names the policy, the field
 * ({@code spec.validations[2].expression}), and the 1-based line and column.
 */
public final class PolicyCompileException extends IllegalArgumentException {
  /** One compile error. {@code policy} is empty for a standalone {@link CelExpression}. */
  public record Problem(String policy, String field, int line, int column, String message) {
    @Override public String toString() {
      return (policy.isEmpty() ? "" : "policy " + policy + ": ") + (field.isEmpty() ? "" : field + ": ")
          + "line " + line + ", column " + column + ": " + message;
    }
  }

  private final List<Problem> problems;

  public PolicyCompileException(List<Problem> problems) {
    super(problems.size() + " CEL compile error(s):\n  "
        + String.join("\n  ", problems.stream().map(Problem::toString).toList()));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, not only the first. */
  public List<Problem> problems() { return problems; }
}
