package io.orchestrationplane.testkit;

import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThat;
import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThatThrownBy;

import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.testkit.faults.Failure;
import io.orchestrationplane.testkit.faults.FaultyCluster;
import io.orchestrationplane.testkit.faults.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestEnvironmentTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void settleStopsAtTheLastEventNotAtTheLimit() {
    try (TestEnvironment env = TestEnvironment.builder().build()) {
      env.plane().submit(Shop.shop(2));
      Duration passed = env.settle(Duration.ofMinutes(5));

      assertThat(env.plane().status(Shop.shop(2))).isReady();
      // db, api and web each need container start (2s) + readiness (1s), one after the other
      assertThat(passed).isEqualTo(Duration.ofSeconds(9));
      assertThat(env.clock().instant()).isEqualTo(START.plus(passed));
      assertThat(env.settle(Duration.ofMinutes(5))).as("nothing more is due within 5 minutes").isZero();
    }
  }

  @Test
  void advanceMovesTheClockByExactlyTheDurationAndRunsResyncsOnTheWay() {
    try (TestEnvironment env = TestEnvironment.builder().build()) {
      env.deploy(Shop.shop(2));
      long before = env.reconciles();
      long writes = env.cluster().stats().writes();
      Instant now = env.clock().instant();
      assertThat(env.advance(Duration.ofMinutes(15))).isEqualTo(now.plus(Duration.ofMinutes(15)));
      assertThat(env.reconciles()).as("periodic resyncs ran").isGreaterThan(before);
      assertThat(env.cluster().stats().writes()).as("a converged application costs no writes").isEqualTo(writes);
    }
  }

  @Test
  void settleReachesThePlanesBackoffRetries() {
    try (TestEnvironment env = TestEnvironment.builder()
        .driver((cluster, clock) -> FaultyCluster.builder(cluster).build()
            .failNext(3, Operation.APPLY, "Deployment", "shop/db", Failure.SERVER_ERROR))
        .build()) {
      assertThat(env.deploy(Shop.shop(1))).isReady();
      assertThat(env.events().ofType(PlaneEvent.Type.RETRY_SCHEDULED)).hasSize(3);
      assertThat(((FaultyCluster) env.driver("dev")).stats().injected(Failure.SERVER_ERROR)).isEqualTo(3);
    }
  }

  @Test
  void passiveSimulatorsRunFromSettleAndAdvanceInSteps() {
    try (TestEnvironment env = TestEnvironment.builder().reactiveSimulators(false).build()) {
      env.plane().submit(Shop.shop(2));
      env.advanceInSteps(Duration.ofSeconds(30), Duration.ofSeconds(1));
      assertThat(env.clock().instant()).isEqualTo(START.plusSeconds(30));
      assertThat(env.plane().status(Shop.shop(2))).isReady();
      assertThat(env.cluster()).hasResource("Deployment", "shop/web").withField("status.readyReplicas", 1);
    }
  }

  @Test
  void closingStopsThePlaneAndTheSimulators() {
    TestEnvironment env = TestEnvironment.builder().build();
    InMemoryCluster cluster = env.cluster();
    env.close();
    assertThat(env.isClosed()).isTrue();
    assertThatThrownBy(() -> env.plane().submit(Shop.shop(1))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the plane is closed");
    env.clock().advance(Duration.ofMinutes(1));
    assertThat(cluster.size()).isZero();
  }

  @Test
  void badSettingsAreRejectedWithWhatIsWrong() {
    assertThatThrownBy(() -> TestEnvironment.builder().cluster("prod").cluster("prod:tier=prod"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("cluster 'prod' is declared twice");
    assertThatThrownBy(() -> TestEnvironment.builder()
        .driver((cluster, clock) -> InMemoryCluster.create("other")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the driver decorator must keep the cluster's name 'dev', got 'other'");
    try (TestEnvironment env = TestEnvironment.builder().cluster("a").cluster("b").build()) {
      assertThatThrownBy(env::simulator).hasMessageContaining("name the one you mean");
      assertThatThrownBy(() -> env.cluster("c")).hasMessage("no cluster named 'c'; the environment has [a, b]");
    }
  }

  @Test
  void clusterSpecsParseNamesAndLabels() {
    assertThat(ClusterSpec.parse("prod")).isEqualTo(new ClusterSpec("prod", Map.of()));
    assertThat(ClusterSpec.parse(" prod : tier=prod , region=eu ").labels())
        .isEqualTo(Map.of("tier", "prod", "region", "eu"));
    assertThatThrownBy(() -> ClusterSpec.parse(":tier=prod")).hasMessageContaining("has no name before ':'");
    assertThatThrownBy(() -> ClusterSpec.parse("p:a=1,a=2")).hasMessageContaining("label a is given twice");
    assertThatThrownBy(() -> ClusterSpec.parse(" ")).hasMessageContaining("must not be blank");
  }
}
