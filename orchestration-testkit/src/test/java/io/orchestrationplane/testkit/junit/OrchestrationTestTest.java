package io.orchestrationplane.testkit.junit;

import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.testkit.Clusters;
import io.orchestrationplane.testkit.PlaneEvents;
import io.orchestrationplane.testkit.Shop;
import io.orchestrationplane.testkit.TestEnvironment;
import io.orchestrationplane.testkit.simulator.WorkloadSimulator;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@OrchestrationTest(clusters = {"staging:tier=staging", "prod:tier=prod,region=eu"})
class OrchestrationTestTest {
  private final OrchestrationPlane constructorPlane;

  OrchestrationTestTest(OrchestrationPlane plane) {
    this.constructorPlane = plane;
  }

  @Test
  void injectsOneEnvironmentPerTestIntoEveryParameterKind(TestEnvironment env, OrchestrationPlane plane,
      ManualClock manual, Clock clock, Scheduler scheduler, Clusters clusters, PlaneEvents events,
      @Cluster("prod") InMemoryCluster prod, @Cluster("prod") ClusterDriver prodDriver,
      @Cluster("staging") WorkloadSimulator stagingSimulator) {
    assertThat(plane).isSameAs(env.plane()).isSameAs(constructorPlane);
    assertThat(manual).isSameAs(env.clock()).isSameAs(clock);
    assertThat(scheduler).isSameAs(env.scheduler());
    assertThat(clusters).isSameAs(env.clusters());
    assertThat(events).isSameAs(env.events());
    assertThat(prod).isSameAs(env.cluster("prod")).isSameAs(prodDriver);
    assertThat(stagingSimulator).isSameAs(env.simulator("staging"));
    assertThat(plane.isStarted()).isTrue();
  }

  @Test
  void declaresClustersWithTheirLabelsInOrder(Clusters clusters, OrchestrationPlane plane) {
    assertThat(clusters.names()).containsExactly("staging", "prod");
    assertThat(clusters.labels("prod")).isEqualTo(Map.of("tier", "prod", "region", "eu"));
    assertThat(plane.clusters().require("prod")).isSameAs(clusters.get("prod"));
  }

  @Test
  void placementByLabelReachesOnlyTheMatchingCluster(TestEnvironment env, @Cluster("prod") InMemoryCluster prod,
      @Cluster("staging") InMemoryCluster staging) {
    ApplicationStatus status = env.deploy(Shop.placed("cart", "prod"));

    assertThat(status).isReady();
    assertThat(prod).hasResource("Deployment", "cart/api");
    assertThat(staging).doesNotHave("Deployment", "cart/api");
  }

  @Test
  void settleRunsTheSimulatorsAndThePlaneUntilTheApplicationIsReady(TestEnvironment env, OrchestrationPlane plane,
      PlaneEvents events, @Cluster("prod") InMemoryCluster prod) {
    plane.submit(Shop.placed("cart", "prod"));
    Duration passed = env.settle();

    assertThat(plane.status(Shop.placed("cart", "prod"))).isReady();
    assertThat(prod).hasResource("Deployment", "cart/api").withField("status.availableReplicas", 1);
    assertThat(passed).isPositive().isLessThan(Duration.ofMinutes(1));
    assertThat(events.types()).startsWith(PlaneEvent.Type.SUBMITTED, PlaneEvent.Type.APPLIED)
        .contains(PlaneEvent.Type.CONVERGED);
  }

  @Test
  @OrchestrationTest(clusters = "solo", startPlane = false)
  void aMethodAnnotationReplacesTheClassSettings(Clusters clusters, OrchestrationPlane plane, InMemoryCluster solo) {
    assertThat(clusters.names()).containsExactly("solo");
    assertThat(plane.isStarted()).isFalse();
    assertThat(plane.apply(Shop.shop(2))).succeeded();
    assertThat(solo).hasResource("Deployment", "shop/db");
  }

  @Nested
  class NestedTests {
    private TestEnvironment fromBeforeEach;

    @BeforeEach
    void remember(TestEnvironment env) {
      fromBeforeEach = env;
    }

    @Test
    void nestedClassesUseTheEnclosingSettingsAndShareTheEnvironmentWithBeforeEach(TestEnvironment env) {
      assertThat(env).isSameAs(fromBeforeEach);
      assertThat(env.clusters().names()).containsExactly("staging", "prod");
    }
  }
}
