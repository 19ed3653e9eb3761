package io.orchestrationplane.delivery.rollout;

import io.orchestrationplane.delivery.analysis.AnalysisPhase;
import io.orchestrationplane.delivery.analysis.AnalysisResult;
import io.orchestrationplane.delivery.analysis.Measurement;
import io.orchestrationplane.delivery.analysis.MetricResult;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a rollout is: its phase (Argo Rollouts' phases), stage, current step and canary weight,
 * every analysis run with its measurements, and why it is paused or aborted.
 *
 * @param application the environment application ({@code <ns>.<name>-<env>})
 * @param environment the environment
 * @param component the rolled component
 * @param strategy {@code canary} or {@code blueGreen}
 * @param phase PROGRESSING, PAUSED, DEGRADED (aborted) or HEALTHY (done)
 * @param stage what the engine does now, see {@link Stage}
 * @param step the index of the current canary step (steps.size() once all are done)
 * @param steps the canary steps as text ({@code setWeight 10}), or the blue-green stages
 * @param weight the percentage of traffic the new version gets now
 * @param message why it is paused or aborted, or what it waits for
 * @param analysisRuns every analysis run of this rollout, oldest first
 * @param since when the rollout started
 */
public record RolloutStatus(String application, String environment, String component, String strategy, Phase phase,
    Stage stage, int step, List<String> steps, int weight, String message, List<AnalysisRun> analysisRuns,
    Instant since) {

  /** Argo Rollouts' rollout phases. */
  public enum Phase { PROGRESSING, PAUSED, DEGRADED, HEALTHY }

  /** The engine's stages. */
  public enum Stage {
    /** Canary steps (setWeight, pause, analysis) in order. */
    STEPS,
    /** Blue-green: the new version runs behind the preview Service; analysis, then promotion. */
    PREVIEW,
    /** Blue-green: the active Service sends traffic to the new version; the old stays scaled for the rollback window. */
    SWITCHED,
    /** The stable workload is updated to the new version while the new version takes all traffic. */
    FINALIZE_STABLE,
    /** Traffic back to the (now new) stable workload. */
    FINALIZE_SWITCH,
    /** The canary (or preview) workload is removed. */
    CLEANUP,
    /** Promoted: only the stable workload runs the new version. */
    DONE,
    /** Traffic back to the old version and the canary scaled down; then removed. */
    ABORTING,
    /** Aborted: the old version runs alone. */
    ABORTED
  }

  public RolloutStatus {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(stage, "stage");
    steps = List.copyOf(steps);
    analysisRuns = List.copyOf(analysisRuns);
    Objects.requireNonNull(message, "message");
  }

  /**
   * One analysis of the rollout: the step (or blue-green stage) it belongs to and the run, with
   * each metric's measurements ({@code run.metrics().get(i).measurements()}).
   */
  public record AnalysisRun(int step, String template, io.orchestrationplane.delivery.analysis.AnalysisRun run) {
    public AnalysisRun {
      Objects.requireNonNull(template, "template");
      Objects.requireNonNull(run, "run");
    }

    public AnalysisPhase phase() {
      return run.phase();
    }
  }

  /** The measurement that decided the analysis run that aborted the rollout, if one did. */
  public @Nullable Measurement failingMeasurement() {
    for (AnalysisRun r : analysisRuns) {
      AnalysisResult result = r.run().result();
      if (result instanceof AnalysisResult.Failed f) {
        return f.measurement();
      }
      if (result instanceof AnalysisResult.Errored e) {
        return e.measurement();
      }
    }
    return null;
  }

  /** A readable account. */
  public String toText() {
    StringBuilder b = new StringBuilder();
    b.append("Rollout of ").append(component).append(" in ").append(application).append(" (").append(strategy)
        .append("): ").append(phase).append(", ").append(stage).append(", weight ").append(weight).append('%');
    if (!message.isEmpty()) {
      b.append("\n  ").append(message);
    }
    for (int i = 0; i < steps.size(); i++) {
      String mark = stage == Stage.STEPS && i == step ? "->" : (i < step || stage.ordinal() > Stage.STEPS.ordinal()
          && stage != Stage.ABORTING && stage != Stage.ABORTED ? "ok" : "  ");
      b.append("\n  ").append(mark).append(' ').append(i + 1).append(". ").append(steps.get(i));
    }
    for (AnalysisRun r : analysisRuns) {
      b.append("\n  step ").append(r.step() + 1).append(": ").append(r.run().toText().replace("\n", "\n  "));
      for (MetricResult m : r.run().metrics()) {
        for (Measurement x : m.measurements()) {
          b.append("\n    ").append(x.describe());
        }
      }
    }
    return b.toString();
  }
}
