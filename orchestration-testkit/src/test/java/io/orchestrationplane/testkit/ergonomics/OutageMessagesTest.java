package io.orchestrationplane.testkit.ergonomics;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Condition;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.testkit.Shop;
import io.orchestrationplane.testkit.TestEnvironment;
import io.orchestrationplane.testkit.faults.FaultyCluster;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An unreachable cluster's outage is told in a duration people read, counted from when it began. */
class OutageMessagesTest {
  @Test
  void aPartitionedClusterIsUnreachableForAHumanDurationSinceItsFirstFailedRead() {
    try (TestEnvironment env = TestEnvironment.builder().cluster("prod").cluster("dr")
        .driver((cluster, clock) -> FaultyCluster.builder(cluster).clock(clock).build()).build()) {
      Instant start = env.clock().instant();
      ((FaultyCluster) env.driver("dr")).partition();
      env.plane().submit(Shop.shop(1));

      // Retries back off to the queue's 5-minute cap: the status is as of the last attempt.
      env.advance(Duration.ofMinutes(6));

      ApplicationStatus status = env.plane().status(Shop.shop(1));
      assertThat(status.phase()).isEqualTo(Phase.DEGRADED);
      String message = status.condition(Condition.DEGRADED).orElseThrow().message();
      assertThat(message).containsPattern("^dr: cluster unreachable for 5m [0-9]+s \\(since " + start
          + "\\), nothing planned there \\(UNAVAILABLE: .*\\), retrying in 5m$");
      assertThat(status.lastError()).isEqualTo(message);

      ((FaultyCluster) env.driver("dr")).heal();
      env.settle(Duration.ofMinutes(10));
      assertThat(env.plane().status(Shop.shop(1)).isReady()).isTrue();
    }
  }
}
