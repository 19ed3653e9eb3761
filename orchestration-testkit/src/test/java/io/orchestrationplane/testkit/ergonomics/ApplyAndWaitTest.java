package io.orchestrationplane.testkit.ergonomics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.health.Health;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.status.WaitResult;
import io.orchestrationplane.testkit.Shop;
import io.orchestrationplane.testkit.TestEnvironment;
import io.orchestrationplane.testkit.assertions.OrchestrationAssertions;
import io.orchestrationplane.testkit.faults.FaultyCluster;
import io.orchestrationplane.testkit.simulator.Fault;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code applyAndWait}: applies, then waits on the plane's clock and scheduler until every cluster
 * is ready, a write fails, or the timeout passes naming what still waits. Simulated time: the
 * rounds run as the environment advances the clock.
 */
class ApplyAndWaitTest {

  private static TestEnvironment twoClusters() {
    return TestEnvironment.builder().cluster("prod").cluster("dr").startPlane(false).build();
  }

  @Test
  void returnsReadyOnceEveryClusterIsHealthyApplyingWhatReadinessGatesHeldBack() {
    try (TestEnvironment env = twoClusters()) {
      CompletableFuture<WaitResult> wait = env.plane().applyAndWaitAsync(Shop.shop(2), Duration.ofMinutes(5));
      assertThat(wait).isNotDone();
      OrchestrationAssertions.assertThat(env.cluster("prod")).doesNotHave("Deployment", "shop/web"); // gated behind api

      env.settle();

      WaitResult done = wait.join();
      assertThat(done).isInstanceOf(WaitResult.Ready.class);
      assertThat(done.isReady()).isTrue();
      assertThat(done.result().isComplete()).isTrue();
      assertThat(done.result().outcomes(Outcome.Status.APPLIED)).hasSize(10); // 5 objects on each of 2 clusters
      assertThat(done.waited()).isPositive().isLessThan(Duration.ofMinutes(5));
      for (String cluster : new String[] {"prod", "dr"}) {
        OrchestrationAssertions.assertThat(env.cluster(cluster)).hasResource("Deployment", "shop/web");
      }
      assertThat(done.toText()).startsWith("ready after ").endsWith(": application shop.shop, every cluster healthy\n");
    }
  }

  @Test
  void aTimeoutNamesEachObjectStillWaitingWithItsClusterAndHealthMessage() {
    try (TestEnvironment env = twoClusters()) {
      env.simulator("dr").failImage("acme/api:1", Fault.NEVER_READY);
      CompletableFuture<WaitResult> wait = env.plane().applyAndWaitAsync(Shop.shop(2), Duration.ofMinutes(3));

      env.advance(Duration.ofMinutes(2));
      assertThat(wait).isNotDone();
      env.advance(Duration.ofMinutes(1));

      assertThat(wait).isDone();
      WaitResult done = wait.join();
      assertThat(done).isInstanceOf(WaitResult.TimedOut.class);
      assertThat(done.waited()).isEqualTo(Duration.ofMinutes(3));
      assertThat(done.pending()).extracting(p -> p.key().cluster() + " " + p.key().display())
          .containsExactly("dr Service shop/web", "dr Deployment shop/api", "dr Deployment shop/web");
      WaitResult.Pending api = done.pending().get(1);
      assertThat(api.health().health()).isEqualTo(Health.PROGRESSING);
      assertThat(api.health().message()).isNotEmpty();
      assertThat(done.pending().get(2).reason()).startsWith("not applied yet: waits for api: ");
      assertThat(done.toText()).startsWith("timed out after 3m: application shop.shop, 3 objects not ready\n"
          + "  dr: Service shop/web: MISSING: Service shop/web does not exist (not applied yet: waits for api: ");
      OrchestrationAssertions.assertThat(env.cluster("prod")).hasResource("Deployment", "shop/web");
    }
  }

  @Test
  void aFailedWriteEndsTheWaitAtOnceNamingIt() {
    try (TestEnvironment env = TestEnvironment.builder().cluster("prod").startPlane(false)
        .driver((cluster, clock) -> FaultyCluster.builder(cluster).clock(clock).build()).build()) {
      ((FaultyCluster) env.driver("prod")).failNext(1, io.orchestrationplane.testkit.faults.Operation.APPLY,
          "Deployment", "shop/db", io.orchestrationplane.testkit.faults.Failure.SERVER_ERROR);

      WaitResult done = env.plane().applyAndWaitAsync(Shop.shop(1), Duration.ofMinutes(5)).join();

      assertThat(done).isInstanceOf(WaitResult.Failed.class);
      assertThat(done.waited()).isZero();
      assertThat(done.toText()).startsWith("failed after 0s: application shop.shop\n  prod: Deployment shop/db failed: ");
    }
  }

  @Test
  void blockingOnAManualClockIsRefusedInsteadOfHangingAndNothingIsWritten() {
    try (TestEnvironment env = twoClusters()) {
      Application shop = Shop.shop(1);
      assertThatThrownBy(() -> env.plane().applyAndWait(shop, Duration.ofMinutes(1)))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("applyAndWaitAsync");
      OrchestrationAssertions.assertThat(env.cluster("prod")).doesNotHave("Deployment", "shop/db");
    }
  }

  @Test
  void closingThePlaneEndsAnUnfinishedWait() {
    try (TestEnvironment env = twoClusters()) {
      CompletableFuture<WaitResult> wait = env.plane().applyAndWaitAsync(Shop.shop(1), Duration.ofMinutes(5));
      env.plane().close();
      assertThat(wait).isCompletedExceptionally();
    }
  }
}
