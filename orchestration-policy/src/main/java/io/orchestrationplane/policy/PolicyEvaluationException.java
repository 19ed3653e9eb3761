package io.orchestrationplane.policy;

/**
 * A CEL expression failed at runtime (missing key, no matching overload, cost budget exceeded...).
 * {@link #column()} is the 1-based column of the failing sub-expression when CEL reports it, else 0.
 */
public final class PolicyEvaluationException extends RuntimeException {
  private final String expression;
  private final int line;
  private final int column;

  public PolicyEvaluationException(String message, String expression, int line, int column, Throwable cause) {
    super(message + (column > 0 ? " (at line " + line + ", column " + column + " of '" + expression + "')"
        : " (in '" + expression + "')"), cause);
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
}
