package io.orchestrationplane.core.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.resource.Inventory;
import io.orchestrationplane.core.resource.Resource;
import org.junit.jupiter.api.Test;

/**
 * An application cannot render the plane's own bookkeeping: its inventory's name (which would
 * overwrite the record of what it owns), another application's inventory name (which would block
 * that application), or the inventory label (which would make an object pass for an inventory and
 * never be pruned). Each is a validation problem naming the component, and nothing is written.
 */
class ReservedNamesTest {
  static Application objects(String name, String manifests) {
    return Application.builder(name).namespace("shop")
        .component(Component.builder("objects", "k8s-objects").property("manifests", manifests).build()).build();
  }

  static final String SECRET = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {p: x}\n";

  @Test
  void anApplicationRenderingItsOwnInventoryIsRefusedAndTheInventoryKept() {
    InMemoryCluster cluster = InMemoryCluster.create("prod");
    OrchestrationPlane plane = OrchestrationPlane.builder().cluster(cluster).build();
    plane.apply(objects("shop", SECRET));
    Resource before = cluster.get(Inventory.parentKey("prod", "shop.shop")).orElseThrow();

    Application hostile = objects("shop", SECRET
        + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: orchestration-plane-inventory.shop}\ndata: {x: y}\n");
    assertThatThrownBy(() -> plane.plan(hostile)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("spec.components[0]")
        .hasMessageContaining("ConfigMap shop/orchestration-plane-inventory.shop")
        .hasMessageContaining("reserved for the plane's inventory");
    assertThatThrownBy(() -> plane.apply(hostile)).isInstanceOf(ValidationException.class);

    Resource after = cluster.get(Inventory.parentKey("prod", "shop.shop")).orElseThrow();
    assertThat(after.resourceVersion()).isEqualTo(before.resourceVersion());
    assertThat(Inventory.recordedKinds(after)).extracting(Object::toString).containsExactly("Secret");
    assertThat(plane.delete(objects("shop", SECRET)).toText()).contains("1 deleted");
    assertThat(cluster.all()).isEmpty();
  }

  @Test
  void anApplicationCannotTakeAnotherApplicationsInventoryName() {
    InMemoryCluster cluster = InMemoryCluster.create("prod");
    OrchestrationPlane plane = OrchestrationPlane.builder().cluster(cluster).build();
    Application squatter = objects("squatter",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: orchestration-plane-inventory.later}\n");
    assertThatThrownBy(() -> plane.apply(squatter)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("reserved for the plane's inventory");
    assertThat(cluster.all()).isEmpty();
    // the application whose name it was goes on as if nothing happened
    assertThat(plane.apply(objects("later", SECRET)).toText()).contains("complete");
  }

  @Test
  void anObjectLabelledAsAnInventoryIsRefused() {
    OrchestrationPlane plane = OrchestrationPlane.builder().cluster(InMemoryCluster.create("prod")).build();
    Application disguised = objects("shop",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, labels: {orchestrationplane.io/inventory: 'true'}}\n");
    assertThatThrownBy(() -> plane.plan(disguised)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("ConfigMap shop/c")
        .hasMessageContaining("the label orchestrationplane.io/inventory marks the plane's inventory");
  }
}
