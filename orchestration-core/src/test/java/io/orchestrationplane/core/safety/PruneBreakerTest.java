package io.orchestrationplane.core.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.DriftPolicy;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.plan.PruneBreaker;
import io.orchestrationplane.core.plan.PruneConsent;
import io.orchestrationplane.core.plan.PruneRefusedException;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Condition;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The prune circuit breaker of every apply, through the facade (docs/safety.md). */
class PruneBreakerTest {
  private final ManualClock clock = ManualClock.create();
  private final Scheduler scheduler = Scheduler.manual(clock);
  private final InMemoryCluster eu = InMemoryCluster.builder("eu").clock(clock).build();
  private final OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).scheduler(scheduler).workers(0)
      .logging(false).cluster(eu).build();

  @AfterEach
  void close() {
    plane.close();
    scheduler.close();
  }

  /** An application of {@code count} workers (one Deployment each), running {@code image}. */
  private static Application workers(int count, String image) {
    Application.Builder app = Application.builder("shop").namespace("shop");
    IntStream.range(0, count).forEach(i -> app.component(
        Component.builder("w" + i, "worker").property("image", image).build()));
    return app.build();
  }

  private boolean present(int worker) {
    return eu.get(ResourceKey.of("eu", "apps", "Deployment", "shop", "w" + worker)).isPresent();
  }

  private String imageOf(int worker) {
    return eu.get(ResourceKey.of("eu", "apps", "Deployment", "shop", "w" + worker)).orElseThrow().json()
        .path("spec").path("template").path("spec").path("containers").get(0).path("image").asString();
  }

  @Test
  void aChangeDeletingMoreThanHalfOfTheObjectsIsRefusedWholeNamingTheCountsAndWritesNothing() {
    plane.apply(workers(4, "acme/w:1"));

    assertThatThrownBy(() -> plane.apply(workers(1, "acme/w:2")))
        .isInstanceOfSatisfying(PruneRefusedException.class, e -> {
          assertThat(e.tripped().deletes()).isEqualTo(3);
          assertThat(e.tripped().owned()).isEqualTo(4);
          assertThat(e.tripped().allowed()).isEqualTo(2);
          assertThat(e.getMessage()).contains("deleting 3 of 4 objects of shop.shop exceeds the prune circuit breaker "
              + "(at most 2)");
        });

    assertThat(IntStream.range(0, 4).allMatch(this::present)).as("nothing deleted").isTrue();
    assertThat(imageOf(0)).as("the update of the same change is not written either").isEqualTo("acme/w:1");
    assertThat(plane.history("shop.shop")).as("no revision for a refused change").hasSize(1);
  }

  @Test
  void aConfirmedChangeDeletesPastTheBreaker() {
    plane.apply(workers(4, "acme/w:1"));

    ExecutionResult r = plane.apply(workers(1, "acme/w:2"), Subject.of("dana"), Origin.code(), PruneConsent.CONFIRMED);

    assertThat(r.succeeded()).isTrue();
    assertThat(present(0)).isTrue();
    assertThat(IntStream.range(1, 4).noneMatch(this::present)).isTrue();
    assertThat(imageOf(0)).isEqualTo("acme/w:2");
  }

  @Test
  void aRollbackToAKeptRevisionIsNotHeldEvenWhenItDeletesMostObjects() {
    plane.apply(workers(1, "acme/w:1"));   // revision 1
    plane.apply(workers(4, "acme/w:2"));   // revision 2 adds three workers

    plane.rollback("shop.shop", 1);         // deletes 3 of 4: the revision was chosen deliberately

    assertThat(present(0)).isTrue();
    assertThat(IntStream.range(1, 4).noneMatch(this::present)).isTrue();
    assertThat(imageOf(0)).isEqualTo("acme/w:1");
  }

  @Test
  void smallApplicationsAndChangesWithinTheShareGoThrough() {
    plane.apply(workers(2, "acme/w:1"));
    plane.apply(workers(1, "acme/w:1")); // 1 of 2: within max(1, floor(0.5 x 2))
    assertThat(present(1)).isFalse();

    plane.apply(workers(4, "acme/w:1"));
    plane.apply(workers(2, "acme/w:1")); // 2 of 4
    assertThat(present(2) || present(3)).isFalse();

    plane.apply(workers(1, "acme/w:1")); // 1 of 2 again, and renaming the only object of an application: 1 of 1
    Application renamed = Application.builder("shop").namespace("shop")
        .component(Component.builder("only", "worker").property("image", "acme/w:1").build()).build();
    plane.apply(renamed);
    assertThat(present(0)).isFalse();
  }

  @Test
  void aDesiredStateThatPlacesNothingCannotDeleteEverything() {
    PruneBreaker lenient = new PruneBreaker(10, 1.0, false); // even a breaker that allows any share refuses an empty desired state
    try (OrchestrationPlane other = OrchestrationPlane.builder().clock(clock).logging(false).cluster(eu)
        .pruneBreaker(lenient).build()) {
      other.apply(workers(2, "acme/w:1"));
      Plan empty = other.planDelete(workers(2, "acme/w:1")); // what a desired state of no object plans: delete all
      assertThat(other.pruneBreaker().check(empty)).hasValueSatisfying(t -> {
        assertThat(t.desiredStateEmpty()).isTrue();
        assertThat(t.message()).contains("holds no object: deleting all 2 of its 2 objects is refused");
      });
      assertThat(present(0) && present(1)).isTrue();
      // removing the application is the way to delete everything, and is not guarded
      assertThat(OrchestrationPlane.isRemoved(other.delete(workers(2, "acme/w:1")))).isTrue();
    }
  }

  @Test
  void theBreakerIsConfigurableOnTheBuilderAndValidated() {
    assertThat(plane.pruneBreaker()).isEqualTo(PruneBreaker.defaults());
    assertThatThrownBy(() -> new PruneBreaker(1, 1.5, false)).hasMessageContaining("maxDeleteFraction must be between 0 and 1, was 1.5");
    assertThatThrownBy(() -> new PruneBreaker(-1, 0.5, false)).hasMessageContaining("deletesAlwaysAllowed");
    try (OrchestrationPlane strict = OrchestrationPlane.builder().clock(clock).logging(false).cluster(eu)
        .pruneBreaker(new PruneBreaker(0, 0.25, false)).build()) {
      strict.apply(workers(4, "acme/w:1"));
      assertThatThrownBy(() -> strict.apply(workers(2, "acme/w:1"))).hasMessageContaining("deleting 2 of 4 objects "
          + "of shop.shop exceeds the prune circuit breaker (at most 1)");
      strict.apply(workers(3, "acme/w:1"));
      assertThat(present(3)).isFalse();
    }
    try (OrchestrationPlane open = OrchestrationPlane.builder().clock(clock).logging(false).cluster(eu)
        .pruneBreaker(PruneBreaker.disabled()).build()) {
      open.apply(workers(4, "acme/w:1"));
      open.apply(workers(1, "acme/w:1"));
      assertThat(present(3)).isFalse();
    }
  }

  @Test
  void continuousModeNeverPrunesPastTheBreakerNotEvenOnResyncUntilASubmitConfirmsIt() {
    plane.start();
    plane.submit(workers(4, "acme/w:1"));
    plane.runPending();
    assertThat(IntStream.range(0, 4).allMatch(this::present)).isTrue();

    plane.submit(workers(1, "acme/w:2"));
    plane.runPending();
    ApplicationStatus status = plane.statuses().get("shop.shop");
    assertThat(status.phase()).isEqualTo(Phase.DEGRADED);
    Condition degraded = status.condition(Condition.DEGRADED).orElseThrow();
    assertThat(degraded.reason()).isEqualTo("PruneRefused");
    assertThat(degraded.message()).contains("deleting 3 of 4 objects of shop.shop exceeds the prune circuit breaker");

    for (int i = 0; i < 5; i++) { // resyncs come and go: still nothing pruned, nothing updated
      clock.advance(Duration.ofMinutes(10));
      plane.runPending();
    }
    assertThat(IntStream.range(0, 4).allMatch(this::present)).isTrue();
    assertThat(imageOf(0)).isEqualTo("acme/w:1");

    plane.submit(workers(1, "acme/w:2"), DriftPolicy.CORRECT, Subject.of("dana"), Origin.code(), PruneConsent.CONFIRMED);
    plane.runPending();
    assertThat(List.of(present(1), present(2), present(3))).containsOnly(false);
    assertThat(imageOf(0)).isEqualTo("acme/w:2");
    assertThat(plane.statuses().get("shop.shop").condition(Condition.DEGRADED).orElseThrow().reason())
        .isNotEqualTo("PruneRefused");
  }
}
