package io.orchestrationplane.delivery.analysis;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One measurement of a metric: what the provider returned and how the conditions judged it.
 *
 * @param metric the metric's name
 * @param phase SUCCESSFUL, FAILED, INCONCLUSIVE or ERROR (see {@link Phase})
 * @param startedAt when it was taken, on the analysis' clock
 * @param finishedAt when it was judged, on the analysis' clock (the same instant: providers are called synchronously)
 * @param value what the provider returned; null when it failed (ERROR)
 * @param expression the condition that decided the phase ({@code successCondition} or
 *     {@code failureCondition} text); null when no condition decided it (no data, NaN, a
 *     provider error, a metric without conditions)
 * @param message why, for people: the provider's error, "no data", or the condition and value
 */
public record Measurement(String metric, Phase phase, Instant startedAt, Instant finishedAt, @Nullable MetricValue value,
    @Nullable String expression, String message) {

  /** How one measurement was judged. */
  public enum Phase {
    /** The success condition held (or, with only a failure condition, it did not hold; or there is no condition). */
    SUCCESSFUL,
    /** The failure condition held (or, with only a success condition, it did not hold). */
    FAILED,
    /**
     * Neither: both conditions are set and neither held, or the result has no data or holds NaN
     * (never judged a success: argo-rollouts issue 4479).
     */
    INCONCLUSIVE,
    /** The provider failed (an exception, a timeout, an error answer) or a condition could not be evaluated. */
    ERROR
  }

  public Measurement {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(message, "message");
  }

  /** One line for people: {@code 2026-12-03T10:01:00Z FAILED [0.07]: failureCondition result[0] > 0.05 held}. */
  public String describe() {
    return finishedAt + " " + phase + (value == null ? "" : " " + value.toText()) + ": " + message;
  }
}
