package io.orchestrationplane.delivery.wave;

import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.ExecutionStrategy;
import io.orchestrationplane.core.apply.Executor;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.apply.WriteResult;
import io.orchestrationplane.core.cluster.ClusterRegistry;
import io.orchestrationplane.core.health.Health;
import io.orchestrationplane.core.health.HealthAssessors;
import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.plan.PlanProblem;
import io.orchestrationplane.core.resource.ContentHash;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.state.StateEntry;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.state.StateWriteResult;
import io.orchestrationplane.delivery.wave.WavePlanner.Observation;
import io.orchestrationplane.delivery.wave.WavePlanner.Placed;
import io.orchestrationplane.delivery.wave.internal.ProgressCodec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Cluster-by-cluster waves as the plane's {@link ExecutionStrategy}: each execution of a plan
 * (an {@code apply}, or a reconcile in continuous mode) is one pass that looks at every placed
 * cluster, lets {@link WavePlanner} decide, writes the plan's part on the clusters whose wave
 * started, and holds the rest: their changes are WAITING ({@code wave 3 of 4 (group us): waits
 * for wave 2}) and nothing at all is written there, so they stay on their current revision. The
 * progress is a document per application in the state store ({@code waves/<application>}), so a
 * restarted plane resumes at the same wave with the same soak and deadline times; {@link
 * #progress(String)} reads it.
 *
 * <pre>{@code
 * WaveRollout waves = WaveRollout.builder()
 *     .strategy(WaveStrategy.builder().groupByLabel("region", "canary").maxFailures("1")
 *         .minSuccessTime(Duration.ofMinutes(10)).progressDeadline(Duration.ofMinutes(15)).build())
 *     .store(store).clusters(registry).clock(clock).build();
 * OrchestrationPlane plane = OrchestrationPlane.builder().clusters(registry).stateStore(store)
 *     .clock(clock).executionStrategy(waves).build();
 * plane.apply(app);                       // wave 1 written, the others held
 * clock.advance(Duration.ofMinutes(10));
 * plane.apply(app);                       // wave 1 healthy and soaked: wave 2 written
 * }</pre>
 *
 * <p>A cluster is healthy when the plan has nothing left to write there and every object placed
 * there is HEALTHY (by the {@link HealthAssessors} given, default {@link HealthAssessors#defaults()});
 * a failed write or a DEGRADED object fails it. Thread-safe.
 */
public final class WaveRollout implements ExecutionStrategy {
  private static final Logger LOG = LoggerFactory.getLogger(WaveRollout.class);
  /** The state store namespace of the progress documents. */
  public static final String NAMESPACE = "waves";

  private final WaveStrategy strategy;
  private final StateStore store;
  private final Clock clock;
  private final HealthAssessors health;
  private final @Nullable ClusterRegistry clusters;

  private WaveRollout(Builder b) {
    this.strategy = Objects.requireNonNull(b.strategy, "strategy");
    this.store = Objects.requireNonNull(b.store, "store");
    this.clock = b.clock;
    this.health = b.health;
    this.clusters = b.clusters;
    boolean byLabels = strategy.groupLabel().isPresent()
        || strategy.groups().stream().anyMatch(g -> !g.selector().isEmpty());
    if (byLabels && clusters == null) {
      throw new IllegalArgumentException("the wave strategy groups clusters by labels: give the cluster registry "
          + "(WaveRollout.Builder.clusters) so that their labels are known");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public WaveStrategy strategy() {
    return strategy;
  }

  /** The stored progress of the application's latest rollout, if it has one. */
  public Optional<WaveProgress> progress(String applicationId) {
    return store.get(key(applicationId)).map(e -> ProgressCodec.read(e.value()));
  }

  /**
   * A pass that writes nothing: decides from {@code plan} (a fresh {@code plane.plan(app)}) as
   * {@link #execute} would, stores and returns the progress. For continuous mode, where a plan
   * with nothing to write is not executed at all: once the last wave is written, only a refresh
   * (or the next {@code apply}) records that it became healthy and the rollout COMPLETE. A wave it
   * starts is written by the next pass.
   */
  public WaveProgress refresh(Plan plan) {
    StateKey key = key(plan.application());
    Optional<StateEntry> stored = store.get(key);
    List<Placed> placement = plan.clusters().stream().map(c -> new Placed(c, labels(c))).toList();
    WaveProgress progress = WavePlanner.next(strategy, placement, plan.application(), rolloutOf(plan),
        stored.map(e -> ProgressCodec.read(e.value())).orElse(null), observe(plan, placement), clock.instant());
    save(key, stored.map(StateEntry::version).orElse(StateStore.ABSENT), progress);
    return progress;
  }

  @Override
  public ExecutionResult execute(Plan plan, Writer writer) {
    Objects.requireNonNull(writer, "writer");
    StateKey key = key(plan.application());
    Optional<StateEntry> stored = store.get(key);
    WaveProgress previous = stored.map(e -> ProgressCodec.read(e.value())).orElse(null);
    List<Placed> placement = plan.clusters().stream().map(c -> new Placed(c, labels(c))).toList();
    String rollout = rolloutOf(plan);
    WaveProgress progress = WavePlanner.next(strategy, placement, plan.application(), rollout, previous,
        observe(plan, placement), clock.instant());

    List<String> released = progress.released();
    List<String> held = plan.clusters().stream().filter(c -> !released.contains(c)).toList();
    List<ExecutionResult> parts = new ArrayList<>();
    if (!released.isEmpty()) {
      ExecutionResult written = writer.write(plan.onClusters(released), Executor.Gate.OPEN);
      parts.add(written);
      Map<String, Observation> failed = new TreeMap<>();
      for (Outcome o : written.failures()) {
        failed.putIfAbsent(o.cluster(), Observation.failed(o.message()));
      }
      if (!failed.isEmpty()) {
        progress = WavePlanner.next(strategy, placement, plan.application(), rollout, progress, failed, clock.instant());
      }
    }
    if (!held.isEmpty()) {
      parts.add(hold(plan.onClusters(held), progress));
    }
    save(key, stored.map(StateEntry::version).orElse(StateStore.ABSENT), progress);
    return ExecutionResult.combine(plan, parts);
  }

  /** The held clusters' changes, WAITING with the reason, without touching those clusters at all. */
  private static ExecutionResult hold(Plan part, WaveProgress progress) {
    List<Outcome> outcomes = new ArrayList<>();
    for (Change c : part.changes()) {
      String why = reason(progress, c.key().cluster());
      outcomes.add(new Outcome(c, c.isWrite() ? new WriteResult.Waiting(why) : new WriteResult.Unchanged()));
    }
    return new ExecutionResult(part, outcomes);
  }

  private static String reason(WaveProgress progress, String cluster) {
    WaveProgress.ClusterProgress c = progress.cluster(cluster).orElseThrow();
    String where = "wave " + (c.wave() + 1) + " of " + progress.waves() + " (group " + c.group() + ")";
    if (progress.state() == WaveProgress.State.STOPPED) {
      return where + ": the rollout stopped, not written: " + progress.reason();
    }
    return where + ": waits for wave " + (progress.currentWave() + 1) + " to be healthy"
        + (progress.nextCheck() == null ? "" : " (looks again at " + progress.nextCheck() + ")");
  }

  /** What the plan says of each placed cluster, before this pass writes anything. */
  private Map<String, Observation> observe(Plan plan, List<Placed> placement) {
    Map<String, Observation> out = new LinkedHashMap<>();
    for (Placed p : placement) {
      Plan part = plan.onClusters(Set.of(p.cluster()));
      Optional<PlanProblem> problem = part.problems().stream().findFirst();
      if (problem.isPresent()) {
        out.put(p.cluster(), Observation.progressing("cluster not read: " + problem.get().message()));
        continue;
      }
      if (part.hasChanges()) {
        out.put(p.cluster(), Observation.progressing(part.writes().size() + " writes pending"));
        continue;
      }
      Observation seen = Observation.ready();
      for (Change c : part.changes()) {
        if (c.type() == Change.Type.DELETE) {
          continue;
        }
        HealthStatus h = health.assess(Optional.ofNullable(c.live()), c.key());
        if (h.health() == Health.DEGRADED) {
          seen = Observation.failed(c.key().display() + ": " + h.message());
          break;
        }
        if (!h.isHealthy() && seen.kind() == Observation.Kind.READY) {
          seen = Observation.progressing(c.key().display() + ": " + h.message());
        }
      }
      out.put(p.cluster(), seen);
    }
    return out;
  }

  /** The desired state being rolled out: a digest over every desired object and its content. */
  static String rolloutOf(Plan plan) {
    ObjectNode root = Json.object();
    Map<String, String> desired = new TreeMap<>();
    for (Change c : plan.changes()) {
      if (c.type() != Change.Type.DELETE) {
        desired.put(c.key().toString(), c.contentHash() == null ? "" : c.contentHash());
      }
    }
    desired.forEach(root::put);
    return ContentHash.of(root);
  }

  private java.util.Map<String, String> labels(String cluster) {
    if (clusters == null) {
      return Map.of();
    }
    return clusters.entries().stream().filter(e -> e.name().equals(cluster)).findFirst()
        .map(ClusterRegistry.Entry::labels).orElse(Map.of());
  }

  private void save(StateKey key, long expected, WaveProgress progress) {
    StateWriteResult r = store.compareAndSet(key, expected, ProgressCodec.write(progress));
    if (!r.written()) {
      // another plane passed meanwhile: its progress stands, the next pass decides from it
      LOG.debug("wave progress of {} changed meanwhile; keeping the other writer's", key);
    }
  }

  private static StateKey key(String applicationId) {
    return StateKey.of(NAMESPACE, applicationId);
  }

  @Override
  public String toString() {
    return "WaveRollout[" + strategy + "]";
  }

  /** Builds a {@link WaveRollout}. */
  public static final class Builder {
    private @Nullable WaveStrategy strategy;
    private @Nullable StateStore store;
    private Clock clock = Clock.systemUTC();
    private HealthAssessors health = HealthAssessors.defaults();
    private @Nullable ClusterRegistry clusters;

    private Builder() {}

    /** The rollout rules (required). */
    public Builder strategy(WaveStrategy value) {
      this.strategy = Objects.requireNonNull(value, "strategy");
      return this;
    }

    /** Where progress is kept: the plane's state store, so that a restarted plane resumes (required). */
    public Builder store(StateStore value) {
      this.store = Objects.requireNonNull(value, "store");
      return this;
    }

    /** The plane's clock (default the system clock). */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** How objects' health is judged (default {@link HealthAssessors#defaults()}; give the plane's if it has others). */
    public Builder health(HealthAssessors value) {
      this.health = Objects.requireNonNull(value, "health");
      return this;
    }

    /** The plane's clusters with their labels: required when groups select clusters by labels. */
    public Builder clusters(ClusterRegistry value) {
      this.clusters = Objects.requireNonNull(value, "clusters");
      return this;
    }

    public WaveRollout build() {
      if (strategy == null) {
        throw new IllegalStateException("WaveRollout needs a strategy");
      }
      if (store == null) {
        throw new IllegalStateException("WaveRollout needs a state store (the plane's)");
      }
      return new WaveRollout(this);
    }
  }
}
