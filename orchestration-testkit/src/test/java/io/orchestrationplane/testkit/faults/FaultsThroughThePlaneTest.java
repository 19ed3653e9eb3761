package io.orchestrationplane.testkit.faults;

import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThat;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.testkit.PlaneEvents;
import io.orchestrationplane.testkit.Shop;
import io.orchestrationplane.testkit.TestEnvironment;
import io.orchestrationplane.testkit.junit.Cluster;
import io.orchestrationplane.testkit.junit.EnvironmentConfigurer;
import io.orchestrationplane.testkit.junit.OrchestrationTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A FaultyCluster between the plane and a cluster, wired through the extension. */
@OrchestrationTest(clusters = {"prod", "dr"}, configure = FaultsThroughThePlaneTest.FaultyClusters.class)
class FaultsThroughThePlaneTest {

  /** Every cluster the plane sees is a FaultyCluster with no random failures. */
  static final class FaultyClusters implements EnvironmentConfigurer {
    @Override
    public void configure(TestEnvironment.Builder environment) {
      environment.driver((cluster, clock) -> FaultyCluster.builder(cluster).clock(clock).build());
    }
  }

  @Test
  void scriptedConflictsAreRetriedUntilTheApplicationIsReady(TestEnvironment env, @Cluster("prod") ClusterDriver prod,
      PlaneEvents events) {
    FaultyCluster faulty = (FaultyCluster) prod;
    faulty.failNext(2, Operation.APPLY, "Deployment", "shop/api", Failure.CONFLICT);

    assertThat(env.deploy(Shop.shop(2))).isReady();
    assertThat(faulty.stats().injected(Failure.CONFLICT)).isEqualTo(2);
    assertThat(events.ofType(PlaneEvent.Type.APPLY_FAILED)).hasSize(2)
        .allSatisfy(e -> assertThat(e.message()).contains("injected conflict on apply Deployment shop/api"));
    assertThat(env.cluster("prod")).hasResource("Deployment", "shop/api").withField("spec.replicas", 2);
  }

  @Test
  void aPartitionedClusterDegradesTheApplicationUntilItHeals(TestEnvironment env, @Cluster("dr") ClusterDriver dr) {
    FaultyCluster faulty = (FaultyCluster) dr;
    faulty.partition();
    env.plane().submit(Shop.shop(2));
    env.settle(Duration.ofMinutes(1));
    assertThat(env.plane().status(Shop.shop(2))).isDegradedBecause("unreachable");
    assertThat(env.cluster("dr")).doesNotHave("Deployment", "shop/db");

    faulty.heal();
    env.settle(Duration.ofMinutes(10));
    assertThat(env.plane().status(Shop.shop(2))).isReady();
    assertThat(env.cluster("dr")).hasResource("Deployment", "shop/web");
  }
}
