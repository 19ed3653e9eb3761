package io.orchestrationplane.testkit.assertions;

import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThat;
import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.testkit.Shop;
import io.orchestrationplane.testkit.TestEnvironment;
import io.orchestrationplane.testkit.junit.OrchestrationTest;
import io.orchestrationplane.testkit.simulator.Fault;
import io.orchestrationplane.testkit.simulator.WorkloadSimulator;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

@OrchestrationTest(clusters = "prod:tier=prod", startPlane = false, readinessGates = false)
class OrchestrationAssertionsTest {

  @Test
  void aPlanForAnEmptyClusterCreatesEveryObject(OrchestrationPlane plane) {
    Plan plan = plane.plan(Shop.shop(2));
    assertThat(plan).hasCreates(5).hasUpdates(0).hasDeletes(0).hasChanges().hasNoProblems()
        .hasChange("Deployment", "shop/api").isCreate().onCluster("prod").ofComponent("api")
        .withField("spec.replicas").isAdded().to(2);
  }

  @Test
  void anUpdateShowsTheFieldWithItsOldAndNewValue(OrchestrationPlane plane) {
    plane.apply(Shop.shop(2));
    Plan plan = plane.plan(Shop.shop(3));
    assertThat(plan).hasUpdates(1).hasCreates(0)
        .hasChange("Deployment", "shop/api").isUpdate().withOnlyFields("spec.replicas")
        .withField("spec.replicas").from(2).to(3L)
        .and().and().hasNoChange("apps/Deployment", "shop/db");
    plane.apply(Shop.shop(3));
    assertThat(plane.plan(Shop.shop(3))).isEmpty().hasNoChanges().hasUnchanged(5);
  }

  @Test
  void aFailedPlanAssertionShowsThePlan(OrchestrationPlane plane) {
    plane.apply(Shop.shop(2));
    Plan plan = plane.plan(Shop.shop(3));
    assertThatThrownBy(() -> assertThat(plan).hasCreates(3))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected the plan to have 3 creates, but it has 0")
        .hasMessageContaining("~ Deployment shop/api  [cluster prod, env default, component api]")
        .hasMessageContaining("~ spec.replicas: 2 -> 3");
    assertThatThrownBy(() -> assertThat(plan).hasChange("Deployment", "shop/api").withField("spec.replicas").from(1))
        .hasMessageContaining("Expected spec.replicas to change from 1, but it changes from 2");
    assertThatThrownBy(() -> assertThat(plan).hasChange("Deployment", "shop/api").withField("spec.paused"))
        .hasMessageContaining("to change field spec.paused, but it changes [spec.replicas]");
    assertThatThrownBy(() -> assertThat(plan).hasChange("Deployment", "shop/db"))
        .hasMessageContaining("but it leaves it unchanged");
    assertThatThrownBy(() -> assertThat(plan).isEmpty())
        .hasMessageContaining("Expected a plan without changes, but it has 0 to create, 1 to update");
  }

  @Test
  void clusterAssertionsFindObjectsByKindAndNameAndCheckLabelsAndFields(OrchestrationPlane plane, InMemoryCluster prod) {
    plane.apply(Shop.shop(2));
    assertThat(prod).hasResource("Deployment", "shop/api")
        .withLabel("app.kubernetes.io/managed-by", "orchestration-plane")
        .withField("spec.replicas", 2)
        .withField("/spec/replicas", 2)
        .withField("spec.template.spec.containers[0].image", "acme/api:1")
        .withField("metadata.labels['app.kubernetes.io/managed-by']", "orchestration-plane")
        .withoutField("spec.paused")
        .withoutLabel("team");
    assertThat(prod).hasResource("Service", "shop/api").withField("spec.ports[0].port", 80);
    assertThat(prod).doesNotHave("Deployment", "shop/cart").doesNotHave("Ingress", "shop/api")
        .hasResourceCount("Deployment", 3);
  }

  @Test
  void aFailedResourceAssertionShowsTheObjectsYaml(OrchestrationPlane plane, InMemoryCluster prod) {
    plane.apply(Shop.shop(2));
    assertThatThrownBy(() -> assertThat(prod).hasResource("Deployment", "shop/api").withField("spec.replicas", 5))
        .hasMessageContaining("Expected Deployment shop/api in cluster prod to have spec.replicas = 5, but it is 2")
        .hasMessageContaining("kind: Deployment")
        .hasMessageContaining("image: acme/api:1");
    assertThatThrownBy(() -> assertThat(prod).hasResource("Deployment", "shop/apii"))
        .hasMessageContaining("Expected cluster prod to have Deployment shop/apii, but it does not. "
            + "Its Deployment objects: shop/api, shop/db, shop/web");
    assertThatThrownBy(() -> assertThat(prod).hasResource("Deployment", "shop/api").withLabel("team", "payments"))
        .hasMessageContaining("to have label team=payments, but it has no such label");
    assertThatThrownBy(() -> assertThat(prod).doesNotHave("Service", "shop/api"))
        .hasMessageContaining("not to have Service shop/api, but it does:\napiVersion: v1\nkind: Service");
  }

  @Test
  void aBareCustomKindIsFoundOnAnInMemoryClusterAndNeedsItsGroupElsewhere(InMemoryCluster prod) {
    prod.apply(Resource.fromYaml("""
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w, namespace: shop}
        spec: {size: 3}
        """));
    assertThat(prod).hasResource("Widget", "shop/w").withField("spec.size", 3);
    assertThat(prod).hasResource("example.com/Widget", "shop/w");
    var wrapped = io.orchestrationplane.testkit.faults.FaultyCluster.builder(prod).build();
    assertThatThrownBy(() -> assertThat(wrapped).hasResource("Widget", "shop/w"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"example.com/Widget\"");
  }

  @Test
  void executionResultAssertionsListEveryOutcomeOnFailure(OrchestrationPlane plane) {
    assertThat(plane.apply(Shop.shop(2))).succeeded().isComplete().hasWrites(5).hasWaiting(0)
        .hasOutcome("Deployment", "shop/api", Outcome.Status.APPLIED);
    assertThatThrownBy(() -> assertThat(plane.apply(Shop.shop(3))).hasWrites(2))
        .hasMessageContaining("Expected the execution of shop.shop to write 2 object(s), but it wrote 1")
        .hasMessageContaining("APPLIED ~ Deployment shop/api  [cluster prod]")
        .hasMessageContaining("UNCHANGED = Service shop/web  [cluster prod]");
  }

  @Test
  @OrchestrationTest(clusters = "prod", progressDeadline = "PT2M")
  void statusAssertionsReadPhaseAndDegradedReason(TestEnvironment env, WorkloadSimulator simulator) {
    assertThat(env.deploy(Shop.shop(2))).isReady().isInSync().hasConditionTrue("Ready").hasObservedGeneration(1);

    simulator.failImage("acme/api:broken", Fault.IMAGE_PULL_ERROR);
    env.plane().submit(Shop.shop("acme/api:broken", 2));
    env.settle(Duration.ofMinutes(5));
    var degraded = env.plane().status(Shop.shop("acme/api:broken", 2));
    assertThat(degraded).isDegraded().isDegradedBecause("ProgressDeadlineExceeded")
        .isDegradedBecause("Deployment shop/api");
    assertThatThrownBy(() -> assertThat(degraded).isReady())
        .hasMessageContaining("Expected application shop.shop to be READY, but it is DEGRADED:")
        .hasMessageContaining("Status of shop.shop: DEGRADED");
    assertThatThrownBy(() -> assertThat(degraded).isDegradedBecause("OOMKilled"))
        .hasMessageContaining("to be DEGRADED because of \"OOMKilled\", but the reason is ProgressDeadlineExceeded");
  }

  @Test
  void aResourceCanBeAssertedOnItsOwn(InMemoryCluster prod) {
    Resource r = prod.apply(Resource.fromYaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: shop, annotations: {owner: team-a}}
        data: {mode: fast}
        """).edit(t -> ((ObjectNode) t.get("data")).put("level", 3)));
    assertThat(r).withAnnotation("owner", "team-a").withField("data.mode", "fast").withField("data.level", 3.0);
  }
}
