package io.orchestrationplane.core.apply;

import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.resource.Resource;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What executing one change did.
 *
 * @param change the planned change
 * @param write what happened, as a closed set of cases
 * @param result the object as the cluster stored it after a create or update ({@code null} if the
 *     driver returned none); {@code null} for every other case
 */
public record Outcome(Change change, WriteResult write, @Nullable Resource result) {
  /** The kind of result, for filtering ({@link ExecutionResult#outcomes(Status)}). */
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
    Objects.requireNonNull(write, "write");
    boolean written = write instanceof WriteResult.Created || write instanceof WriteResult.Updated;
    if (!written && result != null) {
      throw new IllegalArgumentException("only a created or updated object carries what was stored, not " + write);
    }
  }

  /** An outcome that stored nothing: every case but {@link WriteResult.Created} and {@link WriteResult.Updated}. */
  public Outcome(Change change, WriteResult write) {
    this(change, write, null);
  }

  /** The kind of {@link #write()}. */
  public Status status() {
    if (write instanceof WriteResult.Created || write instanceof WriteResult.Updated) {
      return Status.APPLIED;
    } else if (write instanceof WriteResult.Deleted) {
      return Status.DELETED;
    } else if (write instanceof WriteResult.Unchanged) {
      return Status.UNCHANGED;
    } else if (write instanceof WriteResult.Failed) {
      return Status.FAILED;
    } else if (write instanceof WriteResult.Conflict) {
      return Status.CONFLICT;
    } else if (write instanceof WriteResult.Skipped) {
      return Status.SKIPPED;
    }
    return Status.WAITING;
  }

  /** Why, for failures, conflicts, skips and waits; empty otherwise. */
  public String message() {
    if (write instanceof WriteResult.Failed f) {
      return f.message();
    } else if (write instanceof WriteResult.Conflict c) {
      return c.message();
    } else if (write instanceof WriteResult.Skipped s) {
      return s.reason();
    } else if (write instanceof WriteResult.Waiting w) {
      return w.reason();
    }
    return "";
  }

  /** True for FAILED and CONFLICT: the write did not happen. */
  public boolean isFailure() {
    return write.isFailure();
  }

  /** The cluster the change was for. */
  public String cluster() {
    return change.key().cluster();
  }

  /**
   * One line for people: {@code prod: Deployment shop/api created} or {@code prod: Deployment
   * shop/web waiting: waits for api: 0/2 replicas ready}.
   */
  @Override
  public String toString() {
    return cluster() + ": " + change.key().display() + " " + write.describe();
  }
}
