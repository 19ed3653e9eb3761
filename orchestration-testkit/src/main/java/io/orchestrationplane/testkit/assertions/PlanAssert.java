package io.orchestrationplane.testkit.assertions;

import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.plan.PlanProblem;
import io.orchestrationplane.testkit.assertions.internal.KindNames;
import io.orchestrationplane.testkit.golden.Goldens;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link Plan}; a failure prints the plan's {@code toText()}.
 *
 * <pre>{@code
 * assertThat(plan).hasCreates(2).hasUpdates(1)
 *     .hasChange("Deployment", "shop/api").isUpdate().withField("spec.replicas").from(2).to(3);
 * }</pre>
 */
public final class PlanAssert extends AbstractAssert<PlanAssert, Plan> {
  PlanAssert(Plan actual) {
    super(actual, PlanAssert.class);
  }

  /** Exactly {@code count} objects are created. */
  public PlanAssert hasCreates(int count) {
    return hasCount("creates", plan().creates(), count);
  }

  /** Exactly {@code count} objects are updated. */
  public PlanAssert hasUpdates(int count) {
    return hasCount("updates", plan().updates(), count);
  }

  /** Exactly {@code count} objects are deleted. */
  public PlanAssert hasDeletes(int count) {
    return hasCount("deletes", plan().deletes(), count);
  }

  /** Exactly {@code count} objects are left as they are. */
  public PlanAssert hasUnchanged(int count) {
    return hasCount("unchanged objects", plan().unchanged(), count);
  }

  /** The plan writes nothing. */
  public PlanAssert hasNoChanges() {
    isNotNull();
    if (actual.hasChanges()) {
      fail("Expected a plan without changes, but it has " + actual.summary());
    }
    return this;
  }

  /** The plan writes nothing (same as {@link #hasNoChanges()}). */
  public PlanAssert isEmpty() {
    return hasNoChanges();
  }

  /** The plan writes something. */
  public PlanAssert hasChanges() {
    isNotNull();
    if (!actual.hasChanges()) {
      fail("Expected a plan with changes, but it has none");
    }
    return this;
  }

  /** The plan found no problems (unreachable clusters, foreign objects). */
  public PlanAssert hasNoProblems() {
    isNotNull();
    if (!actual.problems().isEmpty()) {
      fail("Expected a plan without problems, but it has " + actual.problems().size());
    }
    return this;
  }

  /** Some problem's text contains {@code text}. */
  public PlanAssert hasProblemContaining(String text) {
    isNotNull();
    if (actual.problems().stream().map(PlanProblem::toString).noneMatch(p -> p.contains(text))) {
      fail("Expected a plan problem containing \"" + text + "\"");
    }
    return this;
  }

  /**
   * The plan writes the object of {@code kind} ({@code "Deployment"} or {@code "apps/Deployment"})
   * named {@code namespacedName} ({@code "shop/api"}) in some cluster; continue on that change.
   */
  public ChangeAssert hasChange(String kind, String namespacedName) {
    isNotNull();
    Optional<Change> change = find(kind, namespacedName);
    if (change.isEmpty()) {
      fail("Expected the plan to change " + kind + " " + namespacedName + ", but it does not cover it");
    } else if (!change.get().isWrite()) {
      fail("Expected the plan to change " + kind + " " + namespacedName + ", but it leaves it unchanged");
    }
    return new ChangeAssert(this, actual, change.get());
  }

  /** The plan does not write that object (it is absent from the plan or unchanged). */
  public PlanAssert hasNoChange(String kind, String namespacedName) {
    isNotNull();
    Optional<Change> change = find(kind, namespacedName);
    if (change.isPresent() && change.get().isWrite()) {
      fail("Expected the plan to leave " + kind + " " + namespacedName + " alone, but it has a "
          + change.get().type());
    }
    return this;
  }

  /** The plan's {@code toText()} equals the golden file (see {@link Goldens}). */
  public PlanAssert matchesGolden(String path) {
    isNotNull();
    Goldens.assertMatches(path, actual.toText());
    return this;
  }

  private Plan plan() {
    isNotNull();
    return actual;
  }

  void fail(String message) {
    failWithMessage("%s", message + "\n" + actual.toText());
  }

  private Optional<Change> find(String kind, String namespacedName) {
    return actual.changes().stream()
        .filter(c -> KindNames.sameKind(kind, c.key()) && c.key().namespacedName().equals(namespacedName))
        .findFirst();
  }

  private PlanAssert hasCount(String what, List<Change> changes, int expected) {
    if (changes.size() != expected) {
      fail("Expected the plan to have " + expected + " " + what + ", but it has " + changes.size());
    }
    return this;
  }
}
