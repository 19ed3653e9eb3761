package io.orchestrationplane.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Delivery#status} says about an application's releases: which release runs in which
 * environment, the current (or last) run with each step's phase and what an active step waits
 * for, and the last runs.
 *
 * @param application {@code <namespace>.<name>}
 * @param environments per environment, the release it runs (as the delivery applied it)
 * @param run the current or last run; empty before the first release
 * @param history finished runs, newest first (at most {@code Delivery.Builder.historyLimit})
 */
public record ReleaseStatus(String application, Map<String, Deployed> environments, Optional<Run> run,
    List<RunSummary> history) {

  public ReleaseStatus {
    Objects.requireNonNull(application, "application");
    environments = Map.copyOf(environments);
    history = List.copyOf(history);
  }

  /** The phase of a run. */
  public enum RunPhase { RUNNING, ROLLING_BACK, SUCCEEDED, FAILED, ROLLED_BACK, SUPERSEDED;
    /** Whether the run is over. */
    public boolean finished() {
      return this != RUNNING && this != ROLLING_BACK;
    }
  }

  /** The phase of a step. */
  public enum StepPhase { PENDING, WAITING, RUNNING, SUCCEEDED, FAILED, CANCELLED;
    public boolean finished() {
      return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
  }

  /**
   * What an environment runs.
   *
   * @param release release number
   * @param digest its digest
   * @param since when the delivery applied it
   * @param planeRevision the plane's revision of the environment's application recorded by that apply
   */
  public record Deployed(long release, String digest, Instant since, long planeRevision) {}

  /** An approval or rejection, with the release digest it was given for. */
  public record Decision(String subject, boolean approved, String digest, String comment, Instant time) {}

  /** One step of a run. */
  public record StepStatus(String name, String type, StepPhase phase, int attempts, String message,
      Optional<WaitingFor> waitingFor, List<Decision> decisions) {
    public StepStatus {
      decisions = List.copyOf(decisions);
    }
  }

  /** A run of the workflow for one release. */
  public record Run(long number, long release, String digest, String author, String workflow, RunPhase phase,
      Instant started, Optional<Instant> finished, String message, List<StepStatus> steps) {
    public Run {
      steps = List.copyOf(steps);
    }

    public Optional<StepStatus> step(String name) {
      return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Steps started and not finished (waiting or running). */
    public List<StepStatus> active() {
      return steps.stream().filter(s -> s.phase() == StepPhase.WAITING || s.phase() == StepPhase.RUNNING).toList();
    }
  }

  /** A finished run, as history keeps it. */
  public record RunSummary(long run, long release, String digest, RunPhase phase, Instant started, Instant finished,
      String message) {}

  /** The active steps of the current run (none when there is no running run). */
  public List<StepStatus> activeSteps() {
    return run.filter(r -> !r.phase().finished()).map(Run::active).orElse(List.of());
  }

  /** A readable report. */
  public String toText() {
    StringBuilder sb = new StringBuilder("Application ").append(application).append('\n');
    if (environments.isEmpty()) {
      sb.append("  no environment runs a release yet\n");
    }
    environments.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sb.append("  ")
        .append(e.getKey()).append(": release ").append(e.getValue().release()).append(" (")
        .append(shortDigest(e.getValue().digest())).append(") since ").append(e.getValue().since()).append('\n'));
    run.ifPresent(r -> {
      sb.append("Run ").append(r.number()).append(" of workflow ").append(r.workflow()).append(": release ")
          .append(r.release()).append(" (").append(shortDigest(r.digest())).append(") by ").append(r.author())
          .append(", ").append(r.phase()).append(r.message().isEmpty() ? "" : ": " + r.message()).append('\n');
      for (StepStatus s : r.steps()) {
        sb.append("  ").append(String.format("%-10s", s.phase())).append(' ').append(s.name()).append(" (")
            .append(s.type()).append(s.attempts() > 1 ? ", attempt " + s.attempts() : "").append(")");
        if (s.waitingFor().isPresent() && !s.phase().finished()) {
          sb.append(": waiting for ").append(s.waitingFor().get().describe());
        } else if (!s.message().isEmpty()) {
          sb.append(": ").append(s.message());
        }
        sb.append('\n');
      }
    });
    if (!history.isEmpty()) {
      sb.append("Last runs:\n");
      for (RunSummary h : history) {
        sb.append("  run ").append(h.run()).append(": release ").append(h.release()).append(" ")
            .append(h.phase()).append(" at ").append(h.finished()).append(h.message().isEmpty() ? "" : ": " + h.message())
            .append('\n');
      }
    }
    return sb.toString();
  }

  private static String shortDigest(String digest) {
    int colon = digest.indexOf(':');
    return digest.substring(colon + 1, Math.min(digest.length(), colon + 13));
  }
}
