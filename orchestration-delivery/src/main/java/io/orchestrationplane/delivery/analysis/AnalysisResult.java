package io.orchestrationplane.delivery.analysis;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link AnalysisRun} has come to: still {@link Running}, or done as {@link Successful},
 * {@link Failed}, {@link Inconclusive} or {@link Errored} (the run's {@link AnalysisPhase}). Every
 * variant carries each metric's state with its measurements; the unsuccessful ones name the
 * metric and the measurement that decided (its value, and the condition expression for FAILED).
 */
public sealed interface AnalysisResult
    permits AnalysisResult.Running, AnalysisResult.Successful, AnalysisResult.Failed, AnalysisResult.Inconclusive,
    AnalysisResult.Errored {

  /** The run's phase. */
  AnalysisPhase phase();

  /** Each metric, in template order, with its measurements. */
  List<MetricResult> metrics();

  /** Why, for people (the deciding metric's message; empty while running). */
  String message();

  /** True once the run is done. */
  default boolean completed() {
    return phase().completed();
  }

  /** Still measuring; {@code nextDue} is when {@link Analysis#evaluate} next has something to do. */
  record Running(List<MetricResult> metrics, Optional<java.time.Instant> nextDue) implements AnalysisResult {
    public Running {
      metrics = List.copyOf(metrics);
      Objects.requireNonNull(nextDue, "nextDue");
    }

    @Override public AnalysisPhase phase() {
      return AnalysisPhase.RUNNING;
    }

    @Override public String message() {
      return "";
    }
  }

  /** Every metric completed within its limits (or the run was terminated without a bad metric). */
  record Successful(List<MetricResult> metrics, String message) implements AnalysisResult {
    public Successful {
      metrics = List.copyOf(metrics);
      Objects.requireNonNull(message, "message");
    }

    @Override public AnalysisPhase phase() {
      return AnalysisPhase.SUCCESSFUL;
    }
  }

  /**
   * A metric had more FAILED measurements than its {@code failureLimit}. {@code measurement} is
   * its last failed one: {@code measurement.value()} and {@code measurement.expression()} are the
   * failing value and condition.
   */
  record Failed(List<MetricResult> metrics, String message, String metric, Measurement measurement) implements AnalysisResult {
    public Failed {
      metrics = List.copyOf(metrics);
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(metric, "metric");
      Objects.requireNonNull(measurement, "measurement");
    }

    @Override public AnalysisPhase phase() {
      return AnalysisPhase.FAILED;
    }
  }

  /** A metric had more INCONCLUSIVE measurements than its {@code inconclusiveLimit}; {@code measurement} is the last. */
  record Inconclusive(List<MetricResult> metrics, String message, String metric, Measurement measurement)
      implements AnalysisResult {
    public Inconclusive {
      metrics = List.copyOf(metrics);
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(metric, "metric");
      Objects.requireNonNull(measurement, "measurement");
    }

    @Override public AnalysisPhase phase() {
      return AnalysisPhase.INCONCLUSIVE;
    }
  }

  /** A metric had more consecutive ERROR measurements than its {@code consecutiveErrorLimit}; {@code measurement} is the last. */
  record Errored(List<MetricResult> metrics, String message, String metric, Measurement measurement) implements AnalysisResult {
    public Errored {
      metrics = List.copyOf(metrics);
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(metric, "metric");
      Objects.requireNonNull(measurement, "measurement");
    }

    @Override public AnalysisPhase phase() {
      return AnalysisPhase.ERROR;
    }
  }
}
