package io.orchestrationplane.delivery.rollout;

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

  /** One analysis of the rollout with the measurements taken. */
  public record AnalysisRun(int step, String check, RunPhase phase, List<Measurement> measurements) {
    public AnalysisRun {
      measurements = List.copyOf(measurements);
    }
  }

  /** An analysis run's phase. */
  public enum RunPhase { RUNNING, SUCCESSFUL, FAILED, INCONCLUSIVE, ERROR }

  /** One measurement of a run. */
  public record Measurement(Instant time, RolloutCheck.Result.Phase phase, String value, String condition) {}

  /** The failing measurement of the run that aborted the rollout, if any. */
  public @Nullable Measurement failingMeasurement() {
    for (AnalysisRun r : analysisRuns) {
      if (r.phase() == RunPhase.FAILED || r.phase() == RunPhase.ERROR) {
        for (int i = r.measurements().size() - 1; i >= 0; i--) {
          Measurement m = r.measurements().get(i);
          if (m.phase() == RolloutCheck.Result.Phase.FAILED || m.phase() == RolloutCheck.Result.Phase.ERROR) {
            return m;
          }
        }
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
      b.append("\n  analysis ").append(r.check()).append(" (step ").append(r.step() + 1).append("): ").append(r.phase());
      for (Measurement m : r.measurements()) {
        b.append("\n    ").append(m.time()).append(' ').append(m.phase()).append(' ').append(m.value())
            .append(" [").append(m.condition()).append(']');
      }
    }
    return b.toString();
  }
}
