package io.orchestrationplane.delivery.wave;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.ClusterRegistry;
import io.orchestrationplane.core.cluster.ForwardingClusterDriver;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.delivery.wave.WaveProgress.Phase;
import io.orchestrationplane.delivery.wave.WaveProgress.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Waves through the plane, on six in-memory clusters (canary c1; eu c2, c3; us c4, c5, c6) whose
 * Deployments a test kubelet makes available unless their image is broken on that cluster, on a
 * manual clock: every {@code plane.apply(app)} is one pass.
 */
class WaveRolloutTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-12-03T10:00:00Z"));
  private final StateStore store = StateStore.inMemory();
  private final Map<String, InMemoryCluster> clusters = new LinkedHashMap<>();
  /** Per cluster, the images its kubelet cannot run. */
  private final Map<String, Set<String>> broken = new ConcurrentHashMap<>();
  /** Clusters whose API refuses writes. */
  private final Set<String> refusing = ConcurrentHashMap.newKeySet();
  private final ClusterRegistry registry;
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final List<OrchestrationPlane> planes = new ArrayList<>();

  WaveRolloutTest() {
    ClusterRegistry.Builder b = ClusterRegistry.builder();
    Map<String, String> regions = Map.of("c1", "canary", "c2", "eu", "c3", "eu", "c4", "us", "c5", "us", "c6", "us");
    for (String name : List.of("c1", "c2", "c3", "c4", "c5", "c6")) {
      InMemoryCluster c = InMemoryCluster.builder(name).clock(clock).build();
      clusters.put(name, c);
      closing.add(kubelet(c));
      b.add(new Refusing(c), Map.of("region", regions.get(name)));
    }
    registry = b.build();
  }

  @AfterEach
  void close() throws Exception {
    for (OrchestrationPlane p : planes) {
      p.close();
    }
    for (AutoCloseable c : closing) {
      c.close();
    }
    store.close();
  }

  /** Canary first, then eu, then us. */
  private static WaveStrategy.Builder regions() {
    return WaveStrategy.builder().groupByLabel("region", "canary", "eu", "us");
  }

  private record Rig(OrchestrationPlane plane, WaveRollout waves) {}

  private Rig rig(WaveStrategy strategy) {
    WaveRollout waves = WaveRollout.builder().strategy(strategy).store(store).clock(clock).clusters(registry).build();
    OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).logging(false).clusters(registry)
        .stateStore(store).executionStrategy(waves).build();
    planes.add(plane);
    return new Rig(plane, waves);
  }

  private static Application shop(String image) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "worker").property("image", image).build()).build();
  }

  private Optional<String> imageOn(String cluster) {
    return clusters.get(cluster).get(ResourceKey.of(cluster, "apps", "Deployment", "shop", "api"))
        .map(d -> d.at("/spec/template/spec/containers/0/image").asString());
  }

  /** Passes a minute apart until the rollout is no longer rolling out (at most {@code max}). */
  private WaveProgress settle(Rig rig, Application app, int max) {
    for (int i = 0; i < max; i++) {
      rig.plane().apply(app);
      WaveProgress p = rig.waves().progress("shop.shop").orElseThrow();
      if (p.state() != State.ROLLING_OUT) {
        return p;
      }
      clock.advance(Duration.ofMinutes(1));
    }
    return rig.waves().progress("shop.shop").orElseThrow();
  }

  @Test
  void theSecondWaveFailingStopsTheRolloutAndLeavesEveryLaterClusterOnItsRevision() {
    Rig rig = rig(regions().minSuccessTime(Duration.ofMinutes(5)).progressDeadline(Duration.ofMinutes(15)).build());
    assertThat(settle(rig, shop("acme/api:1"), 100).state()).isEqualTo(State.COMPLETE);
    assertThat(clusters.keySet()).allSatisfy(c -> assertThat(imageOn(c)).hasValue("acme/api:1"));
    long[] usWrites = clusters.values().stream().skip(3).mapToLong(c -> c.stats().writes()).toArray();

    broken.put("c2", Set.of("acme/api:2"));
    broken.put("c3", Set.of("acme/api:2"));
    WaveProgress p = settle(rig, shop("acme/api:2"), 100);

    assertThat(p.state()).isEqualTo(State.STOPPED);
    assertThat(p.currentWave()).isEqualTo(1);
    assertThat(p.reason()).startsWith("group region=eu: 2 of 2 clusters failed (maxFailures 0): c2 timed out (not "
        + "healthy within 15m: Deployment shop/api");
    assertThat(p.cluster("c1").orElseThrow().phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(p.clusters(Phase.TIMED_OUT)).containsExactly("c2", "c3");
    assertThat(p.clusters(Phase.PENDING)).containsExactly("c4", "c5", "c6");
    assertThat(imageOn("c1")).hasValue("acme/api:2");
    assertThat(imageOn("c2")).hasValue("acme/api:2");
    for (String us : List.of("c4", "c5", "c6")) {
      assertThat(imageOn(us)).as(us + " stays on the revision it ran").hasValue("acme/api:1");
    }
    assertThat(clusters.values().stream().skip(3).mapToLong(c -> c.stats().writes()).toArray())
        .as("not one write reached the later clusters").isEqualTo(usWrites);

    // later passes and hours change nothing: the rollout stays stopped, the change held with the reason
    clock.advance(Duration.ofHours(3));
    ExecutionResult again = rig.plane().apply(shop("acme/api:2"));
    assertThat(imageOn("c5")).hasValue("acme/api:1");
    Outcome held = again.byCluster().get("c5").get(0);
    assertThat(held.status()).isEqualTo(Outcome.Status.WAITING);
    assertThat(held.message()).contains("wave 3 of 3 (group region=us): the rollout stopped, not written: group "
        + "region=eu: 2 of 2 clusters failed");
    assertThat(p.toText()).contains("Waves of shop.shop: STOPPED at wave 2 of 3", "c4  PENDING");

    // a fixed release is a new desired state: a new rollout from the first wave
    broken.clear();
    assertThat(settle(rig, shop("acme/api:3"), 100).state()).isEqualTo(State.COMPLETE);
    assertThat(clusters.keySet()).allSatisfy(c -> assertThat(imageOn(c)).hasValue("acme/api:3"));
  }

  @Test
  void theNextWaveWaitsUntilTheWaveHasBeenHealthyForTheSoakTime() {
    Rig rig = rig(regions().minSuccessTime(Duration.ofMinutes(10)).build());
    rig.plane().apply(shop("acme/api:1"));
    assertThat(imageOn("c1")).hasValue("acme/api:1");
    assertThat(imageOn("c2")).isEmpty();

    clock.advance(Duration.ofMinutes(1));
    rig.plane().apply(shop("acme/api:1")); // c1 healthy now: the soak starts
    WaveProgress p = rig.waves().progress("shop.shop").orElseThrow();
    assertThat(p.cluster("c1").orElseThrow().phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(p.nextCheck()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));

    clock.advance(Duration.ofMinutes(9).plusSeconds(59));
    rig.plane().apply(shop("acme/api:1"));
    assertThat(imageOn("c2")).as("a second short of the soak").isEmpty();

    clock.advance(Duration.ofSeconds(1));
    rig.plane().apply(shop("acme/api:1"));
    assertThat(imageOn("c2")).hasValue("acme/api:1");
    assertThat(imageOn("c3")).hasValue("acme/api:1");
    assertThat(imageOn("c4")).isEmpty();
  }

  @Test
  void maxFailuresLetsTheRolloutGoOnWhileAGroupsFailuresStayWithinIt() {
    broken.put("c4", Set.of("acme/api:1"));
    Rig rig = rig(regions().maxConcurrency("2").maxFailures("1").progressDeadline(Duration.ofMinutes(5)).build());
    WaveProgress p = settle(rig, shop("acme/api:1"), 100);

    assertThat(p.state()).isEqualTo(State.COMPLETE);
    assertThat(p.waves()).as("canary, eu, us in two waves of at most 2").isEqualTo(4);
    assertThat(p.clusters(Phase.TIMED_OUT)).containsExactly("c4");
    assertThat(imageOn("c6")).hasValue("acme/api:1");
  }

  @Test
  void aFailedWriteFailsItsClusterAtOnceWithoutWaitingForTheDeadline() {
    refusing.add("c2");
    Rig rig = rig(regions().progressDeadline(Duration.ofHours(1)).build());
    WaveProgress p = settle(rig, shop("acme/api:1"), 10);

    assertThat(p.state()).as(p.toText()).isEqualTo(State.STOPPED);
    assertThat(p.cluster("c2").orElseThrow().phase()).isEqualTo(Phase.FAILED);
    assertThat(p.cluster("c2").orElseThrow().message()).contains("refused by the test");
    assertThat(imageOn("c4")).isEmpty();
  }

  @Test
  void aRestartedPlaneResumesAtTheSameWaveWithTheSameSoakAndDeadlineTimes() {
    WaveStrategy strategy = regions().minSuccessTime(Duration.ofMinutes(10)).progressDeadline(Duration.ofMinutes(30))
        .build();
    Rig first = rig(strategy);
    first.plane().apply(shop("acme/api:1"));
    clock.advance(Duration.ofMinutes(1));
    first.plane().apply(shop("acme/api:1")); // canary healthy at 10:01: eu may start at 10:11
    first.plane().close();
    long c1Writes = clusters.get("c1").stats().writes();

    clock.advance(Duration.ofMinutes(5));
    Rig second = rig(strategy); // a new plane and strategy over the same store and clusters
    second.plane().apply(shop("acme/api:1"));
    WaveProgress p = second.waves().progress("shop.shop").orElseThrow();
    assertThat(p.currentWave()).isZero();
    assertThat(p.cluster("c1").orElseThrow().phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(imageOn("c2")).as("the soak counts from before the restart").isEmpty();

    clock.advance(Duration.ofMinutes(4));
    second.plane().apply(shop("acme/api:1"));
    assertThat(imageOn("c2")).as("10:10").isEmpty();
    clock.advance(Duration.ofMinutes(1));
    second.plane().apply(shop("acme/api:1"));
    assertThat(second.waves().progress("shop.shop").orElseThrow().currentWave()).isEqualTo(1);
    assertThat(imageOn("c2")).hasValue("acme/api:1");
    assertThat(imageOn("c1")).hasValue("acme/api:1");
    assertThat(clusters.get("c1").stats().writes()).as("the restarted plane wrote nothing again on c1")
        .isEqualTo(c1Writes);
  }

  @Test
  void inContinuousModeEveryReconcileIsAPassAndResyncsCarryTheRolloutThroughTheWaves() {
    WaveStrategy strategy = regions().minSuccessTime(Duration.ofMinutes(2)).build();
    io.orchestrationplane.core.reconcile.Scheduler scheduler = io.orchestrationplane.core.reconcile.Scheduler.manual(clock);
    closing.add(scheduler::close);
    WaveRollout waves = WaveRollout.builder().strategy(strategy).store(store).clock(clock).clusters(registry).build();
    OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).logging(false).clusters(registry)
        .stateStore(store).executionStrategy(waves).scheduler(scheduler).workers(0)
        .resyncPeriod(Duration.ofMinutes(1)).build();
    planes.add(plane);
    plane.start();
    plane.submit(shop("acme/api:1"));
    plane.runPending();
    assertThat(imageOn("c1")).hasValue("acme/api:1");
    assertThat(imageOn("c2")).isEmpty();
    assertThat(plane.statuses().get("shop.shop").phase()).isEqualTo(io.orchestrationplane.core.status.Phase.PROGRESSING);

    for (int i = 0; i < 30 && imageOn("c6").isEmpty(); i++) {
      clock.advance(Duration.ofMinutes(1));
      plane.runPending();
    }
    // every cluster written: the plan has nothing to write, so continuous mode executes nothing
    // more and a refresh records that the last wave became healthy
    assertThat(plane.statuses().get("shop.shop").phase()).isEqualTo(io.orchestrationplane.core.status.Phase.READY);
    assertThat(waves.progress("shop.shop").orElseThrow().state()).isEqualTo(State.ROLLING_OUT);
    assertThat(waves.refresh(plane.plan(shop("acme/api:1"))).clusters(Phase.SUCCEEDED)).hasSize(6);
    clock.advance(Duration.ofMinutes(2)); // the last wave's soak
    assertThat(waves.refresh(plane.plan(shop("acme/api:1"))).state()).isEqualTo(State.COMPLETE);
    assertThat(waves.progress("shop.shop").orElseThrow().state()).isEqualTo(State.COMPLETE);
    assertThat(clusters.keySet()).allSatisfy(c -> assertThat(imageOn(c)).hasValue("acme/api:1"));
  }

  /** Marks Deployments available, as a kubelet would, unless their image is broken on that cluster. */
  private AutoCloseable kubelet(InMemoryCluster cluster) {
    return cluster.watch(List.of(new GroupKind("apps", "Deployment")), event -> {
      if (event.type() == WatchEvent.Type.DELETED) {
        return;
      }
      Resource d = event.resource();
      String image = d.at("/spec/template/spec/containers/0/image").asString();
      if (broken.getOrDefault(cluster.name(), Set.of()).contains(image)
          || d.at("/status/observedGeneration").asLong(-1) == d.generation()) {
        return;
      }
      int replicas = d.at("/spec/replicas").asInt(1);
      cluster.updateStatus(d.edit(t -> {
        ObjectNode status = t.putObject("status");
        status.put("observedGeneration", d.generation());
        status.put("replicas", replicas);
        status.put("updatedReplicas", replicas);
        status.put("readyReplicas", replicas);
        status.put("availableReplicas", replicas);
        ObjectNode available = status.putArray("conditions").addObject();
        available.put("type", "Available");
        available.put("status", "True");
      }));
    });
  }

  /** A cluster whose API refuses writes while its name is in {@link #refusing}. */
  private final class Refusing extends ForwardingClusterDriver {
    Refusing(ClusterDriver delegate) {
      super(delegate);
    }

    private void check() {
      if (refusing.contains(name())) {
        throw ClusterException.invalid(name(), "refused by the test");
      }
    }

    @Override
    public Resource create(Resource object) {
      check();
      return super.create(object);
    }

    @Override
    public Resource apply(Resource desired) {
      check();
      return super.apply(desired);
    }

    @Override
    public Resource update(Resource object) {
      check();
      return super.update(object);
    }
  }
}
