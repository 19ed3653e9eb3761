package io.orchestrationplane.delivery.analysis.internal;

import io.orchestrationplane.policy.CelExpression;
import io.orchestrationplane.policy.PolicyCompileException;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Metric conditions: CEL over {@code result}, compiled once per source text in policy's Kubernetes CEL environment. */
public final class Conditions {
  /** The one variable of a condition. */
  public static final String RESULT = "result";
  /** Runtime cost budget of one evaluation (as a check step's). */
  public static final long COST_BUDGET = 1_000_000L;

  private static volatile CelExpression.@Nullable Compiler compiler;

  private Conditions() {}

  /** Why {@code expression} does not compile, each naming it with line and column; empty when it does. */
  public static List<String> problems(String expression) {
    return problems(expression, expression);
  }

  /** Why {@code compiled} does not compile, each naming {@code shown} (the text before substitution) with line and column. */
  public static List<String> problems(String shown, String compiled) {
    try {
      compile(compiled);
      return List.of();
    } catch (PolicyCompileException e) {
      String as = shown.equals(compiled) ? "" : " (read as '" + compiled + "' until the run gives its arguments)";
      return e.problems().stream().map(p -> "'" + shown + "' does not compile at line " + p.line() + ", column "
          + p.column() + ": " + p.message() + as).toList();
    }
  }

  /** The compiled condition (at most 1,000 kept). */
  public static CelExpression compile(String expression) {
    return compiler().compile(expression);
  }

  private static CelExpression.Compiler compiler() {
    CelExpression.Compiler c = compiler;
    if (c == null) {
      c = CelExpression.compiler(Set.of(RESULT), COST_BUDGET).cached(1000);
      compiler = c;
    }
    return c;
  }
}
