package io.orchestrationplane.testkit.assertions;

import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.testkit.assertions.internal.KindNames;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on what executing a plan did; a failure prints every outcome.
 *
 * <pre>{@code
 * assertThat(plane.apply(app)).isComplete().hasWrites(3);
 * assertThat(result).hasFailureContaining("conflict").hasOutcome("Deployment", "shop/api", Outcome.Status.FAILED);
 * }</pre>
 */
public final class ExecutionResultAssert extends AbstractAssert<ExecutionResultAssert, ExecutionResult> {
  ExecutionResultAssert(ExecutionResult actual) {
    super(actual, ExecutionResultAssert.class);
  }

  /** No change failed (some may wait for their dependencies). */
  public ExecutionResultAssert succeeded() {
    isNotNull();
    if (!actual.succeeded()) {
      fail("to succeed, but it failed");
    }
    return this;
  }

  /** Every change was applied: none failed and none waits. */
  public ExecutionResultAssert isComplete() {
    isNotNull();
    if (!actual.isComplete()) {
      fail("to be complete, but " + (actual.succeeded() ? actual.waiting().size() + " change(s) wait" : "it failed"));
    }
    return this;
  }

  /** A change failed and its message contains {@code text}. */
  public ExecutionResultAssert hasFailureContaining(String text) {
    isNotNull();
    if (actual.failure().map(f -> !f.message().contains(text)).orElse(true)) {
      fail("to fail with a message containing \"" + text + "\"");
    }
    return this;
  }

  /** Exactly {@code count} objects were created, updated or deleted. */
  public ExecutionResultAssert hasWrites(long count) {
    isNotNull();
    if (actual.writes() != count) {
      fail("to write " + count + " object(s), but it wrote " + actual.writes());
    }
    return this;
  }

  /** Exactly {@code count} changes wait for their dependencies. */
  public ExecutionResultAssert hasWaiting(int count) {
    isNotNull();
    if (actual.waiting().size() != count) {
      fail("to hold back " + count + " change(s), but it holds back " + actual.waiting().size());
    }
    return this;
  }

  /** The change of that object ended with {@code status}. */
  public ExecutionResultAssert hasOutcome(String kind, String namespacedName, Outcome.Status status) {
    isNotNull();
    Outcome outcome = actual.outcomes().stream()
        .filter(o -> KindNames.sameKind(kind, o.change().key()) && o.change().key().namespacedName().equals(namespacedName))
        .findFirst().orElse(null);
    if (outcome == null) {
      fail("to cover " + kind + " " + namespacedName + ", but it does not");
    } else if (outcome.status() != status) {
      fail("to end " + kind + " " + namespacedName + " " + status + ", but it ended " + outcome.status());
    }
    return this;
  }

  private void fail(String expectation) {
    StringBuilder sb = new StringBuilder("Expected the execution of ").append(actual.plan().application()).append(' ')
        .append(expectation).append(":\n");
    for (Outcome o : actual.outcomes()) {
      sb.append("  ").append(o.status()).append(' ').append(o.change().type().symbol()).append(' ')
          .append(o.change().key().display()).append("  [cluster ").append(o.change().key().cluster()).append(']');
      if (!o.message().isEmpty()) {
        sb.append(": ").append(o.message());
      }
      sb.append('\n');
    }
    failWithMessage("%s", sb.toString());
  }
}
