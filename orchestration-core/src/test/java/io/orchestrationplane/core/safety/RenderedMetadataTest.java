package io.orchestrationplane.core.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.ValidationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a Kubernetes API server refuses in a rendered object's metadata (an upper-case or too long
 * name, a label value of 64 characters, a bad namespace) is a validation problem naming the
 * component and the object before anything is written, not a write that fails halfway through a
 * plan on a real cluster after the objects before it were applied.
 */
class RenderedMetadataTest {
  static Application objects(String manifests) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("objects", "k8s-objects").property("manifests", manifests).build()).build();
  }

  static final String FIRST = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first}\n---\n";

  @Test
  void metadataTheApiServerWouldRefuseIsAProblemAndNothingIsWritten() {
    InMemoryCluster cluster = InMemoryCluster.create("prod");
    OrchestrationPlane plane = OrchestrationPlane.builder().cluster(cluster).build();
    Map<String, String> refused = Map.of(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Upper}\n",
        "ConfigMap shop/Upper: metadata.name 'Upper' is not a valid RFC 1123 subdomain",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + "a".repeat(254) + "}\n",
        "is longer than 253 characters",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, labels: {team: " + "b".repeat(64) + "}}\n",
        "ConfigMap shop/c: metadata.labels: label value '" + "b".repeat(64) + "' is not valid",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, labels: {'a/b/c': x}}\n",
        "label key 'a/b/c' is not valid",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: Kube_System}\n",
        "metadata.namespace 'Kube_System' is not a valid RFC 1123 name",
        "apiVersion: v1\nkind: Service\nmetadata: {name: a.b}\nspec: {ports: [{port: 80}]}\n",
        "Service shop/a.b: metadata.name 'a.b' is not a valid RFC 1123 name");
    refused.forEach((manifest, message) -> {
      assertThatThrownBy(() -> plane.apply(objects(FIRST + manifest))).as(manifest)
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("spec.components[0]")
          .hasMessageContaining(message);
      assertThat(cluster.all()).as(manifest).isEmpty();
    });
  }

  @Test
  void namesEachKindAllowsAreKept() {
    InMemoryCluster cluster = InMemoryCluster.create("prod");
    OrchestrationPlane plane = OrchestrationPlane.builder().cluster(cluster).build();
    String manifests = FIRST
        + "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: 'system:shop-Reader'}\nrules: []\n---\n"
        + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shop.settings.v2, labels: {example.com/Team_Name: Payments.EU-1}}\n";
    assertThat(plane.apply(objects(manifests)).toText()).contains("complete");
    assertThat(cluster.all()).extracting(r -> r.name())
        .contains("first", "system:shop-Reader", "shop.settings.v2");
  }
}
