package io.orchestrationplane.testkit.gating;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.health.Health;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Condition;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.testkit.simulator.Fault;
import io.orchestrationplane.testkit.simulator.WorkloadSimulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Readiness-gated rollout and the progress deadline, in continuous mode, with the workload
 * simulator playing the cluster's controllers on a manual clock.
 */
class ReadinessGatingTest {
  private final ManualClock clock = ManualClock.create();
  private final Scheduler scheduler = Scheduler.manual(clock);
  private final InMemoryCluster cluster = InMemoryCluster.builder("dev").clock(clock).build();
  private final WorkloadSimulator simulator = WorkloadSimulator.builder(cluster, clock)
      .readiness(Duration.ofSeconds(20)).build();
  private final List<PlaneEvent> events = new CopyOnWriteArrayList<>();
  private final OrchestrationPlane plane = OrchestrationPlane.builder()
      .clock(clock).scheduler(scheduler).workers(0).cluster(cluster)
      .progressDeadline(Duration.ofMinutes(2))
      .listener(events::add)
      .build();

  private static final ResourceKey API = ResourceKey.of("dev", "apps", "Deployment", "shop", "api");
  private static final ResourceKey DB = ResourceKey.of("dev", "apps", "Deployment", "shop", "db");

  static Application shop(String apiImage) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("db", "worker").property("image", "acme/db:1").build())
        .component(Component.builder("api", "webservice").property("image", apiImage).property("replicas", 3)
            .dependsOn("db").build())
        .build();
  }

  @AfterEach
  void close() {
    plane.close();
    simulator.close();
    scheduler.close();
  }

  @Test
  void aDependentIsAppliedOnlyOnceItsDependencyIsHealthy() {
    simulator.start();
    plane.start();
    plane.submit(shop("acme/api:1"));
    plane.runPending();

    assertThat(cluster.get(DB)).isPresent();
    assertThat(cluster.get(API)).as("api waits for db").isEmpty();
    ApplicationStatus waiting = plane.status(shop("acme/api:1"));
    assertThat(waiting.phase()).isEqualTo(Phase.PROGRESSING);
    assertThat(waiting.condition(Condition.PROGRESSING)).hasValueSatisfying(c -> {
      assertThat(c.reason()).isEqualTo("WaitingForDependencies");
      assertThat(c.message()).startsWith("api: Service shop/api waits for db: Deployment shop/db");
    });

    simulator.settle(Duration.ofMinutes(1)); // db becomes available; its status events queue a reconcile
    plane.runPending();
    assertThat(cluster.get(API)).isPresent();

    simulator.settle(Duration.ofMinutes(1));
    plane.runPending();
    ApplicationStatus ready = plane.status(shop("acme/api:1"));
    assertThat(ready.phase()).as(ready.toText()).isEqualTo(Phase.READY);
    assertThat(ready.health().health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void aDependentWaitingOnAStuckDependencyIsDegradedAtTheDeadline() {
    simulator.failImage("acme/db:1", Fault.IMAGE_PULL_ERROR);
    simulator.start();
    plane.start();
    plane.submit(shop("acme/api:1"));
    plane.runPending();
    simulator.advance(Duration.ofMinutes(1));
    plane.runPending();
    assertThat(plane.status(shop("acme/api:1")).phase()).isEqualTo(Phase.PROGRESSING);
    simulator.advance(Duration.ofMinutes(2)); // the deadline counts from the first reconcile, not from each retry
    plane.runPending();
    ApplicationStatus degraded = plane.status(shop("acme/api:1"));
    assertThat(degraded.phase()).as(degraded.toText()).isEqualTo(Phase.DEGRADED);
    assertThat(degraded.condition(Condition.DEGRADED)).hasValueSatisfying(c -> {
      assertThat(c.reason()).isEqualTo("ProgressDeadlineExceeded");
      assertThat(c.message()).startsWith("api: Service shop/api waits for db: Deployment shop/db").matches(".* after 3m(\\d+s)?");
    });
    assertThat(cluster.get(API)).isEmpty();
  }

  @Test
  void anApplicationStillUnhealthyAfterTheProgressDeadlineIsDegradedWithTheReason() {
    simulator.failImage("acme/api:broken", Fault.IMAGE_PULL_ERROR);
    simulator.start();
    plane.start();
    plane.submit(shop("acme/api:broken"));
    plane.runPending();
    simulator.settle(Duration.ofMinutes(1));
    plane.runPending();
    assertThat(cluster.get(API)).isPresent();
    assertThat(plane.status(shop("acme/api:broken")).phase()).isEqualTo(Phase.PROGRESSING);

    simulator.advance(Duration.ofMinutes(2)); // the plane's deadline requeue comes due on the way
    plane.runPending();
    ApplicationStatus degraded = plane.status(shop("acme/api:broken"));
    assertThat(degraded.phase()).as(degraded.toText()).isEqualTo(Phase.DEGRADED);
    assertThat(degraded.condition(Condition.DEGRADED)).hasValueSatisfying(c -> {
      assertThat(c.reason()).isEqualTo("ProgressDeadlineExceeded");
      // the deadline counts from the generation's first reconcile; the reconcile that noticed ran a little later
      assertThat(c.message()).matches("api: Deployment shop/api: Waiting for rollout to finish: 0 of 3 updated replicas are available after 2m(\\d+s)?");
    });
    assertThat(events).extracting(PlaneEvent::type).contains(PlaneEvent.Type.DEGRADED);

    simulator.clearFaults();
    plane.submit(shop("acme/api:2")); // the fix rolls out and the application recovers
    plane.runPending();
    simulator.settle(Duration.ofMinutes(2));
    plane.runPending();
    assertThat(plane.status(shop("acme/api:2")).phase()).isEqualTo(Phase.READY);
  }
}
