package io.orchestrationplane.core.release;

import io.orchestrationplane.core.observe.Subject;
import java.time.Instant;
import java.util.Objects;

/**
 * Who made a revision, when (by the plane's clock) and from what.
 *
 * @param subject who applied (or submitted) the change
 * @param time when the change was applied, by the plane's clock
 * @param origin where the desired state came from
 */
public record RevisionSource(Subject subject, Instant time, Origin origin) {
  public RevisionSource {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(origin, "origin");
  }

  /** {@code alice [ops] at 2026-01-01T10:00:00Z from git ...}. */
  @Override
  public String toString() {
    return subject + " at " + time + " from " + origin.describe();
  }
}
