package io.orchestrationplane.testkit.ergonomics;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.health.Health;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.DriftPolicy;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.core.status.ResourceStatus;
import io.orchestrationplane.testkit.Shop;
import io.orchestrationplane.testkit.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * A Deployment whose rollout is pending (the controller has not observed the new generation yet,
 * then its new ReplicaSet is still scaling up) is progressing, not drifted: the plane neither
 * reports nor corrects anything while the rollout runs.
 */
class PendingRolloutTest {
  private static final ResourceKey API = new ResourceKey("prod", "apps", "Deployment", "shop", "api");

  @Test
  void aRolloutInProgressIsProgressingNeverDrift() {
    try (TestEnvironment env = TestEnvironment.builder().cluster("prod").reactiveSimulators(false).build()) {
      env.plane().submit(Shop.shop(2), DriftPolicy.REPORT);
      env.settle();
      Application v2 = Shop.shop("acme/api:2", 2);
      env.events().clear();

      env.plane().submit(v2, DriftPolicy.REPORT);
      env.plane().runPending(); // the plane writes; no controller has run yet

      Resource written = env.cluster("prod").get(API).orElseThrow();
      assertThat(written.json().at("/status/observedGeneration").asLong()).isLessThan(written.generation());
      assertNotDrifted(env, v2);

      env.simulator("prod").tick(); // the controller observes the generation and creates the new ReplicaSet
      env.plane().runPending();
      Resource rolling = env.cluster("prod").get(API).orElseThrow();
      assertThat(rolling.json().at("/status/observedGeneration").asLong()).isEqualTo(rolling.generation());
      assertThat(rolling.json().at("/status/updatedReplicas").asLong(0)).isLessThan(2);
      assertNotDrifted(env, v2);

      env.settle();
      assertThat(env.plane().status(v2).phase()).isEqualTo(Phase.READY);
      assertThat(env.events().ofType(PlaneEvent.Type.DRIFT_DETECTED)).isEmpty();
      assertThat(env.events().ofType(PlaneEvent.Type.DRIFT_CORRECTED)).isEmpty();
      assertThat(env.events().ofType(PlaneEvent.Type.APPLIED)).hasSize(1);
      // Repeated identical events read once, with their count.
      assertThat(env.events().collapsed()).allSatisfy(s -> assertThat(s.count()).isPositive());
      assertThat(env.events().collapsed().stream().mapToInt(s -> s.count()).sum()).isEqualTo(env.events().size());
    }
  }

  private static void assertNotDrifted(TestEnvironment env, Application app) {
    assertThat(env.plane().plan(app).changes()).filteredOn(c -> c.key().equals(API))
        .singleElement().extracting(Change::type).isEqualTo(Change.Type.UNCHANGED);
    ApplicationStatus status = env.plane().status(app);
    assertThat(status.phase()).isEqualTo(Phase.PROGRESSING);
    assertThat(status.outOfSync()).isEmpty();
    ResourceStatus api = status.resources().stream().filter(r -> r.key().equals(API)).findFirst().orElseThrow();
    assertThat(api.inSync()).isTrue();
    assertThat(api.health().health()).isEqualTo(Health.PROGRESSING);
    assertThat(env.events().ofType(PlaneEvent.Type.DRIFT_DETECTED)).isEmpty();
  }
}
