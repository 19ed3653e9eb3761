package io.orchestrationplane.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process restart: plane, store and delivery all closed and built again over the same directory. */
class DirectoryStoreRestartTest {
  @TempDir
  Path dir;

  @Test
  void aDeliveryOverAReopenedDirectoryResumesAtTheApprovalItWasWaitingFor() {
    ManualClock clock = ManualClock.at(Fixture.MONDAY_10_BERLIN);
    InMemoryCluster dev = InMemoryCluster.builder("dev").clock(clock).build();
    InMemoryCluster prod = InMemoryCluster.builder("prod").clock(clock).build();
    InMemoryCluster staging = InMemoryCluster.builder("staging").clock(clock).build();
    Workflow wf = Workflow.builder("release")
        .step(Step.apply("deploy-dev", "dev"))
        .step(Step.approval("approve", ApprovalRule.of(1, "alice")))
        .step(Step.promote("to-prod", "dev", "prod", Duration.ofMinutes(5)))
        .build();
    String digest;
    try (StateStore store = StateStore.directory(dir);
        OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).logging(false).cluster(dev).cluster(staging)
            .cluster(prod).stateStore(store).build()) {
      Delivery delivery = Delivery.builder().plane(plane).store(store).build();
      digest = delivery.start(Fixture.shop("1.0"), wf, Subject.of("dana"), Origin.code()).digest();
      delivery.runPending();
      assertThat(delivery.status("shop.shop").activeSteps()).extracting(ReleaseStatus.StepStatus::name).containsExactly("approve");
    }
    try (StateStore store = StateStore.directory(dir);
        OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).logging(false).cluster(dev).cluster(staging)
            .cluster(prod).stateStore(store).build()) {
      Delivery delivery = Delivery.builder().plane(plane).store(store).build();
      assertThat(delivery.runPending()).as("nothing is due before the approval").isZero();
      assertThat(delivery.digest(Fixture.shop("1.0"))).as("the digest key survived").isEqualTo(digest);
      delivery.approve("shop.shop", "approve", digest, Subject.of("alice"), "ok");
      delivery.runPending();
      clock.advance(Duration.ofMinutes(5));
      delivery.runPending();
      assertThat(delivery.status("shop.shop").run().orElseThrow().phase()).isEqualTo(ReleaseStatus.RunPhase.SUCCEEDED);
      assertThat(prod.get(new io.orchestrationplane.core.resource.ResourceKey("prod", "", "ConfigMap", "shop-prod", "settings")))
          .isPresent();
      assertThat(plane.history("shop.shop-dev")).as("dev was applied once, before the restart").hasSize(1);
    }
  }
}
