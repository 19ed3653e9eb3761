package io.orchestrationplane.core.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.FlakyDriver;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Inventory;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Condition;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 2: the plane records on every cluster which kinds an application wrote (an
 * ApplySet-style inventory), so that after a restart, a changed type registry or a failed read
 * it still finds and removes everything, and a removal is finished only when every cluster
 * confirmed it.
 */
class InventoryTest {
  private static final String WIDGET = """
      ---
      apiVersion: example.com/v1
      kind: Widget
      metadata: {name: gadget}
      spec: {size: 3}
      """;
  private static final String CONFIG = """
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings}
      data: {mode: fast}
      """;

  private final ManualClock clock = ManualClock.create();
  private final InMemoryCluster cluster = InMemoryCluster.builder("prod").clock(clock).build();

  static Application app(String manifests) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("objects", "k8s-objects").property("manifests", manifests).build())
        .build();
  }

  private static final ResourceKey GADGET = ResourceKey.of("prod", "example.com", "Widget", "shop", "gadget");

  private OrchestrationPlane plane() {
    return OrchestrationPlane.builder().clock(clock).cluster(cluster).build();
  }

  @Test
  void theInventoryRecordsTheKindsAndFollowsApplySetConventions() {
    plane().apply(app(CONFIG + WIDGET));
    Resource parent = cluster.get(Inventory.parentKey("prod", "shop.shop")).orElseThrow();
    assertThat(parent.label(Inventory.ID_LABEL)).matches("applyset-[A-Za-z0-9_-]{43}-v1");
    assertThat(parent.annotation(Inventory.GROUP_KINDS_ANNOTATION)).isEqualTo("ConfigMap,Widget.example.com");
    assertThat(parent.annotation(Inventory.TOOLING_ANNOTATION)).isEqualTo("orchestration-plane/v1");
    assertThat(cluster.get(GADGET).orElseThrow().label(Inventory.PART_OF_LABEL))
        .isEqualTo(parent.label(Inventory.ID_LABEL));
  }

  @Test
  void aKindNoLongerRenderedIsPrunedAfterARestartThroughTheInventory() {
    plane().apply(app(CONFIG + WIDGET));
    assertThat(cluster.get(GADGET)).isPresent();

    // A new plane (the old one restarted) knows nothing of Widgets: neither a type nor a memory.
    OrchestrationPlane restarted = plane();
    Plan plan = restarted.plan(app(CONFIG));
    assertThat(plan.deletes()).extracting(Change::key).containsExactly(GADGET);
    restarted.apply(plan);
    assertThat(cluster.get(GADGET)).isEmpty();
    assertThat(Inventory.recordedKinds(cluster.get(Inventory.parentKey("prod", "shop.shop")).orElseThrow()))
        .as("widened before the delete, not narrowed by it").contains(new GroupKind("example.com", "Widget"));
  }

  @Test
  void deleteRemovesCustomKindsAndTheInventoryLast() {
    plane().apply(app(CONFIG + WIDGET));
    ExecutionResult removal = plane().delete(app(CONFIG + WIDGET));
    assertThat(OrchestrationPlane.isRemoved(removal)).isTrue();
    assertThat(cluster.size()).isZero();
  }

  @Test
  void aRemovalThatCannotReadAClusterStaysRemovingNamesItAndFinishesOnceItAnswers() {
    FlakyDriver flaky = new FlakyDriver(cluster);
    try (Scheduler scheduler = Scheduler.manual(clock);
        OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(flaky).workers(0)
            .scheduler(scheduler).build()) {
      plane.start();
      Application app = app(CONFIG + WIDGET);
      plane.submit(app);
      plane.runPending();
      assertThat(plane.status(app).phase()).isEqualTo(Phase.READY);

      flaky.unreachable = true;
      plane.remove(app);
      plane.runPending();
      ApplicationStatus removing = plane.status(app);
      assertThat(removing.phase()).isEqualTo(Phase.REMOVING);
      assertThat(removing.condition(Condition.DEGRADED)).hasValueSatisfying(c -> {
        assertThat(c.isTrue()).isTrue();
        assertThat(c.message()).contains("prod").contains("cluster unreachable");
      });
      assertThat(cluster.get(GADGET)).isPresent();

      flaky.unreachable = false;
      clock.advance(Duration.ofMinutes(5));
      plane.runPending();
      assertThat(plane.status(app).phase()).isEqualTo(Phase.REMOVED);
      assertThat(cluster.size()).isZero();
    }
  }

  @Test
  void anObjectMarkedKeepOnRemoveStaysAndIsListedAsKept() {
    String sharedNamespace = """
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: shared
          annotations: {%s: "true"}
        """.formatted(Ownership.KEEP_ON_REMOVE_ANNOTATION);
    try (Scheduler scheduler = Scheduler.manual(clock);
        OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(cluster).workers(0)
            .scheduler(scheduler).build()) {
      plane.start();
      Application app = app(sharedNamespace + CONFIG);
      plane.submit(app);
      plane.runPending();
      plane.remove(app);
      plane.runPending();
      ApplicationStatus removed = plane.status(app);
      assertThat(removed.phase()).isEqualTo(Phase.REMOVED);
      assertThat(removed.condition(Condition.READY).orElseThrow().message())
          .contains("kept").contains("Namespace shared (cluster prod)");
      assertThat(cluster.all()).extracting(Resource::toString).containsExactly("Namespace shared");
    }
  }

  @Test
  void anInventoryNameTakenBySomeoneElseBlocksTheClusterAndSaysWhy() {
    cluster.apply(Resource.fromYaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s, namespace: shop}
        data: {mine: "yes"}
        """.formatted(Inventory.parentName("shop.shop"))));
    Plan plan = plane().plan(app(CONFIG));
    assertThat(plan.writes()).isEmpty();
    assertThat(plan.problems()).singleElement().satisfies(p -> assertThat(p.message())
        .contains("inventory object exists and is not managed by the plane"));
  }
}
