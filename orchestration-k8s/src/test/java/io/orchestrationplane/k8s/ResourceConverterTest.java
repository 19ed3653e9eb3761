package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.orchestrationplane.core.resource.Resource;
import org.junit.jupiter.api.Test;

class ResourceConverterTest {
  private final ResourceConverter converter = ResourceConverter.create();

  private static Deployment deployment() {
    return new DeploymentBuilder()
        .withNewMetadata().withName("api").withNamespace("shop").addToLabels("app", "api").endMetadata()
        .withNewSpec()
          .withReplicas(3)
          .withNewSelector().addToMatchLabels("app", "api").endSelector()
          .withNewTemplate()
            .withNewMetadata().addToLabels("app", "api").endMetadata()
            .withNewSpec().addNewContainer().withName("api").withImage("shop/api:1.2").endContainer().endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  @Test
  void aDeploymentBuiltWithFabric8BuildersBecomesAResource() {
    Resource r = converter.toResource(deployment());

    assertThat(r.apiVersion()).isEqualTo("apps/v1");
    assertThat(r.kind()).isEqualTo("Deployment");
    assertThat(r.namespace()).isEqualTo("shop");
    assertThat(r.labels()).containsEntry("app", "api");
    assertThat(r.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(r.at("/spec/template/spec/containers/0/image").asString()).isEqualTo("shop/api:1.2");
  }

  @Test
  void aResourceReadsBackAsTheSameTypedObject() {
    Deployment original = deployment();

    Deployment back = converter.toTyped(converter.toResource(original), Deployment.class);

    assertThat(back).isEqualTo(original);
  }

  @Test
  void aResourceBecomesAGenericObjectWithItsBody() {
    Resource cm = Resource.fromYaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: shop}
        data: {mode: fast}
        """);

    GenericKubernetesResource generic = converter.toGeneric(cm);

    assertThat(generic.getKind()).isEqualTo("ConfigMap");
    assertThat(generic.getMetadata().getName()).isEqualTo("settings");
    assertThat(generic.<String>get("data", "mode")).isEqualTo("fast");
    assertThat(converter.toResource(generic)).isEqualTo(cm);
  }

  @Test
  void readingAResourceAsTheWrongTypeSaysWhich() {
    Resource cm = Resource.of("v1", "ConfigMap", "shop", "settings");

    assertThatThrownBy(() -> converter.toTyped(cm, Deployment.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ConfigMap settings")
        .hasMessageContaining("Deployment");
    assertThat(converter.toTyped(cm, ConfigMap.class).getMetadata().getName()).isEqualTo("settings");
  }
}
