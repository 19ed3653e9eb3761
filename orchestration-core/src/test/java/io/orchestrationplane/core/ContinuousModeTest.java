package io.orchestrationplane.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.DriftPolicy;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Condition;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Continuous mode, deterministically: no worker threads (runPending reconciles on the test's
 * thread), a manual clock and a manual scheduler, so retries and resyncs come due only when the
 * test advances time.
 */
class ContinuousModeTest {
  private final ManualClock clock = ManualClock.create();
  private final Scheduler scheduler = Scheduler.manual(clock);
  private final InMemoryCluster eu = InMemoryCluster.builder("eu").clock(clock).build();
  private final FlakyDriver flaky = new FlakyDriver(eu);
  private final AutoCloseable kubelet = InstantKubelet.attach(eu);
  private final List<PlaneEvent> events = new CopyOnWriteArrayList<>();
  private final OrchestrationPlane plane = OrchestrationPlane.builder()
      .clock(clock).scheduler(scheduler).workers(0)
      .cluster(flaky)
      .listener(events::add)
      .build();
  private static final ResourceKey API = ResourceKey.of("eu", "apps", "Deployment", "shop", "api");

  @AfterEach
  void closePlane() {
    plane.close();
    scheduler.close();
  }

  static Application shop(int replicas) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "webservice").property("image", "acme/api:1").property("replicas", replicas).build())
        .component(Component.builder("worker", "worker").property("image", "acme/worker:1").dependsOn("api").build())
        .build();
  }

  /** What happened, without the STATUS_CHANGED notifications. */
  private List<PlaneEvent.Type> eventTypes() {
    return events.stream().map(PlaneEvent::type).filter(t -> t != PlaneEvent.Type.STATUS_CHANGED).toList();
  }

  @Test
  void submittedApplicationsConvergeAndOwnWritesCauseAtMostOneNoOpReconcile() {
    plane.start();
    assertThat(plane.submit(shop(2))).isEqualTo(1);
    int reconciles = plane.runPending();
    assertThat(reconciles).isEqualTo(2); // the apply, then one follow-up for its own watch events
    assertThat(eu.size()).as("three objects and the application's inventory").isEqualTo(4);
    assertThat(eu.stats().writes()).isEqualTo(4);
    ApplicationStatus status = plane.status(shop(2));
    assertThat(status.phase()).isEqualTo(Phase.READY);
    assertThat(status.observedGeneration()).isEqualTo(1);
    assertThat(status.condition(Condition.READY)).hasValueSatisfying(c -> assertThat(c.isTrue()).isTrue());
    assertThat(eventTypes()).containsExactly(PlaneEvent.Type.SUBMITTED, PlaneEvent.Type.APPLIED, PlaneEvent.Type.CONVERGED);
  }

  @Test
  void aConvergedApplicationCostsNoWrites() {
    plane.start();
    plane.submit(shop(2));
    plane.runPending();
    long writes = eu.stats().writes();
    plane.submit(shop(2)); // same desired state: same generation, one reconcile, no writes
    assertThat(plane.runPending()).isEqualTo(1);
    assertThat(eu.stats().writes()).isEqualTo(writes);
    assertThat(plane.status(shop(2)).observedGeneration()).isEqualTo(1);
  }

  @Test
  void aManagedFieldChangedOutOfBandIsRestoredOnTheWatchEvent() {
    plane.start();
    plane.submit(shop(2));
    plane.runPending();
    Resource live = eu.get(API).orElseThrow();
    eu.update(live.edit(t -> ((ObjectNode) t.get("spec")).put("replicas", 7)));
    assertThat(plane.runPending()).isEqualTo(2); // the correction, then the no-op follow-up
    assertThat(eu.get(API).orElseThrow().at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(events).filteredOn(e -> e.type() == PlaneEvent.Type.DRIFT_CORRECTED).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("Deployment shop/api (cluster eu): spec.replicas"));
  }

  @Test
  void aManagedObjectDeletedOutOfBandIsRecreated() {
    plane.start();
    plane.submit(shop(2));
    plane.runPending();
    eu.delete(API);
    plane.runPending();
    assertThat(eu.get(API)).isPresent();
    assertThat(events).filteredOn(e -> e.type() == PlaneEvent.Type.DRIFT_DETECTED).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("Deployment shop/api (cluster eu): missing"));
  }

  @Test
  void changesWhoseEventsWereLostAreFoundByTheNextResync() {
    plane.start();
    plane.submit(shop(2));
    plane.runPending();
    clock.advance(Duration.ofMinutes(10)); // a resync of the converged application: nothing to do
    assertThat(plane.runPending()).isEqualTo(1);
    long writes = eu.stats().writes();

    flaky.dropEvents = true;
    Resource live = eu.get(API).orElseThrow();
    eu.update(live.edit(t -> ((ObjectNode) t.get("spec")).put("replicas", 7)));
    eu.delete(ResourceKey.of("eu", "", "Service", "shop", "api"));
    assertThat(plane.runPending()).as("no event, no reconcile").isZero();
    flaky.dropEvents = false;

    clock.advance(Duration.ofMinutes(10));
    plane.runPending();
    assertThat(eu.get(API).orElseThrow().at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(eu.get(ResourceKey.of("eu", "", "Service", "shop", "api"))).isPresent();
    assertThat(eu.stats().writes() - writes).isEqualTo(4); // the two out-of-band writes, the two corrections
    assertThat(events).filteredOn(e -> e.type() == PlaneEvent.Type.DRIFT_CORRECTED).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("spec.replicas").contains("Service shop/api (cluster eu): missing"));
    assertThat(plane.status(shop(2)).phase()).isEqualTo(Phase.READY);
  }

  @Test
  void reportModeShowsDriftAndWritesNothing() {
    plane.start();
    plane.submit(shop(2), DriftPolicy.REPORT);
    plane.runPending();
    Resource live = eu.get(API).orElseThrow();
    eu.update(live.edit(t -> ((ObjectNode) t.get("spec")).put("replicas", 7)));
    long writes = eu.stats().writes();
    plane.runPending();
    assertThat(eu.stats().writes()).isEqualTo(writes);
    assertThat(eu.get(API).orElseThrow().at("/spec/replicas").asInt()).isEqualTo(7);
    ApplicationStatus status = plane.status(shop(2));
    assertThat(status.phase()).isEqualTo(Phase.DEGRADED);
    assertThat(status.condition(Condition.DEGRADED)).hasValueSatisfying(c -> {
      assertThat(c.reason()).isEqualTo("Drifted");
      assertThat(c.message()).isEqualTo("1 object differs: Deployment shop/api (cluster eu): spec.replicas; "
          + "drift policy is report, nothing written");
    });
    assertThat(status.outOfSync()).singleElement().satisfies(r -> assertThat(r.key()).isEqualTo(API));
    // a new desired state is still applied in report mode
    plane.submit(shop(3), DriftPolicy.REPORT);
    plane.runPending();
    assertThat(eu.get(API).orElseThrow().at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(plane.status(shop(3)).phase()).isEqualTo(Phase.READY);
  }

  @Test
  void aFailingWriteIsRetriedWithBackoffAndStatusNamesTheBlockingObject() {
    flaky.failApply = r -> r.kind().equals("Deployment") && r.name().equals("api");
    plane.start();
    plane.submit(shop(2));
    plane.runPending();
    ApplicationStatus status = plane.status(shop(2));
    assertThat(status.phase()).isEqualTo(Phase.DEGRADED);
    assertThat(status.lastError()).matches("Deployment shop/api \\(cluster eu\\): apply failed: server error "
        + "\\(etcd timed out writing Deployment shop/api\\), retrying in \\d+ms");
    assertThat(status.condition(Condition.DEGRADED)).hasValueSatisfying(c -> {
      assertThat(c.reason()).isEqualTo("ApplyFailed");
      assertThat(c.message()).isEqualTo(status.lastError());
    });
    long firstDelay = retryDelayMillis(status);
    clock.advance(Duration.ofMillis(firstDelay));
    plane.runPending();
    long secondDelay = retryDelayMillis(plane.status(shop(2)));
    assertThat(secondDelay).isEqualTo(2 * firstDelay);

    flaky.failApply = r -> false;
    clock.advance(Duration.ofMillis(secondDelay));
    plane.runPending();
    ApplicationStatus healed = plane.status(shop(2));
    assertThat(healed.phase()).isEqualTo(Phase.READY);
    assertThat(healed.lastError()).isEmpty();
    assertThat(healed.condition(Condition.DEGRADED)).hasValueSatisfying(c -> assertThat(c.isTrue()).isFalse());
  }

  private static long retryDelayMillis(ApplicationStatus status) {
    String error = status.lastError();
    return Long.parseLong(error.substring(error.lastIndexOf("retrying in ") + 12, error.length() - 2));
  }

  @Test
  void aConvergedApplicationStaysReadyThroughOneFailedReadAndDegradesWhenFailuresPersist() {
    plane.start();
    plane.submit(shop(2));
    plane.runPending();
    flaky.unreachable = true;
    clock.advance(Duration.ofMinutes(10)); // the resync cannot read the cluster
    plane.runPending();
    ApplicationStatus blip = plane.status(shop(2));
    assertThat(blip.phase()).isEqualTo(Phase.READY);
    assertThat(blip.lastError()).contains("cluster unreachable");
    for (int i = 0; i < 3; i++) { // the retries fail too: now it is a state, not a blip
      clock.advance(Duration.ofSeconds(1));
      plane.runPending();
    }
    assertThat(plane.status(shop(2)).phase()).isEqualTo(Phase.DEGRADED);
    flaky.unreachable = false;
    clock.advance(Duration.ofSeconds(1));
    plane.runPending();
    assertThat(plane.status(shop(2)).phase()).isEqualTo(Phase.READY);
    assertThat(plane.status(shop(2)).lastError()).isEmpty();
  }

  @Test
  void conditionsKeepTheirTransitionTimeWhileTheyHold() {
    plane.start();
    plane.submit(shop(2));
    plane.runPending();
    ApplicationStatus converged = plane.status(shop(2));
    var readySince = converged.condition(Condition.READY).orElseThrow().lastTransitionTime();
    var notDegradedSince = converged.condition(Condition.DEGRADED).orElseThrow().lastTransitionTime();
    clock.advance(Duration.ofMinutes(10)); // a resync finds nothing to do: Ready still holds
    plane.runPending();
    assertThat(plane.status(shop(2)).condition(Condition.READY).orElseThrow().lastTransitionTime()).isEqualTo(readySince);

    plane.submit(shop(4)); // a rollout: Ready goes false until the new replicas are available, then true again
    plane.runPending();
    ApplicationStatus rolledOut = plane.status(shop(4));
    assertThat(rolledOut.observedGeneration()).isEqualTo(2);
    assertThat(rolledOut.isReady()).isTrue();
    assertThat(rolledOut.condition(Condition.READY).orElseThrow().lastTransitionTime()).isEqualTo(clock.instant());
    assertThat(rolledOut.condition(Condition.DEGRADED).orElseThrow().lastTransitionTime()).isEqualTo(notDegradedSince);
  }

  @Test
  void tenMinutesOfClockGiveExactlyOneResyncWithNoWrites() {
    plane.start();
    plane.submit(shop(2));
    plane.runPending();
    long writes = eu.stats().writes();
    clock.advance(Duration.ofMinutes(10));
    assertThat(plane.runPending()).isEqualTo(1);
    assertThat(eu.stats().writes()).isEqualTo(writes);
  }

  @Test
  void aStuckApplicationKeepsItsStatusThroughResyncsUntilItsDeadlineThenRecoversOnHealth() throws Exception {
    InMemoryCluster noKubelet = InMemoryCluster.builder("us").clock(clock).build();
    List<PlaneEvent> seen = new CopyOnWriteArrayList<>();
    try (OrchestrationPlane stuck = OrchestrationPlane.builder().clock(clock).scheduler(scheduler).workers(0)
        .cluster(noKubelet).listener(seen::add).progressDeadline(Duration.ofMinutes(25))
        .readinessGates(false) // everything is written at once: later reconciles plan no change
        .build()) {
      stuck.start();
      stuck.submit(shop(2));
      stuck.runPending();
      ApplicationStatus progressing = stuck.status(shop(2));
      assertThat(progressing.phase()).isEqualTo(Phase.PROGRESSING);
      assertThat(progressing.condition(Condition.PROGRESSING).orElseThrow().message())
          .startsWith("api: Deployment shop/api: Waiting for rollout to finish: observed deployment generation less than");
      int eventsBefore = seen.size();

      for (int i = 0; i < 2; i++) { // two resyncs: the same verdict, recorded by nobody again
        clock.advance(Duration.ofMinutes(10));
        assertThat(stuck.runPending()).isEqualTo(1);
        assertThat(stuck.status(shop(2))).isEqualTo(progressing);
      }
      assertThat(seen).hasSize(eventsBefore);
      assertThat(noKubelet.stats().writes()).as("three objects and the inventory, once").isEqualTo(4);

      clock.advance(Duration.ofMinutes(5)); // the deadline: due from the last verdict's requeue
      assertThat(stuck.runPending()).isEqualTo(1);
      ApplicationStatus degraded = stuck.status(shop(2));
      assertThat(degraded.phase()).isEqualTo(Phase.DEGRADED);
      assertThat(degraded.condition(Condition.DEGRADED).orElseThrow().message()).endsWith("after 25m");
      assertThat(seen.stream().map(PlaneEvent::type)).containsOnlyOnce(PlaneEvent.Type.DEGRADED);

      try (AutoCloseable kubelet = InstantKubelet.attach(noKubelet)) { // the api becomes available
        stuck.runPending();
        clock.advance(Duration.ofMinutes(10));
        stuck.runPending();
      }
      assertThat(stuck.status(shop(2)).phase()).isEqualTo(Phase.READY);
    }
  }

  @Test
  void removePrunesEverythingTheApplicationOwns() {
    plane.start();
    plane.submit(shop(2));
    plane.runPending();
    plane.remove(shop(2));
    assertThat(plane.status(shop(2)).phase()).isEqualTo(Phase.REMOVING);
    plane.runPending();
    assertThat(eu.size()).as("the objects and the inventory are gone").isZero();
    assertThat(plane.status(shop(2)).phase()).isEqualTo(Phase.REMOVED);
    assertThat(plane.statuses()).as("submitted applications only").isEmpty();
    assertThat(eventTypes()).endsWith(PlaneEvent.Type.REMOVED);
  }

  @Test
  void anInvalidApplicationIsRejectedAtSubmitAndChangesNothing() {
    plane.start();
    Application broken = Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "webservice").build()).build();
    assertThatThrownBy(() -> plane.submit(broken)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("spec.components[0].properties.image");
    assertThat(plane.statuses()).isEmpty();
  }

  @Test
  void closeStopsEveryThreadThePlaneStarted() throws Exception {
    InMemoryCluster cluster = InMemoryCluster.create("threads");
    InstantKubelet.attach(cluster);
    OrchestrationPlane threaded = OrchestrationPlane.builder().cluster(cluster).workers(2).build();
    threaded.start();
    threaded.submit(shop(1));
    assertThat(threaded.awaitIdle(Duration.ofSeconds(30))).isTrue();
    assertThat(cluster.size()).as("three objects and the inventory").isEqualTo(4);
    threaded.close();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("orchestration-plane"));
    assertThat(threaded.isStarted()).isFalse();
    assertThatThrownBy(threaded::start).isInstanceOf(IllegalStateException.class).hasMessage("the plane is closed");
  }

  @Test
  void aStoppedPlaneKeepsItsApplicationsAndResumesOnStart() {
    plane.start();
    plane.submit(shop(2));
    plane.runPending();
    plane.stop();
    assertThat(plane.isStarted()).isFalse();
    eu.delete(API); // nobody reconciles while stopped
    assertThat(eu.get(API)).isEmpty();
    plane.start();
    plane.runPending();
    assertThat(eu.get(API)).isPresent();
    assertThat(plane.status(shop(2)).phase()).isEqualTo(Phase.READY);
  }

  @Test
  void statusChangesAreAnnouncedOncePerChange() {
    plane.start();
    plane.submit(shop(2));
    plane.runPending();
    long changes = events.stream().filter(e -> e.type() == PlaneEvent.Type.STATUS_CHANGED).count();
    clock.advance(Duration.ofMinutes(10)); // a resync that changes nothing announces nothing
    plane.runPending();
    assertThat(events.stream().filter(e -> e.type() == PlaneEvent.Type.STATUS_CHANGED).count()).isEqualTo(changes);
  }

  @Test
  void aClusterWhoseWatchCannotStartDoesNotStopTheOthersAndIsRetried() {
    InMemoryCluster us = InMemoryCluster.builder("us").clock(clock).build();
    FlakyDriver deadUs = new FlakyDriver(us);
    deadUs.watchFails = true;
    InstantKubelet.attach(us);
    try (OrchestrationPlane two = OrchestrationPlane.builder().clock(clock).scheduler(scheduler).workers(0)
        .cluster(eu).cluster(deadUs).build()) {
      two.start();
      two.submit(shop(2));
      two.runPending();
      assertThat(eu.get(API)).isPresent();
      assertThat(us.get(API.inCluster("us"))).isPresent(); // writes still go through; only its watch is down
      deadUs.watchFails = false;
      clock.advance(Duration.ofSeconds(1)); // the watch is retried and now starts
      us.delete(API.inCluster("us"));
      two.runPending();
      assertThat(us.get(API.inCluster("us"))).as("restored through the retried watch").isPresent();
    }
  }

  @Test
  void aKindFirstRenderedAfterStartIsWatchedToo() {
    plane.start();
    Application widgets = Application.builder("widgets").namespace("shop")
        .component(Component.builder("w", "k8s-objects").property("manifests", """
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: gizmo}
            spec: {size: 3}
            """).build())
        .build();
    plane.submit(widgets);
    plane.runPending();
    ResourceKey gizmo = ResourceKey.of("eu", "example.com", "Widget", "shop", "gizmo");
    assertThat(eu.get(gizmo)).isPresent();
    eu.delete(gizmo); // no resync needed: the Widget watch started when the kind was first rendered
    plane.runPending();
    assertThat(eu.get(gizmo)).isPresent();
  }

  @Test
  void applicationsSubmittedBeforeStartAreReconciledOnStart() {
    plane.submit(shop(2));
    assertThat(plane.status(shop(2)).phase()).isEqualTo(Phase.PENDING);
    plane.start();
    plane.runPending();
    assertThat(plane.status(shop(2)).phase()).isEqualTo(Phase.READY);
    assertThat(plane.statuses()).containsOnlyKeys("shop.shop");
    assertThat(Map.copyOf(plane.statuses())).hasSize(1);
  }
}
