package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.apply.WriteResult;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.observe.PlaneRecord;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sharding over Leases: several planes on one CRUD mock API server split twelve applications,
 * everything timed by one fake clock that the test advances (no sleeps). Every write of every
 * replica and every sharding event is logged in one sequence, and the log is checked for two
 * owners of one application at once.
 */
class ShardingIT {
  private static final Duration LEASE = Duration.ofSeconds(15);
  private static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  private static final Duration RETRY = Duration.ofSeconds(2);
  private static final String NS = "team-a";
  private static final List<Application> APPS = IntStream.range(0, 12).mapToObj(ShardingIT::app).toList();
  private static final List<String> IDS = APPS.stream().map(Application::id).toList();

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-12-03T12:00:00Z"));
  private final MockApi api = new MockApi();
  private final KubernetesClient raw = api.rawClient();
  private final Log log = new Log();
  private final Map<String, Replica> replicas = new LinkedHashMap<>();
  private int round;

  /** One replica: its own driver, sharding and plane. */
  private final class Replica {
    final String id;
    final KubernetesCluster cluster;
    final Sharding sharding;
    final OrchestrationPlane plane;
    final Scheduler scheduler = Scheduler.manual(clock);
    final ShardedPlane sharded;
    boolean ticking = true;
    boolean running = true;

    Replica(String id, int shards) {
      this.id = id;
      cluster = KubernetesCluster.builder("shared").config(api.config()).limits(MockApi.FAST).cachedReads(false).build();
      sharding = Sharding.builder(cluster, "ops", "planes", id).shards(shards).leaseDuration(LEASE)
          .renewDeadline(RENEW_DEADLINE).retryPeriod(RETRY).clock(clock).onEvent(log::event).build();
      plane = OrchestrationPlane.builder().cluster(cluster).clock(clock).scheduler(scheduler).workers(0)
          .driftCorrectionLimits(1_000, Duration.ofMinutes(1), Duration.ZERO).writePermit(sharding).build();
      plane.addObserver(record -> {
        if (record instanceof PlaneRecord.Written w && (w.result() instanceof WriteResult.Created
            || w.result() instanceof WriteResult.Updated || w.result() instanceof WriteResult.Deleted)) {
          log.write(id, w.application(), sharding.owns(w.application()));
        }
      });
      sharded = ShardedPlane.wire(plane, sharding);
      APPS.forEach(plane::submit);
      plane.start();
    }

    void close() {
      sharded.close();
      plane.close();
      scheduler.close();
      cluster.close();
    }
  }

  /** Writes and sharding events in the order they happened, with the fake time. */
  private final class Log {
    final AtomicLong seq = new AtomicLong();
    final List<Entry> entries = java.util.Collections.synchronizedList(new ArrayList<>());

    record Entry(long seq, Instant at, String replica, String application, boolean owned, ShardingEvent event) {}

    void write(String replica, String application, boolean owned) {
      entries.add(new Entry(seq.incrementAndGet(), clock.instant(), replica, application, owned, null));
    }

    void event(ShardingEvent e) {
      entries.add(new Entry(seq.incrementAndGet(), clock.instant(), e.identity(), null, true, e));
    }

    List<Entry> writes() {
      return List.copyOf(entries).stream().filter(e -> e.event() == null).toList();
    }

    List<Entry> events(ShardingEvent.Type type) {
      return List.copyOf(entries).stream().filter(e -> e.event() != null && e.event().type() == type).toList();
    }
  }

  @AfterEach
  void close() {
    replicas.values().forEach(r -> {
      if (r.running) {
        r.close();
      }
    });
    raw.close();
    api.close();
  }

  @Test
  void threeReplicasSplitTheApplicationsAndTakeOverADeadOnesShardsWithinTheLease() {
    for (String id : List.of("plane-a", "plane-b", "plane-c")) {
      replicas.put(id, new Replica(id, 6));
    }
    roundsUntil(() -> replicas.values().stream().allMatch(r -> r.sharding.ownedShards().size() == 2), 10);
    assertThat(replicas.values()).allSatisfy(r -> assertThat(r.sharding.members()).hasSize(3));
    long balanced = log.seq.get(); // the first replica started alone and held every shard for a while
    roundsUntil(this::converged, 3);
    Map<String, Set<String>> writers = writersByApplication(balanced);
    assertThat(writers).as("every application written, each by one replica").hasSize(12)
        .allSatisfy((app, who) -> assertThat(who).hasSize(1));
    assertThat(new TreeSet<>(writers.values().stream().flatMap(Set::stream).toList()))
        .as("the applications are spread").hasSize(3);

    // plane-c stops renewing without releasing (a partition or a long pause) but its plane keeps
    // trying to reconcile: it must stop writing before the others may take its shards.
    Replica dead = replicas.get("plane-c");
    // Its last renewal, seen by the others in the same round (they run theirs after it), so
    // takeover is bounded by the lease duration plus one retry period (the rounds' granularity);
    // a renewal the others see one round late adds one more retry period (docs/kubernetes.md).
    clock.advance(RETRY);
    dead.sharding.tick();
    Instant killed = clock.instant();
    dead.ticking = false;
    round();
    Set<Integer> orphaned = dead.sharding.ownedShards();
    assertThat(orphaned).hasSize(2);
    Map<Integer, Instant> takenOver = new HashMap<>();
    for (int i = 0; i < 15 && takenOver.size() < orphaned.size(); i++) {
      clock.advance(RETRY);
      round();
      for (Log.Entry e : log.events(ShardingEvent.Type.ACQUIRED)) {
        if (!e.replica().equals("plane-c") && e.at().isAfter(killed) && orphaned.contains(e.event().shard())) {
          takenOver.putIfAbsent(e.event().shard(), e.at());
        }
      }
    }
    assertThat(takenOver).as("every shard of the dead replica taken over").containsOnlyKeys(orphaned);
    Duration takeover = takenOver.values().stream().map(t -> Duration.between(killed, t)).max(Duration::compareTo)
        .orElseThrow();
    assertThat(takeover).as("takeover time").isGreaterThanOrEqualTo(LEASE).isLessThanOrEqualTo(LEASE.plus(RETRY));
    assertThat(dead.sharding.ownedShards()).as("the dead replica fenced itself").isEmpty();
    List<Log.Entry> deadWrites = log.writes().stream().filter(e -> e.replica().equals("plane-c")).toList();
    assertThat(deadWrites).as("the dead replica wrote after its kill, while it still held its leases").isNotEmpty()
        .allSatisfy(e -> assertThat(e.at()).isBefore(killed.plus(RENEW_DEADLINE)));
    roundsUntil(this::converged, 3);
    assertThat(replicas.get("plane-a").sharding.ownedShards().size()
        + replicas.get("plane-b").sharding.ownedShards().size()).isEqualTo(6);
    assertNoTwoOwnersAtOnce(Map.of("plane-c", killed));
  }

  @Test
  void shardCountAndMembershipChangeWithoutARestart() {
    replicas.put("plane-a", new Replica("plane-a", 4));
    replicas.put("plane-b", new Replica("plane-b", 4));
    roundsUntil(() -> owned("plane-a") + owned("plane-b") == 4 && owned("plane-a") == 2, 10);
    roundsUntil(this::converged, 3);

    // a third replica joins: it gets a share, the others hand shards over only after their work stopped
    replicas.put("plane-c", new Replica("plane-c", 4));
    roundsUntil(() -> owned("plane-c") >= 1 && owned("plane-a") + owned("plane-b") + owned("plane-c") == 4, 10);
    assertThat(log.events(ShardingEvent.Type.RELEASED)).as("rebalancing releases, not expiry").isNotEmpty();
    roundsUntil(this::converged, 3);

    // the shard count goes from 4 to 6 at run time
    replicas.get("plane-a").sharding.changeShardCount(6);
    roundsUntil(() -> replicas.values().stream().allMatch(r -> r.sharding.shardCount() == 6
        && r.sharding.ownedShards().size() == 2), 12);
    roundsUntil(this::converged, 3);
    assertThat(log.events(ShardingEvent.Type.SHARD_COUNT_CHANGED)).hasSize(3);

    // a replica leaves cleanly: its shards are free at once, not after a lease duration
    Instant leaving = clock.instant();
    Replica b = replicas.get("plane-b");
    b.close();
    b.running = false;
    b.ticking = false;
    roundsUntil(() -> owned("plane-a") == 3 && owned("plane-c") == 3, 3);
    assertThat(Duration.between(leaving, clock.instant())).isLessThan(LEASE);
    roundsUntil(this::converged, 3);
    assertThat(log.events(ShardingEvent.Type.LOST)).as("no shard was lost, every one was handed over").isEmpty();
    assertNoTwoOwnersAtOnce(Map.of());
  }

  private int owned(String replica) {
    return replicas.get(replica).sharding.ownedShards().size();
  }

  /** One round: every live replica runs a sharding round, drift is made, and every running plane reconciles. */
  private void round() {
    round++;
    replicas.values().stream().filter(r -> r.ticking).forEach(r -> r.sharding.tick());
    for (int i = 0; i < APPS.size(); i++) {
      ConfigMap cm = raw.configMaps().inNamespace(NS).withName("config-" + i).get();
      if (cm != null) {
        cm.getData().put("mode", "drift-" + round);
        raw.configMaps().inNamespace(NS).resource(cm).update();
      }
    }
    replicas.values().stream().filter(r -> r.running).forEach(r -> {
      r.plane.requeue(IDS);
      r.plane.runPending();
    });
  }

  private void roundsUntil(java.util.function.BooleanSupplier done, int max) {
    for (int i = 0; i < max; i++) {
      clock.advance(RETRY);
      round();
      if (done.getAsBoolean()) {
        return;
      }
    }
    throw new AssertionError("not reached after " + max + " rounds; owned: " + replicas.values().stream()
        .map(r -> r.id + "=" + r.sharding.ownedShards()).toList());
  }

  /** Every application's ConfigMap holds its desired value (corrected after this round's drift). */
  private boolean converged() {
    return IntStream.range(0, APPS.size()).allMatch(i -> {
      ConfigMap cm = raw.configMaps().inNamespace(NS).withName("config-" + i).get();
      return cm != null && ("mode-" + i).equals(cm.getData().get("mode"));
    });
  }

  private Map<String, Set<String>> writersByApplication(long after) {
    Map<String, Set<String>> out = new HashMap<>();
    log.writes().stream().filter(e -> e.seq() > after).forEach(e -> out.computeIfAbsent(e.application(), k -> new TreeSet<>()).add(e.replica()));
    return out;
  }

  /**
   * For every application, consecutive writes by different replicas X then Y are allowed only when
   * X gave the application's shard up in between (RELEASED or LOST), or X was killed and Y wrote
   * only after X's lease duration while X's last write was before its renew deadline. And no write
   * happened without the writer owning the application at that moment.
   */
  private void assertNoTwoOwnersAtOnce(Map<String, Instant> killed) {
    List<Log.Entry> all = List.copyOf(log.entries);
    assertThat(log.writes()).as("every write was made by the owner of its application").allMatch(Log.Entry::owned);
    Map<String, Log.Entry> last = new HashMap<>();
    for (Log.Entry w : log.writes()) {
      Log.Entry before = last.put(w.application(), w);
      if (before == null || before.replica().equals(w.replica())) {
        continue;
      }
      boolean gaveUp = all.stream().anyMatch(e -> e.event() != null && e.replica().equals(before.replica())
          && e.seq() > before.seq() && e.seq() < w.seq()
          && (e.event().type() == ShardingEvent.Type.RELEASED || e.event().type() == ShardingEvent.Type.LOST)
          && ShardAssignment.shardOf(w.application(), e.event().shards()) == e.event().shard());
      Instant deadAt = killed.get(before.replica());
      boolean expired = deadAt != null && before.at().isBefore(deadAt.plus(RENEW_DEADLINE))
          && !w.at().isBefore(deadAt.plus(LEASE));
      assertThat(gaveUp || expired).as("%s written by %s (#%d at %s) then by %s (#%d at %s) without a handover",
          w.application(), before.replica(), before.seq(), before.at(), w.replica(), w.seq(), w.at()).isTrue();
    }
  }

  private static Application app(int i) {
    return Application.builder("app-" + i).namespace(NS)
        .component(Component.builder("config", "k8s-objects").property("objects", List.of(Map.of(
            "apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "config-" + i),
            "data", Map.of("mode", "mode-" + i)))).build())
        .build();
  }
}
