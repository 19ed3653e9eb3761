package io.orchestrationplane.core.apply;

import java.util.List;
import java.util.Objects;

/**
 * A reviewed plan (read back with {@code Plan.fromJson}, say) that no longer describes what an
 * apply would do, so nothing was applied: plan again and review the new plan.
 */
public class PlanMismatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the reviewed plan was refused. */
  public enum Reason {
    /** The application's desired state (or the plan text itself) differs from what was reviewed. */
    CHANGED,
    /** The clusters moved since the plan was made: other objects would be written, or other fields. */
    STALE,
    /** The plan was admitted by another policy set than the plane's. */
    OTHER_POLICIES
  }

  private final Reason reason;
  private final transient List<String> details;

  public PlanMismatchException(String application, Reason reason, List<String> details) {
    super("reviewed plan for application " + application + " is refused, nothing was applied ("
        + switch (Objects.requireNonNull(reason, "reason")) {
          case CHANGED -> "the desired state changed since it was made";
          case STALE -> "the clusters changed since it was made";
          case OTHER_POLICIES -> "it was admitted under another policy set";
        } + "); plan again" + (details.isEmpty() ? "" : ":\n  - " + String.join("\n  - ", details)));
    this.reason = reason;
    this.details = List.copyOf(details);
  }

  public Reason reason() {
    return reason;
  }

  /** One line per object (or setting) that differs. */
  public List<String> details() {
    return details;
  }
}
