package io.orchestrationplane.core.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.resource.Inventory;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.time.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * The inventory is a ConfigMap anyone with write access to the namespace may edit: whatever is
 * written into it (kinds and namespaces the application never used, garbage), or wherever a copy
 * of it is planted, prune deletes only objects carrying the application's labels, and the plane
 * keeps finding what it owns.
 */
class InventoryTamperingTest {
  private static final String CONFIG = """
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings}
      data: {mode: fast}
      """;
  private static final String WIDGET = """
      ---
      apiVersion: example.com/v1
      kind: Widget
      metadata: {name: gadget}
      spec: {size: 3}
      """;
  private static final ResourceKey GADGET = ResourceKey.of("prod", "example.com", "Widget", "shop", "gadget");
  private static final ResourceKey SETTINGS = ResourceKey.of("prod", "", "ConfigMap", "shop", "settings");

  private final ManualClock clock = ManualClock.create();
  private final InMemoryCluster cluster = InMemoryCluster.builder("prod").clock(clock).build();

  private static Application app(String manifests) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("objects", "k8s-objects").property("manifests", manifests).build())
        .build();
  }

  private OrchestrationPlane plane() {
    return OrchestrationPlane.builder().clock(clock).cluster(cluster).build();
  }

  private ResourceKey parentKey() {
    return Inventory.parentKey("prod", "shop.shop");
  }

  private void annotateParent(String groupKinds, String namespaces) {
    Resource parent = cluster.get(parentKey()).orElseThrow();
    Resource edited = parent.withAnnotation(Inventory.GROUP_KINDS_ANNOTATION, groupKinds);
    if (namespaces != null) {
      edited = edited.withAnnotation(Inventory.NAMESPACES_ANNOTATION, namespaces);
    }
    cluster.update(edited);
  }

  private void foreign(String yaml) {
    cluster.apply(Resource.fromYaml(yaml));
  }

  @Test
  void kindsAndNamespacesAddedToTheInventoryNeverMakeAForeignObjectPruned() {
    plane().apply(app(CONFIG + WIDGET));
    foreign("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: coredns, namespace: kube-system}
        spec: {replicas: 2}
        """);
    foreign("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop, labels: {app.kubernetes.io/managed-by: helm}}
        spec: {replicas: 1}
        """);
    foreign("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: admin}
        rules: []
        """);
    annotateParent("ConfigMap,Widget.example.com,Deployment.apps,ClusterRole.rbac.authorization.k8s.io,"
        + "Deployment.apps,Secret", "kube-system,default,kube-system");
    int before = cluster.size();

    OrchestrationPlane restarted = plane();
    Plan plan = restarted.plan(app(CONFIG));
    assertThat(plan.problems()).isEmpty();
    assertThat(plan.deletes()).extracting(Change::key).containsExactly(GADGET);
    restarted.apply(plan);
    assertThat(cluster.size()).isEqualTo(before - 1);

    ExecutionResult removal = restarted.delete(app(CONFIG));
    assertThat(OrchestrationPlane.isRemoved(removal)).isTrue();
    assertThat(cluster.all()).extracting(Resource::toString).containsExactlyInAnyOrder(
        "Deployment kube-system/coredns", "Deployment shop/api", "ClusterRole admin");
  }

  @Test
  void garbageInTheInventoryIsNoCrashAndTheApplicationStillFindsWhatItOwns() {
    plane().apply(app(CONFIG + WIDGET));
    annotateParent(".oops,,Widget.example.com,.,{\"json\":true},Widget.example.com," + "x".repeat(100_000),
        ",, ,kube-system");

    OrchestrationPlane restarted = plane();
    Plan plan = restarted.plan(app(CONFIG));
    assertThat(plan.deletes()).extracting(Change::key).containsExactly(GADGET);
    restarted.apply(plan);
    assertThat(cluster.get(GADGET)).isEmpty();
    assertThat(cluster.get(SETTINGS)).isPresent();
  }

  @Test
  void aCopyOfTheInventoryPlantedElsewhereIsNotTakenForItAndRemovalFinishes() {
    plane().apply(app(CONFIG + WIDGET));
    Resource real = cluster.get(parentKey()).orElseThrow();
    // A decoy: the application's inventory labels on another ConfigMap, recording nothing.
    foreign("""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: decoy
          namespace: shop
          labels:
            app.kubernetes.io/managed-by: orchestration-plane
            orchestrationplane.io/application: shop.shop
            orchestrationplane.io/inventory: "true"
            %s: %s
          annotations: {%s: "ConfigMap,Widget.example.com"}
        """.formatted(Inventory.ID_LABEL, real.label(Inventory.ID_LABEL), Inventory.GROUP_KINDS_ANNOTATION));

    OrchestrationPlane restarted = plane();
    ExecutionResult removal = restarted.delete(app(CONFIG + WIDGET));
    assertThat(OrchestrationPlane.isRemoved(removal)).as(removal.toString()).isTrue();
    assertThat(cluster.get(parentKey())).isEmpty();
    assertThat(cluster.get(GADGET)).isEmpty();
  }

  @Test
  void anInventoryDeletedOutOfBandIsWrittenAgainWithEveryKindTheApplicationStillOwns() {
    OrchestrationPlane plane = plane();
    plane.apply(app(CONFIG + WIDGET));
    cluster.delete(parentKey());

    Plan plan = plane.plan(app(CONFIG));
    assertThat(plan.deletes()).extracting(Change::key).containsExactly(GADGET);
    plane.apply(plan);
    assertThat(cluster.get(GADGET)).isEmpty();
    assertThat(cluster.get(parentKey())).as("written again before the delete").isPresent();
  }
}
