package io.orchestrationplane.policy;

import org.jspecify.annotations.Nullable;

/**
 * A CEL expression failed at runtime (missing key, no matching overload, cost limit exceeded...). The message is
 * what the Kubernetes API server reports for the same failure (e.g. {@code no such key: replicas}); the position
 * of the failing sub-expression is beside it: {@link #line()}, {@link #column()} and {@link #expression()}.
 */
public final class PolicyEvaluationException extends RuntimeException {
  private final String expression;
  private final int line;
  private final int column;

  public PolicyEvaluationException(@Nullable String message, String expression, int line, int column, @Nullable Throwable cause) {
    super(message, cause);
    this.expression = expression;
    this.line = line;
    this.column = column;
  }

  /** The expression that failed. */
  public String expression() { return expression; }

  /** 1-based line in the expression, 0 when unknown. */
  public int line() { return line; }

  /** 1-based column in the expression, 0 when unknown. */
  public int column() { return column; }

  /** The message with its position, e.g. {@code no such key: x (at line 1, column 7 of 'object.x')}. */
  @Override public String toString() {
    return getMessage() + (column > 0 ? " (at line " + line + ", column " + column + " of '" + expression + "')"
        : " (in '" + expression + "')");
  }
}
