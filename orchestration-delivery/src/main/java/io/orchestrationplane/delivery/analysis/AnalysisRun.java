package io.orchestrationplane.delivery.analysis;

import io.orchestrationplane.delivery.analysis.internal.Assessor;
import io.orchestrationplane.delivery.analysis.internal.RunCodec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The state of one analysis, as Argo Rollouts' AnalysisRun: the template it runs (with the
 * arguments substituted), when it started, each metric's counters and measurements, and the
 * run's phase. Immutable: {@link Analysis#evaluate} returns the next state. Store it with
 * {@link #toJson()} after every evaluation and read it back with {@link #fromJson} to resume
 * after a restart: the stored form holds everything, including the template.
 *
 * @param template the template, arguments already substituted into queries and options
 * @param args the arguments the run was started with (defaults applied)
 * @param startedAt when it started, on the caller's clock
 * @param terminated whether {@link Analysis#terminate} stopped it
 * @param phase the run's phase (PENDING until a metric measured)
 * @param message why the run is in its phase (the deciding metric's message)
 * @param metrics one per template metric, in template order
 */
public record AnalysisRun(AnalysisTemplate template, Map<String, String> args, Instant startedAt, boolean terminated,
    AnalysisPhase phase, String message, List<MetricResult> metrics) {

  public AnalysisRun {
    Objects.requireNonNull(template, "template");
    args = java.util.Collections.unmodifiableMap(new TreeMap<>(args));
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(message, "message");
    metrics = List.copyOf(metrics);
    List<String> expected = template.metrics().stream().map(Metric::name).toList();
    List<String> actual = metrics.stream().map(MetricResult::name).toList();
    if (!expected.equals(actual)) {
      throw new IllegalArgumentException("the run's metrics " + actual + " are not the template's " + expected);
    }
  }

  /** True once the run is SUCCESSFUL, INCONCLUSIVE, ERROR or FAILED. */
  public boolean completed() {
    return phase.completed();
  }

  /** When {@link Analysis#evaluate} next has a measurement to take; empty once completed. */
  public Optional<Instant> nextDue() {
    return Assessor.nextDue(this);
  }

  /** What the run has come to, with every measurement. */
  public AnalysisResult result() {
    return Assessor.result(this);
  }

  /** The state of the metric named {@code name}. */
  public Optional<MetricResult> metric(String name) {
    return metrics.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** The stored form: JSON that {@link #fromJson} reads back to an equal run (NaN and infinities as strings). */
  public JsonNode toJson() {
    return RunCodec.toTree(this);
  }

  /** Reads what {@link #toJson()} wrote; {@link IllegalArgumentException} when it is not a run. */
  public static AnalysisRun fromJson(JsonNode tree) {
    return RunCodec.fromTree(tree);
  }

  /** A summary for people: the phase, then per metric its phase, counters and last measurement. */
  public String toText() {
    StringBuilder sb = new StringBuilder("analysis " + template.name() + ": " + phase + (message.isEmpty() ? "" : " (" + message + ")"));
    for (MetricResult m : metrics) {
      sb.append("\n  ").append(m.name()).append(": ").append(m.phase()).append(", ").append(m.count()).append(" measured (")
          .append(m.successful()).append(" successful, ").append(m.failed()).append(" failed, ").append(m.inconclusive())
          .append(" inconclusive), ").append(m.error()).append(" errors");
      m.last().ifPresent(l -> sb.append("; last ").append(l.describe()));
    }
    return sb.toString();
  }
}
