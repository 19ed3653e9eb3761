package io.orchestrationplane.testkit.assertions;

import io.orchestrationplane.policy.Decision;
import io.orchestrationplane.policy.EvaluationError;
import io.orchestrationplane.policy.ValidationAction;
import io.orchestrationplane.policy.Violation;
import java.util.Locale;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a policy {@link Decision}; a failure lists every violation (policy, binding,
 * message, actions), every warning and every evaluation error, so a failing policy test reads
 * without a debugger.
 *
 * <pre>{@code
 * Decision d = engine.evaluate(AdmissionRequest.builder(Operation.CREATE).object(deployment).build());
 * assertThat(d).isDeniedBy("require-limits").hasViolationMessage("resource limits");
 * assertThat(engine.evaluate(goodRequest)).isAllowed().hasWarning("team label");
 * }</pre>
 */
public final class DecisionAssert extends AbstractAssert<DecisionAssert, Decision> {
  DecisionAssert(Decision actual) {
    super(actual, DecisionAssert.class);
  }

  /** No violation carries the Deny action (Warn and Audit violations still allow the request). */
  public DecisionAssert isAllowed() {
    isNotNull();
    if (!actual.allowed()) {
      fail("to be allowed, but it is denied");
    }
    return this;
  }

  /** At least one violation carries the Deny action. */
  public DecisionAssert isDenied() {
    isNotNull();
    if (actual.allowed()) {
      fail("to be denied, but it is allowed");
    }
    return this;
  }

  /** Denied, and (at least) one of the denying violations comes from {@code policy}. */
  public DecisionAssert isDeniedBy(String policy) {
    isDenied();
    if (actual.denials().stream().noneMatch(v -> v.policy().equals(policy))) {
      fail("to be denied by policy " + policy + ", but it is denied by "
          + actual.denials().stream().map(Violation::policy).distinct().collect(Collectors.joining(", ")));
    }
    return this;
  }

  /** A violation (of any action: Deny, Warn or Audit) has a message containing {@code text}. */
  public DecisionAssert hasViolationMessage(String text) {
    isNotNull();
    if (actual.violations().stream().noneMatch(v -> v.message().contains(text))) {
      fail("to have a violation whose message contains \"" + text + "\", but "
          + (actual.violations().isEmpty() ? "it has no violations" : "none does"));
    }
    return this;
  }

  /** A warning for the client (from a binding with the Warn action) contains {@code text}. */
  public DecisionAssert hasWarning(String text) {
    isNotNull();
    if (actual.warnings().stream().noneMatch(w -> w.contains(text))) {
      fail("to have a warning containing \"" + text + "\", but "
          + (actual.warnings().isEmpty() ? "it has no warnings" : "none does"));
    }
    return this;
  }

  /** No violations of any action and no evaluation errors. */
  public DecisionAssert hasNoViolations() {
    isNotNull();
    if (!actual.violations().isEmpty() || !actual.errors().isEmpty()) {
      fail("to have no violations and no errors");
    }
    return this;
  }

  /** Exactly {@code count} violations, of any action. */
  public DecisionAssert hasViolationCount(int count) {
    isNotNull();
    if (actual.violations().size() != count) {
      fail("to have " + count + " violation(s), but it has " + actual.violations().size());
    }
    return this;
  }

  private void fail(String expectation) {
    failWithMessage("%s", "Expected the decision " + expectation + ":\n" + describe(actual));
  }

  /** The decision as text: verdict, then one line per violation, warning and error. */
  static String describe(Decision d) {
    StringBuilder sb = new StringBuilder(d.allowed() ? "ALLOWED" : "DENIED");
    sb.append(" (").append(d.violations().size()).append(d.violations().size() == 1 ? " violation" : " violations")
        .append(", ").append(d.warnings().size()).append(d.warnings().size() == 1 ? " warning" : " warnings")
        .append(", ").append(d.errors().size()).append(d.errors().size() == 1 ? " error)" : " errors)");
    for (Violation v : d.violations()) {
      sb.append("\n  - policy ").append(v.policy()).append(", binding ").append(v.binding()).append(" [")
          .append(v.actions().stream().sorted().map(DecisionAssert::actionName).collect(Collectors.joining(",")))
          .append("]").append(v.error() ? " (evaluation error)" : "").append(": ").append(v.message());
    }
    for (String w : d.warnings()) {
      sb.append("\n  warning: ").append(w);
    }
    for (EvaluationError e : d.errors()) {
      sb.append("\n  error: policy ").append(e.policy()).append(", binding ").append(e.binding()).append(", ")
          .append(e.field()).append(": ").append(e.message());
    }
    return sb.toString();
  }

  // Deny, Warn, Audit: as the binding's validationActions spell them
  private static String actionName(ValidationAction a) {
    String n = a.name().toLowerCase(Locale.ROOT);
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }
}
