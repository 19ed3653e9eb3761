package io.orchestrationplane.testkit.reliability;

import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThat;

import io.orchestrationplane.core.ApplicationStatus;
import io.orchestrationplane.core.GroupKind;
import io.orchestrationplane.core.Resource;
import io.orchestrationplane.core.ResourceKey;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.reconcile.WorkQueue;
import io.orchestrationplane.testkit.TestEnvironment;
import io.orchestrationplane.testkit.faults.FaultStats;
import io.orchestrationplane.testkit.faults.Failure;
import io.orchestrationplane.testkit.faults.FaultyCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 7's reliability acceptance: 1,000 applications in continuous mode on one in-memory
 * cluster whose driver fails 20% of all calls (a seeded mix of conflicts, 429s, 500s and
 * timeouts, some of them after the write landed) all converge, without a duplicate create and
 * without an object outside the desired set. Deterministic: no worker threads, manual clock.
 */
class ConvergenceUnderFaultsTest {
  private static final int APPLICATIONS = 1_000;
  private static final Duration GIVE_UP_AFTER = Duration.ofHours(3);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final Set<GroupKind> MANAGED = Set.of(new GroupKind("apps", "Deployment"), new GroupKind("", "Service"));

  static Application app(int i) {
    String name = String.format("app-%04d", i);
    return Application.builder(name).namespace(name)
        .component(Component.builder("api", "webservice").property("image", "acme/" + name + ":1").build())
        .build();
  }

  @Test
  void aThousandApplicationsConvergeThroughTwentyPercentFailedDriverCalls() {
    AtomicReference<FaultyCluster> faulty = new AtomicReference<>();
    try (TestEnvironment env = TestEnvironment.builder()
        .cluster("prod")
        .reactiveSimulators(false) // one simulator pass per step instead of one per watch event
        .driver((cluster, clock) -> {
          faulty.set(FaultyCluster.builder(cluster).seed(20261127).errorRate(0.2)
              .failures(Failure.CONFLICT, Failure.TOO_MANY_REQUESTS, Failure.SERVER_ERROR, Failure.TIMEOUT,
                  Failure.TIMEOUT_AFTER_WRITE)
              .build());
          return faulty.get();
        })
        .plane(p -> p.queue(WorkQueue.Config.custom().rate(1_000).burst(1_000).maxDelay(MAX_BACKOFF).build()))
        .build()) {
      InMemoryCluster cluster = env.cluster("prod");
      Map<ResourceKey, Integer> creates = new HashMap<>();
      AutoCloseable counting = cluster.watch(MANAGED, e -> {
        if (e.type() == WatchEvent.Type.ADDED) {
          creates.merge(e.resource().key("prod"), 1, Integer::sum);
        }
      });
      List<Application> apps = new ArrayList<>();
      Set<ResourceKey> desired = new HashSet<>();
      for (int i = 0; i < APPLICATIONS; i++) {
        Application app = app(i);
        apps.add(app);
        env.plane().render(app).values().forEach(list -> list.forEach(r -> desired.add(r.key("prod"))));
        env.plane().submit(app);
      }

      long started = System.nanoTime();
      Duration simulated = Duration.ZERO;
      int notReady = apps.size();
      while (notReady > 0 && simulated.compareTo(GIVE_UP_AFTER) < 0) {
        env.advanceInSteps(Duration.ofMinutes(1), Duration.ofSeconds(1));
        simulated = simulated.plusMinutes(1);
        notReady = (int) apps.stream().filter(a -> !env.plane().status(a).isReady()).count();
      }
      long wallMillis = (System.nanoTime() - started) / 1_000_000;

      FaultStats stats = faulty.get().stats();
      long duplicates = creates.values().stream().filter(n -> n > 1).count();
      List<ResourceKey> outside = new ArrayList<>();
      for (GroupKind kind : MANAGED) {
        for (Resource r : cluster.list(kind, null, Map.of())) {
          if (!desired.contains(r.key("prod"))) {
            outside.add(r.key("prod"));
          }
        }
      }
      System.out.printf("reliability: %d applications, %d ready after %s simulated (%d ms wall, %d reconciles); driver calls %d, "
              + "injected failures %d (%.1f%%) %s; objects created %d, duplicate creates %d, objects outside the "
              + "desired set %d; cluster writes %s%n",
          apps.size(), apps.size() - notReady, simulated, wallMillis, env.reconciles(), stats.totalCalls(), stats.totalInjected(),
          100.0 * stats.totalInjected() / stats.totalCalls(), stats.injected(), creates.size(), duplicates,
          outside.size(), cluster.stats());

      for (Application app : apps) {
        ApplicationStatus status = env.plane().status(app);
        assertThat(status).isReady();
      }
      assertThat(stats.totalInjected()).isGreaterThan(stats.totalCalls() / 10);
      assertThat(duplicates).as("keys created more than once").isZero();
      assertThat(outside).as("objects outside the desired set").isEmpty();
      assertThat(creates.keySet()).isEqualTo(desired);
      counting.close();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
