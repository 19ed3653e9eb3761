package io.orchestrationplane.delivery.analysis;

import java.util.List;
import java.util.Objects;

/**
 * The state of one metric in an {@link AnalysisRun}, with Argo Rollouts' counters.
 *
 * @param name the metric's name
 * @param phase PENDING until the first measurement, RUNNING, then a completed phase
 * @param count measurements that were not errors (what {@code count} is compared with)
 * @param successful successful measurements
 * @param failed failed measurements (compared with {@code failureLimit})
 * @param inconclusive inconclusive measurements (compared with {@code inconclusiveLimit})
 * @param error error measurements in all
 * @param consecutiveError errors since the last measurement that was not an error (compared with
 *     {@code consecutiveErrorLimit}; any other measurement resets it to 0)
 * @param measurements the measurements taken, oldest first (at most {@link #RETAINED}, or the
 *     template's {@code measurementRetention}: older ones are dropped, the counters keep counting)
 * @param message why the metric is in its phase (empty while it runs)
 */
public record MetricResult(String name, AnalysisPhase phase, int count, int successful, int failed, int inconclusive,
    int error, int consecutiveError, List<Measurement> measurements, String message) {

  /** How many measurements a metric keeps by default: Argo Rollouts' {@code DefaultMeasurementHistoryLimit}. */
  public static final int RETAINED = 10;

  public MetricResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(message, "message");
    measurements = List.copyOf(measurements);
    if (count < 0 || successful < 0 || failed < 0 || inconclusive < 0 || error < 0 || consecutiveError < 0) {
      throw new IllegalArgumentException("metric " + name + ": counters must not be negative");
    }
  }

  /** A metric before its first measurement. */
  public static MetricResult pending(String name) {
    return new MetricResult(name, AnalysisPhase.PENDING, 0, 0, 0, 0, 0, 0, List.of(), "");
  }

  /** The newest measurement, if any. */
  public java.util.Optional<Measurement> last() {
    return measurements.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(measurements.get(measurements.size() - 1));
  }

  /** The newest measurement in {@code phase}, if any. */
  public java.util.Optional<Measurement> last(Measurement.Phase phase) {
    for (int i = measurements.size() - 1; i >= 0; i--) {
      if (measurements.get(i).phase() == phase) {
        return java.util.Optional.of(measurements.get(i));
      }
    }
    return java.util.Optional.empty();
  }
}
