package io.orchestrationplane.testkit.assertions;

import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.FieldDiff;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.testkit.assertions.internal.Fields;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one {@link Change} of a plan, reached through {@link PlanAssert#hasChange}; a
 * failure prints the whole plan.
 */
public final class ChangeAssert extends AbstractAssert<ChangeAssert, Change> {
  private final PlanAssert planAssert;
  private final Plan plan;

  ChangeAssert(PlanAssert planAssert, Plan plan, Change change) {
    super(change, ChangeAssert.class);
    this.planAssert = planAssert;
    this.plan = plan;
  }

  public ChangeAssert isCreate() {
    return isType(Change.Type.CREATE);
  }

  public ChangeAssert isUpdate() {
    return isType(Change.Type.UPDATE);
  }

  public ChangeAssert isDelete() {
    return isType(Change.Type.DELETE);
  }

  /** The change is for that cluster. */
  public ChangeAssert onCluster(String cluster) {
    if (!actual.key().cluster().equals(cluster)) {
      fail("Expected " + actual.key().display() + " to change on cluster " + cluster + ", but it is on "
          + actual.key().cluster());
    }
    return this;
  }

  /** The change belongs to that component. */
  public ChangeAssert ofComponent(String component) {
    if (!component.equals(actual.component())) {
      fail("Expected " + actual.key().display() + " to belong to component " + component + ", but it belongs to "
          + actual.component());
    }
    return this;
  }

  /**
   * The field at {@code path} (as the plan names it: {@code spec.replicas},
   * {@code spec.template.spec.containers[0].image}) changes; for a CREATE, the desired object has it.
   */
  public FieldDiffAssert withField(String path) {
    Optional<FieldDiff> diff = actual.diffs().stream().filter(d -> d.path().equals(path)).findFirst();
    if (diff.isPresent()) {
      return new FieldDiffAssert(this, diff.get());
    }
    if (actual.type() == Change.Type.CREATE) {
      var value = Fields.at(actual.desired().json(), path);
      if (value != null) {
        return new FieldDiffAssert(this, new FieldDiff(path, null, value));
      }
    }
    fail("Expected " + actual.type() + " of " + actual.key().display() + " to change field " + path
        + ", but it changes " + paths());
    throw new IllegalStateException("unreachable: fail() throws");
  }

  /** The change touches exactly these fields (in any order). */
  public ChangeAssert withOnlyFields(String... paths) {
    Set<String> expected = new TreeSet<>(List.of(paths));
    if (!expected.equals(paths())) {
      fail("Expected " + actual.key().display() + " to change exactly " + expected + ", but it changes " + paths());
    }
    return this;
  }

  /** Back to the plan. */
  public PlanAssert and() {
    return planAssert;
  }

  void fail(String message) {
    failWithMessage("%s", message + "\n" + plan.toText());
  }

  private Set<String> paths() {
    Set<String> out = new TreeSet<>();
    actual.diffs().forEach(d -> out.add(d.path()));
    return out;
  }

  private ChangeAssert isType(Change.Type type) {
    if (actual.type() != type) {
      fail("Expected a " + type + " of " + actual.key().display() + ", but it is a " + actual.type());
    }
    return this;
  }
}
