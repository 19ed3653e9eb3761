package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.resource.Resource;
import org.junit.jupiter.api.Test;

class ApplicationCrdTest {
  @Test
  void theDefinitionServesApplicationV1alpha1WithAStatusSubresource() {
    Resource crd = ApplicationCrd.definition();

    assertThat(crd.kind()).isEqualTo("CustomResourceDefinition");
    assertThat(crd.at("/spec/group").asString()).isEqualTo(ApplicationCrd.GROUP);
    assertThat(crd.at("/spec/names/kind").asString()).isEqualTo(ApplicationCrd.KIND);
    assertThat(crd.at("/spec/names/plural").asString()).isEqualTo(ApplicationCrd.PLURAL);
    assertThat(crd.at("/spec/scope").asString()).isEqualTo("Namespaced");
    assertThat(crd.at("/spec/versions/0/name").asString()).isEqualTo(ApplicationCrd.VERSION);
    assertThat(crd.at("/spec/versions/0/subresources/status").isObject()).isTrue();
  }
}
