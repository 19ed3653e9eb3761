package io.orchestrationplane.delivery.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.delivery.Delivery;
import io.orchestrationplane.delivery.ReleaseStatus;
import io.orchestrationplane.delivery.Step;
import io.orchestrationplane.delivery.Workflow;
import io.orchestrationplane.delivery.rollout.RolloutStatus.Phase;
import io.orchestrationplane.delivery.rollout.RolloutStatus.Stage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Blue-green, replica ratios, Istio, and the workflow step. */
class BlueGreenAndTrafficTest {
  static final Subject DANA = Subject.of("dana");
  final RolloutFixture f = new RolloutFixture();
  final Rollouts rollouts = f.rollouts();

  @AfterEach
  void close() {
    f.close();
  }

  private RolloutStatus status() {
    return rollouts.status(RolloutFixture.ID).orElseThrow();
  }

  static Application blueGreen(String tag, boolean auto) {
    return RolloutFixture.shop(tag, c -> c.trait(Trait.of("rollout", Map.of("environment", "prod",
        "blueGreen", Map.of("autoPromotionEnabled", auto, "scaleDownDelay", "5m",
            "prePromotionAnalysis", Map.of("templateName", "error-rate", "args", Map.of("service", "api-preview")))))));
  }

  private Map<String, String> activeSelector() {
    Resource svc = f.object("", "Service", "api").orElseThrow();
    Map<String, String> out = new java.util.LinkedHashMap<>();
    svc.at("/spec/selector").properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
    return out;
  }

  @Test
  void blueGreenRunsThePreviewBesideTheActiveVersionSwitchesAfterAnalysisAndKeepsTheOldOneForTheWindow() {
    f.errorRate.put("v2", 0.0);
    rollouts.start(blueGreen("v1", false), "prod", DANA);
    f.settle(rollouts);
    rollouts.start(blueGreen("v2", false), "prod", DANA);
    f.settle(rollouts);
    assertThat(status().stage()).isEqualTo(Stage.PREVIEW);
    f.clock.advance(Duration.ofMinutes(1));
    f.settle(rollouts);
    f.clock.advance(Duration.ofMinutes(1));
    f.settle(rollouts);
    assertThat(f.tagOf("api-preview")).isEqualTo("v2");
    assertThat(f.object("", "Service", "api-preview")).isPresent();
    assertThat(activeSelector()).containsEntry("app.kubernetes.io/name", "api");
    assertThat(status().analysisRuns()).singleElement()
        .satisfies(r -> assertThat(r.phase()).isEqualTo(io.orchestrationplane.delivery.analysis.AnalysisPhase.SUCCESSFUL));
    assertThat(status().phase()).isEqualTo(Phase.PAUSED);        // autoPromotionEnabled: false
    assertThat(status().message()).contains("paused until promoted");

    rollouts.approve(RolloutFixture.ID, DANA);
    f.settle(rollouts);
    assertThat(status().stage()).isEqualTo(Stage.SWITCHED);
    assertThat(activeSelector()).containsEntry("app.kubernetes.io/name", "api-preview");
    assertThat(f.tagOf("api")).isEqualTo("v1");                 // the old version stays scaled
    assertThat(f.deployment("api").orElseThrow().at("/spec/replicas").asInt()).isEqualTo(3);

    f.clock.advance(Duration.ofMinutes(5));
    f.settle(rollouts);
    assertThat(status().phase()).isEqualTo(Phase.HEALTHY);
    assertThat(f.tagOf("api")).isEqualTo("v2");
    assertThat(activeSelector()).containsEntry("app.kubernetes.io/name", "api");
    assertThat(f.deployment("api-preview")).isEmpty();
  }

  @Test
  void anAbortWithinTheRollbackWindowSwitchesTheActiveServiceBackAtOnce() {
    f.errorRate.put("v2", 0.0);
    rollouts.start(blueGreen("v1", true), "prod", DANA);
    f.settle(rollouts);
    rollouts.start(blueGreen("v2", true), "prod", DANA);
    for (int i = 0; i < 3; i++) {
      f.settle(rollouts);
      f.clock.advance(Duration.ofMinutes(1));
    }
    assertThat(activeSelector()).containsEntry("app.kubernetes.io/name", "api-preview");
    f.clock.advance(Duration.ofMinutes(2));
    rollouts.abort(RolloutFixture.ID, DANA);
    rollouts.runPending();
    assertThat(activeSelector()).containsEntry("app.kubernetes.io/name", "api");
    assertThat(f.tagOf("api")).isEqualTo("v1");
    assertThat(f.deployment("api-preview")).isEmpty();
    assertThat(status().phase()).isEqualTo(Phase.DEGRADED);
  }

  @Test
  void aFailedPrePromotionAnalysisNeverSwitchesTheActiveService() {
    f.errorRate.put("v2", 0.5);
    rollouts.start(blueGreen("v1", true), "prod", DANA);
    f.settle(rollouts);
    rollouts.start(blueGreen("v2", true), "prod", DANA);
    f.settle(rollouts);
    assertThat(status().phase()).isEqualTo(Phase.DEGRADED);
    assertThat(activeSelector()).containsEntry("app.kubernetes.io/name", "api");
    assertThat(f.deployment("api-preview")).isEmpty();
  }

  @Test
  void withoutATrafficLayerTheSplitIsTheReplicaRatioAndTheStableServiceSelectsBothVersions() {
    Map<String, Object> trait = Map.of("environment", "prod", "canary", Map.of("steps", List.of(
        Map.of("setWeight", 10), Map.of("pause", Map.of()), Map.of("setWeight", 50), Map.of("pause", Map.of()))));
    rollouts.start(RolloutFixture.shop("v1", c -> c.trait(Trait.of("rollout", trait))), "prod", DANA);
    f.settle(rollouts);
    rollouts.start(RolloutFixture.shop("v2", c -> c.trait(Trait.of("rollout", trait))), "prod", DANA);
    f.settle(rollouts);
    // 10% of 3 replicas: one canary pod (33% of the pods), two stable
    Resource canary = f.deployment("api-canary").orElseThrow();
    assertThat(canary.at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(f.deployment("api").orElseThrow().at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(canary.at("/spec/template/metadata/labels/app.kubernetes.io~1name").asString()).isEqualTo("api");
    assertThat(canary.at("/spec/selector/matchLabels/orchestrationplane.io~1rollout-track").asString()).isEqualTo("canary");
    assertThat(f.object("", "Service", "api-canary")).isEmpty();
    assertThat(f.object("gateway.networking.k8s.io", "HTTPRoute", "api-route")).isEmpty();
    rollouts.approve(RolloutFixture.ID, DANA);
    f.settle(rollouts);
    assertThat(f.deployment("api-canary").orElseThrow().at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(f.deployment("api").orElseThrow().at("/spec/replicas").asInt()).isEqualTo(1);
    rollouts.approve(RolloutFixture.ID, DANA);
    f.settle(rollouts);
    assertThat(status().phase()).isEqualTo(Phase.HEALTHY);
    assertThat(f.deployment("api").orElseThrow().at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(f.deployment("api-canary")).isEmpty();
  }

  @Test
  void istioTrafficIsAVirtualServiceWithRouteWeights() {
    Map<String, Object> trait = Map.of("environment", "prod",
        "canary", Map.of("steps", List.of(Map.of("setWeight", 20), Map.of("pause", Map.of()))),
        "traffic", Map.of("istio", Map.of("hosts", List.of("shop.example.com"), "gateways", List.of("infra/shop-gw"))));
    rollouts.start(RolloutFixture.shop("v1", c -> c.trait(Trait.of("rollout", trait))), "prod", DANA);
    f.settle(rollouts);
    rollouts.start(RolloutFixture.shop("v2", c -> c.trait(Trait.of("rollout", trait))), "prod", DANA);
    f.settle(rollouts);
    Resource vs = f.object("networking.istio.io", "VirtualService", "api-route").orElseThrow();
    assertThat(vs.at("/spec/http/0/route/0/destination/host").asString()).isEqualTo("api");
    assertThat(vs.at("/spec/http/0/route/0/weight").asInt()).isEqualTo(80);
    assertThat(vs.at("/spec/http/0/route/1/destination/host").asString()).isEqualTo("api-canary");
    assertThat(vs.at("/spec/http/0/route/1/weight").asInt()).isEqualTo(20);
    assertThat(vs.at("/spec/gateways/0").asString()).isEqualTo("infra/shop-gw");
  }

  @Test
  void blueGreenTakesNoTrafficLayer() {
    Application bad = RolloutFixture.shop("v1", c -> c.trait(Trait.of("rollout", Map.of("environment", "prod",
        "blueGreen", Map.of(), "traffic", Map.of("istio", Map.of("hosts", List.of("x")))))));
    assertThatThrownBy(() -> f.plane.validate(bad)).hasMessageContaining("traffic")
        .hasMessageContaining("blue-green switches the active Service");
  }

  @Test
  void aWorkflowRolloutStepFailsWhenTheAnalysisAbortsSoTheFailureHandlerRuns() {
    rollouts.start(RolloutFixture.canary("v1"), "prod", DANA);
    f.settle(rollouts);
    f.errorRate.put("v2", 0.3);
    Delivery delivery = Delivery.builder().plane(f.plane).store(f.store).identity("d").stepType(rollouts.stepType())
        .build();
    Workflow wf = Workflow.builder("release").step(Step.of("canary-prod", "rollout", Map.of("environment", "prod")))
        .build();
    delivery.start(RolloutFixture.canary("v2"), wf, DANA, io.orchestrationplane.core.release.Origin.code());
    for (int i = 0; i < 10; i++) {
      delivery.runPending();
      f.makeDeploymentsReady();
      f.clock.advance(Duration.ofSeconds(30));
    }
    ReleaseStatus rs = delivery.status("shop.shop");
    assertThat(rs.toText()).contains("FAILED").contains("analysis error-rate failed: metric error-rate measured 0.3");
    assertThat(status().phase()).isEqualTo(Phase.DEGRADED);
    assertThat(f.tagOf("api")).isEqualTo("v1");
  }

  @Test
  void aWorkflowRolloutStepSucceedsOnceTheReleaseIsPromoted() {
    rollouts.start(RolloutFixture.canary("v1"), "prod", DANA);
    f.settle(rollouts);
    f.errorRate.put("v2", 0.0);
    Delivery delivery = Delivery.builder().plane(f.plane).store(f.store).identity("d").stepType(rollouts.stepType())
        .build();
    Workflow wf = Workflow.builder("release").step(Step.of("canary-prod", "rollout", Map.of("environment", "prod")))
        .build();
    delivery.start(RolloutFixture.canary("v2"), wf, DANA, io.orchestrationplane.core.release.Origin.code());
    for (int i = 0; i < 40; i++) {
      delivery.runPending();
      f.makeDeploymentsReady();
      if (status().phase() == Phase.PAUSED && status().message().contains("until approved")) {
        rollouts.approve(RolloutFixture.ID, DANA);
      }
      f.clock.advance(Duration.ofSeconds(30));
    }
    assertThat(delivery.status("shop.shop").toText()).contains("SUCCEEDED  canary-prod (rollout)");
    assertThat(f.tagOf("api")).isEqualTo("v2");
  }
}
