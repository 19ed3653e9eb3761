package io.orchestrationplane.core.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The last finished reconcile of one key, as a controller saw it: what an application status
 * is built from ("apply failed: conflict, retrying in 40ms").
 *
 * @param key the key
 * @param outcome how the last reconcile ended
 * @param reason why it failed (RETRY, ERROR, TERMINAL), or {@code null}
 * @param attempt which attempt the last reconcile was: 1 plus the failures before it
 * @param failures consecutive failures including the last reconcile (0 after DONE/REQUEUE)
 * @param startedAt when the last reconcile started, by the controller's clock
 * @param finishedAt when it finished
 * @param nextRunDelay the delay of the retry or requeue the last reconcile scheduled, or
 *     {@code null} when none was scheduled (DONE, TERMINAL)
 * @param nextRunAt when that retry or requeue comes due, or {@code null}
 */
public record KeyStatus<T>(
    T key,
    Outcome outcome,
    @Nullable String reason,
    int attempt,
    int failures,
    Instant startedAt,
    Instant finishedAt,
    @Nullable Duration nextRunDelay,
    @Nullable Instant nextRunAt) {

  public KeyStatus {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
    }
    if (failures < 0) {
      throw new IllegalArgumentException("failures must be >= 0, was " + failures);
    }
    if ((nextRunDelay == null) != (nextRunAt == null)) {
      throw new IllegalArgumentException(
          "nextRunDelay and nextRunAt are set together, were " + nextRunDelay + " and " + nextRunAt);
    }
  }

  /** True when the last reconcile failed (RETRY, ERROR or TERMINAL). */
  public boolean failed() {
    return outcome == Outcome.RETRY || outcome == Outcome.ERROR || outcome == Outcome.TERMINAL;
  }

  /** The failure reason, when the last reconcile failed. */
  public Optional<String> failureReason() {
    return Optional.ofNullable(reason);
  }

  /** The scheduled retry's delay, present only when the last reconcile failed and will be retried. */
  public Optional<Duration> retryDelay() {
    return outcome == Outcome.RETRY || outcome == Outcome.ERROR
        ? Optional.ofNullable(nextRunDelay)
        : Optional.empty();
  }

  /**
   * How long until the next scheduled run as seen at {@code now} (never negative), or empty when
   * none is scheduled. For "retrying in 40ms" messages.
   */
  public Optional<Duration> nextRunIn(Instant now) {
    if (nextRunAt == null) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, nextRunAt);
    return Optional.of(left.isNegative() ? Duration.ZERO : left);
  }
}
