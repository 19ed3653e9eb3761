package io.orchestrationplane.delivery.wave;

import io.orchestrationplane.delivery.wave.WaveProgress.ClusterProgress;
import io.orchestrationplane.delivery.wave.WaveProgress.Phase;
import io.orchestrationplane.delivery.wave.WaveProgress.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The wave decision as a pure function of (placement, cluster states, clock): which waves the
 * placement makes, and from the last progress, what each cluster's state became and which wave
 * runs now. Nothing here reads a cluster or a store; {@link WaveRollout} gathers the facts and
 * writes what is decided.
 *
 * <p>The rules (docs/delivery.md, "Waves"): a wave starts when the one before it is settled (no
 * cluster PROGRESSING) and every SUCCEEDED cluster of it has been healthy for {@code
 * minSuccessTime}; a PROGRESSING cluster becomes SUCCEEDED when healthy, FAILED when its write
 * failed or its objects are DEGRADED, TIMED_OUT when not healthy within {@code progressDeadline}
 * of its wave's start; FAILED and TIMED_OUT are final for the rollout; once more clusters of a
 * group failed than {@code maxFailures} allows, the rollout STOPS and no later wave starts.
 */
public final class WavePlanner {
  /** The group of the clusters no explicit group (or no label value) takes. */
  public static final String OTHERS = "others";

  private WavePlanner() {}

  /** A placed cluster and its labels. */
  public record Placed(String cluster, Map<String, String> labels) {
    public Placed {
      Objects.requireNonNull(cluster, "cluster");
      labels = Map.copyOf(labels);
    }
  }

  /** One wave: its index, its group and its clusters. */
  public record Wave(int index, String group, List<String> clusters) {
    public Wave {
      clusters = List.copyOf(clusters);
    }
  }

  /** What a pass saw of one cluster: the change is there and healthy, not yet, or it failed. */
  public record Observation(Kind kind, String message) {
    public Observation {
      Objects.requireNonNull(kind, "kind");
      message = message == null ? "" : message;
    }

    /** How a cluster looked. */
    public enum Kind { READY, PROGRESSING, FAILED }

    /** Written and healthy. */
    public static Observation ready() {
      return new Observation(Kind.READY, "");
    }

    /** Writes pending, or objects not healthy yet ({@code why}). */
    public static Observation progressing(String why) {
      return new Observation(Kind.PROGRESSING, why);
    }

    /** A write failed or an object is DEGRADED ({@code why}). */
    public static Observation failed(String why) {
      return new Observation(Kind.FAILED, why);
    }
  }

  /** The waves {@code placement} makes under {@code strategy}, in rollout order. */
  public static List<Wave> waves(WaveStrategy strategy, List<Placed> placement) {
    Map<String, List<String>> groups = groups(strategy, placement);
    List<Wave> out = new ArrayList<>();
    groups.forEach((group, clusters) -> {
      int size = clusters.size();
      int per = strategy.maxConcurrency().map(t -> Math.max(1, Math.min(size, t.of(size)))).orElse(size);
      for (int from = 0; from < size; from += per) {
        out.add(new Wave(out.size(), group, clusters.subList(from, Math.min(size, from + per))));
      }
    });
    return out;
  }

  private static Map<String, List<String>> groups(WaveStrategy strategy, List<Placed> placement) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    List<String> others = new ArrayList<>();
    if (strategy.groupLabel().isPresent()) {
      String key = strategy.groupLabel().get();
      TreeSet<String> values = new TreeSet<>();
      placement.forEach(p -> {
        String v = p.labels().get(key);
        if (v != null) {
          values.add(v);
        }
      });
      List<String> order = new ArrayList<>();
      strategy.labelOrder().stream().filter(values::contains).forEach(order::add);
      values.stream().filter(v -> !order.contains(v)).forEach(order::add);
      order.forEach(v -> out.put(key + "=" + v, new ArrayList<>()));
      for (Placed p : placement) {
        String v = p.labels().get(key);
        (v == null ? others : out.get(key + "=" + v)).add(p.cluster());
      }
    } else if (!strategy.groups().isEmpty()) {
      strategy.groups().forEach(g -> out.put(g.name(), new ArrayList<>()));
      for (Placed p : placement) {
        ClusterGroup in = strategy.groups().stream().filter(g -> g.contains(p.cluster(), p.labels())).findFirst()
            .orElse(null);
        (in == null ? others : out.get(in.name())).add(p.cluster());
      }
    } else {
      placement.forEach(p -> others.add(p.cluster()));
      return others.isEmpty() ? Map.of() : Map.of("all", others);
    }
    if (!others.isEmpty()) {
      out.merge(OTHERS, others, (a, b) -> {
        a.addAll(b);
        return a;
      });
    }
    out.values().removeIf(List::isEmpty);
    return out;
  }

  /**
   * The progress after one pass at {@code now}.
   *
   * @param strategy the rollout strategy
   * @param placement the clusters the change is placed on, with their labels, in placement order
   * @param rollout identifies the desired state; a progress of another rollout is not continued
   * @param previous the progress after the last pass, or null before the first
   * @param observed what this pass saw per cluster (a cluster missing is unchanged, deadlines still apply)
   * @param now the clock
   */
  public static WaveProgress next(WaveStrategy strategy, List<Placed> placement, String application, String rollout,
      @Nullable WaveProgress previous, Map<String, Observation> observed, Instant now) {
    boolean same = previous != null && previous.rollout().equals(rollout);
    if (same && previous.state() == State.STOPPED) {
      return previous; // stopped stays stopped: a new desired state starts over
    }
    List<Wave> waves = waves(strategy, placement);
    Map<String, ClusterProgress> before = new HashMap<>();
    if (same) {
      previous.clusters().forEach(c -> before.put(c.cluster(), c));
    }
    int current = same ? Math.min(previous.currentWave(), waves.size() - 1) : -1;
    // waves below this one are finished: their healthy clusters are not taken back by later drift
    int finishedBelow = same && previous.state() == State.COMPLETE ? Integer.MAX_VALUE : current;
    Duration deadline = strategy.progressDeadline().orElse(null);

    // 1. what each started cluster became
    List<ClusterProgress> clusters = new ArrayList<>();
    for (Wave w : waves) {
      for (String name : w.clusters()) {
        ClusterProgress c = before.get(name);
        c = c == null ? new ClusterProgress(name, w.group(), w.index(), Phase.PENDING, null, null, "")
            : new ClusterProgress(name, w.group(), w.index(), c.phase(), c.started(), c.since(), c.message());
        if (c.phase() == Phase.PENDING && w.index() <= current) {
          c = c.to(Phase.PROGRESSING, now, "joined its wave after it started");
        }
        clusters.add(observe(c, observed.get(name), finishedBelow, deadline, now));
      }
    }

    // 2. the failure budget of each group
    String stop = breached(strategy, clusters);
    if (stop != null) {
      return new WaveProgress(application, rollout, State.STOPPED, current, waves.size(), clusters, stop, null);
    }

    // 3. start the first wave, or the next one once the current one is settled and soaked
    State state = State.ROLLING_OUT;
    if (waves.isEmpty()) {
      state = State.COMPLETE;
    } else if (current < 0) {
      current = 0;
      start(clusters, 0, now);
    } else if (settled(clusters, current) && soakEnd(clusters, current, strategy.minSuccessTime()) != null
        && !now.isBefore(soakEnd(clusters, current, strategy.minSuccessTime()))) {
      if (current + 1 < waves.size()) {
        current++;
        start(clusters, current, now);
      } else {
        state = State.COMPLETE;
      }
    }
    return new WaveProgress(application, rollout, state, current, waves.size(), clusters, "",
        state == State.ROLLING_OUT ? nextCheck(clusters, current, strategy, now) : null);
  }

  private static ClusterProgress observe(ClusterProgress c, @Nullable Observation o, int finishedBelow,
      @Nullable Duration deadline, Instant now) {
    if (c.phase() == Phase.PENDING || c.phase().isFailure()) {
      return c; // not started, or final for this rollout
    }
    if (o != null && o.kind() == Observation.Kind.FAILED) {
      return c.to(Phase.FAILED, now, o.message());
    }
    if (o != null && o.kind() == Observation.Kind.READY) {
      return c.phase() == Phase.PROGRESSING ? c.to(Phase.SUCCEEDED, now, "") : c;
    }
    if (c.phase() == Phase.SUCCEEDED) {
      if (o == null || c.wave() < finishedBelow) {
        return c; // a finished wave (every wave of a complete rollout) is not taken back by later drift
      }
      c = c.to(Phase.PROGRESSING, now, "not healthy any more: " + o.message()); // during its soak
    }
    if (deadline != null && c.started() != null && !now.isBefore(c.started().plus(deadline))) {
      return c.to(Phase.TIMED_OUT, now, "not healthy within " + human(deadline)
          + (o == null || o.message().isEmpty() ? "" : ": " + o.message()));
    }
    return o == null ? c : new ClusterProgress(c.cluster(), c.group(), c.wave(), c.phase(), c.started(), c.since(),
        o.message());
  }

  private static @Nullable String breached(WaveStrategy strategy, List<ClusterProgress> clusters) {
    Map<String, List<ClusterProgress>> byGroup = new LinkedHashMap<>();
    clusters.forEach(c -> byGroup.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c));
    for (Map.Entry<String, List<ClusterProgress>> g : byGroup.entrySet()) {
      List<ClusterProgress> failed = g.getValue().stream().filter(c -> c.phase().isFailure()).toList();
      int size = g.getValue().size();
      if (failed.size() > strategy.maxFailures().of(size)) {
        return "group " + g.getKey() + ": " + failed.size() + " of " + size + " clusters failed (maxFailures "
            + strategy.maxFailures().describe(size) + "): " + String.join("; ", failed.stream()
            .map(c -> c.cluster() + " " + (c.phase() == Phase.TIMED_OUT ? "timed out" : "failed")
                + (c.message().isEmpty() ? "" : " (" + c.message() + ")")).toList())
            + "; later waves are not written";
      }
    }
    return null;
  }

  private static void start(List<ClusterProgress> clusters, int wave, Instant now) {
    clusters.replaceAll(c -> c.wave() == wave && c.phase() == Phase.PENDING ? c.to(Phase.PROGRESSING, now, "") : c);
  }

  private static boolean settled(List<ClusterProgress> clusters, int wave) {
    return clusters.stream().filter(c -> c.wave() <= wave).noneMatch(c -> c.phase() == Phase.PROGRESSING
        || c.phase() == Phase.PENDING);
  }

  /** When the wave's soak ends: its last cluster became healthy plus minSuccessTime (its start when all failed). */
  private static @Nullable Instant soakEnd(List<ClusterProgress> clusters, int wave, Duration soak) {
    Instant last = null;
    for (ClusterProgress c : clusters) {
      if (c.wave() == wave) {
        Instant at = c.phase() == Phase.SUCCEEDED ? c.since() : c.started();
        if (at != null && (last == null || at.isAfter(last))) {
          last = at;
        }
      }
    }
    return last == null ? null : last.plus(clusters.stream().anyMatch(c -> c.wave() == wave
        && c.phase() == Phase.SUCCEEDED) ? soak : Duration.ZERO);
  }

  private static @Nullable Instant nextCheck(List<ClusterProgress> clusters, int current, WaveStrategy strategy,
      Instant now) {
    Instant next = null;
    if (strategy.progressDeadline().isPresent()) {
      for (ClusterProgress c : clusters) {
        if (c.phase() == Phase.PROGRESSING && c.started() != null) {
          Instant at = c.started().plus(strategy.progressDeadline().get());
          next = next == null || at.isBefore(next) ? at : next;
        }
      }
    }
    if (settled(clusters, current)) {
      Instant soak = soakEnd(clusters, current, strategy.minSuccessTime());
      if (soak != null && soak.isAfter(now)) {
        next = next == null || soak.isBefore(next) ? soak : next;
      }
    }
    return next;
  }

  static String human(Duration d) {
    return io.orchestrationplane.core.time.Durations.human(d);
  }
}
