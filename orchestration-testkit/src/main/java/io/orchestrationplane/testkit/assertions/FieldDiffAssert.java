package io.orchestrationplane.testkit.assertions;

import io.orchestrationplane.core.plan.FieldDiff;
import io.orchestrationplane.testkit.assertions.internal.Fields;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one changed field, reached through {@link ChangeAssert#withField}. Values compare
 * as JSON, numbers numerically: {@code from(2).to(3)}, {@code to("acme/api:2")}, {@code from(null)}
 * for an added field.
 */
public final class FieldDiffAssert extends AbstractAssert<FieldDiffAssert, FieldDiff> {
  private final ChangeAssert change;

  FieldDiffAssert(ChangeAssert change, FieldDiff diff) {
    super(diff, FieldDiffAssert.class);
    this.change = change;
  }

  /** The live value before the change ({@code null}: the field is added). */
  public FieldDiffAssert from(Object expected) {
    if (!Fields.matches(actual.before(), expected)) {
      change.fail("Expected " + actual.path() + " to change from " + Fields.show(expected) + ", but it changes from "
          + Fields.show(actual.before()));
    }
    return this;
  }

  /** The desired value after the change. */
  public FieldDiffAssert to(Object expected) {
    if (!Fields.matches(actual.after(), expected)) {
      change.fail("Expected " + actual.path() + " to change to " + Fields.show(expected) + ", but it changes to "
          + Fields.show(actual.after()));
    }
    return this;
  }

  /** The field is absent from the live object. */
  public FieldDiffAssert isAdded() {
    if (!actual.isAddition()) {
      change.fail("Expected " + actual.path() + " to be added, but the live object has " + Fields.show(actual.before()));
    }
    return this;
  }

  /** Another field of the same change. */
  public FieldDiffAssert withField(String path) {
    return change.withField(path);
  }

  /** Back to the change. */
  public ChangeAssert and() {
    return change;
  }
}
