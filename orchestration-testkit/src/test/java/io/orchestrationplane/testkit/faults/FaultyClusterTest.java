package io.orchestrationplane.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultyClusterTest {
  private final ManualClock clock = ManualClock.create();
  private final InMemoryCluster cluster = InMemoryCluster.builder("prod").clock(clock).build();
  private static final ResourceKey API = ResourceKey.of("prod", "apps", "Deployment", "shop", "api");

  private static Resource deployment(String name) {
    return Resource.fromYaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, namespace: shop}
        spec: {replicas: 1}
        """.formatted(name));
  }

  /** Outcome of each of {@code n} applies: the failure's reason, or "ok". */
  private static List<String> outcomes(FaultyCluster faulty, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      try {
        faulty.apply(deployment("app-" + i));
        out.add("ok");
      } catch (ClusterException e) {
        out.add(e.reason().name());
      }
    }
    return out;
  }

  @Test
  void withoutSettingsNothingFailsAndCallsReachTheCluster() {
    FaultyCluster faulty = FaultyCluster.builder(cluster).build();
    faulty.apply(deployment("api"));
    assertThat(faulty.get(API)).isPresent();
    assertThat(faulty.name()).isEqualTo("prod");
    assertThat(faulty.stats().totalInjected()).isZero();
    assertThat(faulty.stats().calls(Operation.APPLY)).isEqualTo(1);
    assertThat(faulty.stats().calls(Operation.GET)).isEqualTo(1);
  }

  @Test
  void theSameSeedGivesTheSameFailuresAndAnotherSeedOthers() {
    List<String> first = outcomes(FaultyCluster.builder(InMemoryCluster.create("a")).seed(7).errorRate(0.3).build(), 200);
    List<String> again = outcomes(FaultyCluster.builder(InMemoryCluster.create("b")).seed(7).errorRate(0.3).build(), 200);
    List<String> other = outcomes(FaultyCluster.builder(InMemoryCluster.create("c")).seed(8).errorRate(0.3).build(), 200);
    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void theErrorRateAndTheMixAreRespected() {
    FaultyCluster faulty = FaultyCluster.builder(cluster).seed(3).errorRate(0.2).build();
    List<String> results = outcomes(faulty, 5_000);
    long failed = results.stream().filter(r -> !r.equals("ok")).count();
    assertThat(failed).isBetween(900L, 1_100L);
    FaultStats stats = faulty.stats();
    assertThat(stats.totalInjected()).isEqualTo(failed);
    for (Failure f : List.of(Failure.CONFLICT, Failure.TOO_MANY_REQUESTS, Failure.SERVER_ERROR, Failure.TIMEOUT)) {
      assertThat(stats.injected(f)).as(f.name()).isBetween(180L, 320L);
    }
    assertThat(stats.injected(Failure.UNAVAILABLE)).isZero();
    assertThat(stats.injected(Operation.APPLY)).isEqualTo(failed);
  }

  @Test
  void eachFailureBecomesTheClusterExceptionWithItsReason() {
    FaultyCluster faulty = FaultyCluster.builder(cluster).retryAfter(Duration.ofSeconds(3)).build();
    faulty.failNext(1, Operation.APPLY, Failure.CONFLICT)
        .failNext(1, Operation.APPLY, Failure.TOO_MANY_REQUESTS)
        .failNext(1, Operation.APPLY, Failure.SERVER_ERROR)
        .failNext(1, Operation.APPLY, Failure.TIMEOUT);
    assertThatThrownBy(() -> faulty.apply(deployment("api"))).isInstanceOfSatisfying(ClusterException.class, e -> {
      assertThat(e.reason()).isEqualTo(ClusterException.Reason.CONFLICT);
      assertThat(e.cluster()).isEqualTo("prod");
      assertThat(e.getMessage()).contains("injected conflict on apply Deployment shop/api");
    });
    assertThatThrownBy(() -> faulty.apply(deployment("api"))).isInstanceOfSatisfying(ClusterException.class, e -> {
      assertThat(e.reason()).isEqualTo(ClusterException.Reason.TOO_MANY_REQUESTS);
      assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
    });
    assertThatThrownBy(() -> faulty.apply(deployment("api"))).isInstanceOfSatisfying(ClusterException.class,
        e -> assertThat(e.reason()).isEqualTo(ClusterException.Reason.SERVER_ERROR));
    assertThatThrownBy(() -> faulty.apply(deployment("api"))).isInstanceOfSatisfying(ClusterException.class,
        e -> assertThat(e.reason()).isEqualTo(ClusterException.Reason.TIMEOUT));
    assertThat(cluster.get(API)).as("nothing reached the cluster").isEmpty();
    faulty.apply(deployment("api"));
    assertThat(cluster.get(API)).isPresent();
  }

  @Test
  void aTimeoutAfterTheWriteLeavesTheWriteInPlace() {
    FaultyCluster faulty = FaultyCluster.builder(cluster).build();
    faulty.failNext(1, Operation.APPLY, Failure.TIMEOUT_AFTER_WRITE);
    assertThatThrownBy(() -> faulty.apply(deployment("api"))).isInstanceOfSatisfying(ClusterException.class,
        e -> assertThat(e.reason()).isEqualTo(ClusterException.Reason.TIMEOUT));
    assertThat(cluster.get(API)).isPresent();
    assertThat(faulty.stats().injected(Failure.TIMEOUT_AFTER_WRITE)).isEqualTo(1);
  }

  @Test
  void aScriptedSequenceFailsOnlyTheNamedObjectAndOnlyThatManyTimes() {
    FaultyCluster faulty = FaultyCluster.builder(cluster).build();
    faulty.failNext(2, Operation.APPLY, "Deployment", "shop/api", Failure.CONFLICT);

    faulty.apply(deployment("web")); // another object is not affected
    assertThatThrownBy(() -> faulty.apply(deployment("api"))).isInstanceOf(ClusterException.class);
    assertThat(faulty.get(API)).as("reads are not affected").isEmpty();
    assertThatThrownBy(() -> faulty.apply(deployment("api"))).isInstanceOf(ClusterException.class);
    faulty.apply(deployment("api"));

    assertThat(cluster.get(API)).isPresent();
    assertThat(faulty.stats().injected(Failure.CONFLICT)).isEqualTo(2);
    assertThat(faulty.stats().calls(Operation.APPLY)).isEqualTo(4);
  }

  @Test
  void aPartitionFailsEveryCallAndDropsWatchEventsUntilHealed() throws Exception {
    FaultyCluster faulty = FaultyCluster.builder(cluster).build();
    List<WatchEvent> seen = new ArrayList<>();
    AutoCloseable watch = faulty.watch(List.of(), seen::add);
    faulty.partition();

    assertThatThrownBy(() -> faulty.list(API.groupKind(), null, Map.of()))
        .isInstanceOfSatisfying(ClusterException.class, e -> {
          assertThat(e.reason()).isEqualTo(ClusterException.Reason.UNAVAILABLE);
          assertThat(e.getMessage()).contains("cluster prod unreachable (injected partition)");
        });
    cluster.apply(deployment("api")); // someone else writes while we are cut off
    assertThat(seen).isEmpty();

    faulty.heal();
    assertThat(faulty.get(API)).isPresent();
    cluster.apply(deployment("web"));
    assertThat(seen).extracting(e -> e.resource().name()).containsExactly("web");
    assertThat(faulty.stats().injected(Failure.UNAVAILABLE)).isEqualTo(1);
    watch.close();
  }

  @Test
  void latencyMovesTheManualClockAndIsCounted() {
    FaultyCluster faulty = FaultyCluster.builder(cluster).clock(clock)
        .latency(Operation.APPLY, Duration.ofMillis(250)).build();
    Instant before = clock.instant();
    faulty.apply(deployment("api"));
    faulty.get(API);
    assertThat(Duration.between(before, clock.instant())).isEqualTo(Duration.ofMillis(250));
    assertThat(faulty.stats().addedLatency()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void badSettingsAreRejectedNamingTheValue() {
    assertThatThrownBy(() -> FaultyCluster.builder(cluster).errorRate(1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
    assertThatThrownBy(() -> FaultyCluster.builder(cluster).latency(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.001");
    assertThatThrownBy(() -> FaultyCluster.builder(cluster).build().failNext(0, Operation.GET, Failure.TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
  }
}
