package io.orchestrationplane.core.reconcile;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link io.orchestrationplane.core.reconcile.Reconciler} returns: {@link #done()}, {@link
 * #requeueAfter(Duration)}, {@link #retry(String)} (backoff) or {@link #terminal(String)} (not
 * retried, shown in status). Throwing from the reconciler is the same as {@link #retry(String)}
 * with the exception as the reason.
 *
 * <pre>{@code
 * if (!dependencyReady) return Result.requeueAfter(Duration.ofSeconds(5));
 * if (invalidSpec) return Result.terminal("spec.replicas: must be >= 0, was -1");
 * return Result.done();
 * }</pre>
 */
public final class Result {
  private static final Result DONE = new Result(Outcome.DONE, null, null, false);
  private static final Result FORGET = new Result(Outcome.DONE, null, null, true);

  private final Outcome outcome;
  private final @Nullable Duration requeueAfter;
  private final @Nullable String reason;
  private final boolean forget;

  private Result(Outcome outcome, @Nullable Duration requeueAfter, @Nullable String reason, boolean forget) {
    this.outcome = outcome;
    this.requeueAfter = requeueAfter;
    this.reason = reason;
    this.forget = forget;
  }

  /** Converged: reset the key's backoff, schedule nothing. */
  public static Result done() {
    return DONE;
  }

  /**
   * Converged and the key is gone (e.g. its application was removed and pruned): the controller
   * drops the key's status and backoff, as {@link Controller#forget} does.
   */
  public static Result forget() {
    return FORGET;
  }

  /**
   * Run again after {@code delay} (must be positive: a zero requeue would be a busy loop). Resets
   * the key's backoff: this is not a failure.
   */
  public static Result requeueAfter(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isZero() || delay.isNegative()) {
      throw new IllegalArgumentException("requeueAfter must be positive, was " + delay);
    }
    return new Result(Outcome.REQUEUE, delay, null, false);
  }

  /** A failure worth retrying: run again after the key's backoff (and the token bucket). */
  public static Result retry(String reason) {
    return new Result(Outcome.RETRY, null, requireReason(reason), false);
  }

  /** A failure retrying cannot fix: not retried until a new event for the key; shown in status. */
  public static Result terminal(String reason) {
    return new Result(Outcome.TERMINAL, null, requireReason(reason), false);
  }

  private static String requireReason(String reason) {
    Objects.requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException("reason must not be blank");
    }
    return reason;
  }

  /** DONE, REQUEUE, RETRY or TERMINAL (never ERROR, which only a thrown exception produces). */
  public Outcome outcome() {
    return outcome;
  }

  /** The requeue delay, present only for {@link Outcome#REQUEUE}. */
  public Optional<Duration> requeueDelay() {
    return Optional.ofNullable(requeueAfter);
  }

  /** Why it failed, present only for RETRY and TERMINAL. */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  /** True for {@link #forget()}. */
  public boolean forgetsKey() {
    return forget;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Result r
        && outcome == r.outcome
        && forget == r.forget
        && Objects.equals(requeueAfter, r.requeueAfter)
        && Objects.equals(reason, r.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(outcome, requeueAfter, reason, forget);
  }

  @Override
  public String toString() {
    return switch (outcome) {
      case DONE -> forget ? "Result[forget]" : "Result[done]";
      case REQUEUE -> "Result[requeueAfter " + requeueAfter + "]";
      default -> "Result[" + outcome.name().toLowerCase(java.util.Locale.ROOT) + ": " + reason + "]";
    };
  }
}
