package io.orchestrationplane.testkit.assertions;

import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Condition;
import io.orchestrationplane.core.status.Phase;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on an {@link ApplicationStatus}; a failure prints the status's {@code toText()}.
 *
 * <pre>{@code
 * assertThat(plane.status(app)).isReady();
 * assertThat(plane.status(app)).isDegradedBecause("ImagePullBackOff");
 * }</pre>
 */
public final class ApplicationStatusAssert extends AbstractAssert<ApplicationStatusAssert, ApplicationStatus> {
  ApplicationStatusAssert(ApplicationStatus actual) {
    super(actual, ApplicationStatusAssert.class);
  }

  /** Phase READY: in sync and healthy. */
  public ApplicationStatusAssert isReady() {
    return hasPhase(Phase.READY);
  }

  /** Phase PROGRESSING. */
  public ApplicationStatusAssert isProgressing() {
    return hasPhase(Phase.PROGRESSING);
  }

  /** Phase DEGRADED. */
  public ApplicationStatusAssert isDegraded() {
    return hasPhase(Phase.DEGRADED);
  }

  public ApplicationStatusAssert hasPhase(Phase phase) {
    isNotNull();
    if (actual.phase() != phase) {
      fail("to be " + phase + ", but it is " + actual.phase());
    }
    return this;
  }

  /**
   * Phase DEGRADED, and the Degraded condition's reason or message (or the last error) contains
   * {@code text}.
   */
  public ApplicationStatusAssert isDegradedBecause(String text) {
    isDegraded();
    Optional<Condition> degraded = actual.condition(Condition.DEGRADED);
    boolean said = degraded.map(c -> c.reason().contains(text) || c.message().contains(text)).orElse(false)
        || actual.lastError().contains(text);
    if (!said) {
      fail("to be DEGRADED because of \"" + text + "\", but the reason is "
          + degraded.map(c -> c.reason() + ": " + c.message()).orElse("not reported"));
    }
    return this;
  }

  /** Every desired object is present and in sync, nothing waits to be pruned, and there are no problems. */
  public ApplicationStatusAssert isInSync() {
    isNotNull();
    if (!actual.isInSync()) {
      fail("to be in sync, but " + actual.outOfSync().size() + " object(s) are not");
    }
    return this;
  }

  /** The condition of that type holds. */
  public ApplicationStatusAssert hasConditionTrue(String type) {
    isNotNull();
    if (actual.condition(type).map(c -> !c.isTrue()).orElse(true)) {
      fail("to have condition " + type + "=True");
    }
    return this;
  }

  /** The status describes desired-state generation {@code generation}. */
  public ApplicationStatusAssert hasObservedGeneration(long generation) {
    isNotNull();
    if (actual.observedGeneration() != generation) {
      fail("to describe generation " + generation + ", but it describes " + actual.observedGeneration());
    }
    return this;
  }

  private void fail(String expectation) {
    failWithMessage("%s", "Expected application " + actual.application() + " " + expectation + ":\n" + actual.toText());
  }
}
