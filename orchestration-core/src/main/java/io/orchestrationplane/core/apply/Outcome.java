package io.orchestrationplane.core.apply;

import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.resource.Resource;
import java.util.Objects;

/**
 * What executing one change did.
 *
 * @param change the planned change
 * @param status what happened
 * @param message why, for failures and skips (empty otherwise)
 * @param result the object as stored after an apply; {@code null} otherwise
 */
public record Outcome(Change change, Status status, String message, Resource result) {
  /** The result of one change. */
  public enum Status {
    /** Created or updated. */
    APPLIED,
    /** Deleted (or already gone). */
    DELETED,
    /** Nothing to do: the object was in sync. */
    UNCHANGED,
    /** The write failed; see the message. */
    FAILED,
    /**
     * The write was refused because the object changed or appeared since planning (a create that
     * found it there, an update or delete whose preconditions no longer held). Nothing was
     * overwritten or deleted; a new plan decides again.
     */
    CONFLICT,
    /** Not attempted because an earlier change failed. */
    SKIPPED,
    /** Not attempted yet: a component it depends on is not healthy. A later apply will try again. */
    WAITING
  }

  public Outcome {
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(status, "status");
    message = message == null ? "" : message;
  }

  /** True for FAILED and CONFLICT: the write did not happen. */
  public boolean isFailure() {
    return status == Status.FAILED || status == Status.CONFLICT;
  }

  /** The cluster the change was for. */
  public String cluster() {
    return change.key().cluster();
  }
}
