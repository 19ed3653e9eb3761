package io.orchestrationplane.delivery.wave;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a wave rollout of one desired state stands: the state of every cluster, the current wave
 * and, when it stopped, why. Kept in the state store after every pass, so a restarted plane
 * resumes it; read with {@link WaveRollout#progress(String)}.
 *
 * @param application the application id
 * @param rollout identifies the desired state being rolled out (a digest of the desired objects):
 *     a new desired state starts a new rollout from the first wave
 * @param state rolling out, stopped or complete
 * @param currentWave the index of the wave in progress (or the last one started), -1 before the first
 * @param waves how many waves the placement makes
 * @param clusters every placed cluster, in wave order
 * @param reason why the rollout stopped (empty otherwise)
 * @param nextCheck when a pass has something to decide even if nothing else changes (a soak ends,
 *     a deadline passes), if ever
 */
public record WaveProgress(String application, String rollout, State state, int currentWave, int waves,
    List<ClusterProgress> clusters, String reason, @Nullable Instant nextCheck) {
  public WaveProgress {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(state, "state");
    clusters = List.copyOf(clusters);
    reason = reason == null ? "" : reason;
  }

  /** How the rollout as a whole stands. */
  public enum State {
    /** Waves are being rolled out. */
    ROLLING_OUT,
    /** Too many clusters of a group failed: later waves are not written; a new desired state starts over. */
    STOPPED,
    /** Every wave finished within the failure budget. */
    COMPLETE
  }

  /** Where one cluster stands in the rollout (OCM's ToApply, Progressing, Succeeded, Failed, TimeOut). */
  public enum Phase {
    /** Its wave has not started: nothing of the change is written there. */
    PENDING,
    /** Its wave started: the change is written there and not healthy yet. */
    PROGRESSING,
    /** Written and healthy. */
    SUCCEEDED,
    /** A write failed, or its objects are DEGRADED. */
    FAILED,
    /** Not healthy within the progress deadline. */
    TIMED_OUT;

    /** FAILED or TIMED_OUT: counted against maxFailures. */
    public boolean isFailure() {
      return this == FAILED || this == TIMED_OUT;
    }
  }

  /**
   * One cluster's place in the rollout.
   *
   * @param cluster the cluster
   * @param group its group
   * @param wave the index of its wave
   * @param phase where it stands
   * @param started when its wave started (null while PENDING)
   * @param since when it entered its phase (null while PENDING)
   * @param message why it failed, or what it waits for
   */
  public record ClusterProgress(String cluster, String group, int wave, Phase phase, @Nullable Instant started,
      @Nullable Instant since, String message) {
    public ClusterProgress {
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(phase, "phase");
      message = message == null ? "" : message;
    }

    ClusterProgress to(Phase next, Instant at, String why) {
      return new ClusterProgress(cluster, group, wave, next, started == null ? at : started, at, why);
    }
  }

  /** The progress of one cluster. */
  public Optional<ClusterProgress> cluster(String name) {
    return clusters.stream().filter(c -> c.cluster().equals(name)).findFirst();
  }

  /** The clusters in {@code phase}, in wave order. */
  public List<String> clusters(Phase phase) {
    return clusters.stream().filter(c -> c.phase() == phase).map(ClusterProgress::cluster).toList();
  }

  /** The clusters the change may be written to now: every cluster whose wave started. */
  public List<String> released() {
    return clusters.stream().filter(c -> c.phase() != Phase.PENDING).map(ClusterProgress::cluster).toList();
  }

  /**
   * For people: the state, then one line per cluster.
   *
   * <pre>
   * Waves of shop.shop: STOPPED at wave 2 of 3: group eu: 2 of 2 clusters failed (maxFailures 0): ...
   *   wave 1 (group canary)  c1  SUCCEEDED
   *   wave 2 (group eu)      c2  TIMED_OUT  not healthy within 10m: ...
   *   wave 3 (group us)      c4  PENDING
   * </pre>
   */
  public String toText() {
    StringBuilder sb = new StringBuilder("Waves of ").append(application).append(": ").append(state);
    if (currentWave >= 0) {
      sb.append(state == State.COMPLETE ? " after wave " : " at wave ").append(currentWave + 1).append(" of ")
          .append(waves);
    }
    if (!reason.isEmpty()) {
      sb.append(": ").append(reason);
    }
    sb.append('\n');
    for (ClusterProgress c : clusters) {
      sb.append("  wave ").append(c.wave() + 1).append(" (group ").append(c.group()).append(")  ").append(c.cluster())
          .append("  ").append(c.phase());
      if (!c.message().isEmpty()) {
        sb.append("  ").append(c.message());
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
