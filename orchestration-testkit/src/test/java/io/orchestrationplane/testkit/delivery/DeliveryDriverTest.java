package io.orchestrationplane.testkit.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.delivery.ApprovalRule;
import io.orchestrationplane.delivery.ChangeWindow;
import io.orchestrationplane.delivery.Delivery;
import io.orchestrationplane.delivery.ReleaseStatus;
import io.orchestrationplane.delivery.Step;
import io.orchestrationplane.delivery.Workflow;
import io.orchestrationplane.testkit.simulator.WorkloadSimulator;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryDriverTest {
  @Test
  void drivesAWorkflowThroughSoakApprovalAndWindowWithASimulatedKubelet() {
    ManualClock clock = ManualClock.at(Instant.parse("2026-03-02T17:00:00Z")); // Monday 18:00 in Berlin
    InMemoryCluster dev = InMemoryCluster.builder("dev").clock(clock).build();
    InMemoryCluster prod = InMemoryCluster.builder("prod").clock(clock).build();
    WorkloadSimulator devKubelet = WorkloadSimulator.builder(dev, clock).build().start();
    WorkloadSimulator prodKubelet = WorkloadSimulator.builder(prod, clock).build().start();
    try (StateStore store = StateStore.inMemory();
        OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).logging(false).cluster(dev).cluster(prod)
            .stateStore(store).build()) {
      Application api = Application.builder("api").namespace("api")
          .component(Component.builder("api", "webservice").property("image", "ghcr.io/acme/api:1").property("port", 8080).build())
          .environment(Environment.builder("dev").clusters("dev").build())
          .environment(Environment.builder("prod").clusters("prod").build())
          .build();
      Workflow wf = Workflow.builder("release")
          .step(Step.apply("deploy-dev", "dev"))
          .step(Step.approval("approve", ApprovalRule.of(1, "alice")))
          .step(Step.promote("to-prod", "dev", "prod", Duration.ofMinutes(5)))
          .window(ChangeWindow.allow("0 9 * * 1-5", Duration.ofHours(7), ZoneId.of("Europe/Berlin"), "prod"))
          .build();
      Delivery delivery = Delivery.builder().plane(plane).store(store).build();
      DeliveryDriver driver = DeliveryDriver.of(delivery, clock).settleWith(() -> {
        devKubelet.runUntilIdle();
        prodKubelet.runUntilIdle();
      });
      delivery.start(api, wf, Subject.of("dana"), Origin.code());

      driver.run().assertActiveStep("api.api", "approve");
      assertThatThrownBy(() -> driver.assertActiveStep("api.api", "to-prod"))
          .hasMessageContaining("the active steps are [approve]").hasMessageContaining("Application api.api");
      driver.approveAs("api.api", "approve", Subject.of("alice")).advanceThrough(Duration.ofMinutes(10));
      driver.assertActiveStep("api.api", "to-prod");
      assertThat(prod.size()).isZero();
      driver.advanceToWindow("api.api").assertFinished("api.api", ReleaseStatus.RunPhase.SUCCEEDED);
      assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-03T08:00:00Z"));
      assertThat(delivery.status("api.api").environments()).containsOnlyKeys("dev", "prod");
    } finally {
      devKubelet.close();
      prodKubelet.close();
    }
  }
}
