package io.orchestrationplane.testkit.ergonomics;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.testkit.Shop;
import io.orchestrationplane.testkit.TestEnvironment;
import io.orchestrationplane.testkit.faults.Failure;
import io.orchestrationplane.testkit.faults.FaultyCluster;
import io.orchestrationplane.testkit.faults.Operation;
import io.orchestrationplane.testkit.golden.Goldens;
import org.junit.jupiter.api.Test;

/** An execution result says which cluster each outcome belongs to and reads cluster by cluster. */
class ExecutionResultTextTest {

  @Test
  void aResultWithAFailureOnOneClusterAndWaitingChangesReadsClusterByCluster() {
    try (TestEnvironment env = TestEnvironment.builder().cluster("prod").cluster("staging").startPlane(false)
        .driver((cluster, clock) -> FaultyCluster.builder(cluster).clock(clock).build()).build()) {
      ((FaultyCluster) env.driver("staging")).failNext(1, Operation.APPLY, "Deployment", "shop/db",
          Failure.SERVER_ERROR);

      ExecutionResult result = env.plane().apply(Shop.shop(2));

      assertThat(result.outcomes()).allSatisfy(o -> assertThat(o.toString()).startsWith(o.cluster() + ": "));
      assertThat(result.outcomes(Outcome.Status.FAILED)).singleElement()
          .satisfies(o -> assertThat(o.cluster()).isEqualTo("staging"));
      assertThat(result.succeeded("prod")).isTrue();
      Goldens.assertMatches("results/shop-partial-failure.txt", result.toText());
    }
  }

  @Test
  void aSecondApplyOfAConvergedApplicationSaysNothingToDo() {
    try (TestEnvironment env = TestEnvironment.builder().cluster("prod").startPlane(false)
        .readinessGates(false).build()) {
      env.plane().apply(Shop.shop(1));

      ExecutionResult again = env.plane().apply(Shop.shop(1));

      assertThat(again.toText()).isEqualTo("""
          Applied application shop.shop: complete: 5 unchanged
            cluster prod: 5 unchanged
          """);
    }
  }
}
