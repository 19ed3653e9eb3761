package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped Application CRD installs on the mock, which then serves Application objects. */
class ApplicationCrdIT {
  @Test
  void theMockAcceptsTheCrdThenStoresApplicationsAndTheirStatus() {
    try (MockApi api = new MockApi(); KubernetesCluster cluster = api.cluster("ops")) {
      Resource installed = cluster.apply(ApplicationCrd.definition());
      assertThat(installed.name()).isEqualTo("applications.orchestrationplane.io");

      Resource app = cluster.apply(Resource.fromYaml("""
          apiVersion: orchestrationplane.io/v1alpha1
          kind: Application
          metadata: {name: shop, namespace: team-a}
          spec:
            components:
            - {name: web, type: webservice, properties: {image: "shop/web:1.0", port: 8080}}
          """));
      Resource withStatus = cluster.updateStatus(app.edit(t -> t.putObject("status")
          .put("observedGeneration", 1).put("resourceCount", 2)
          .putArray("conditions").addObject().put("type", "Ready").put("status", "True")));

      ResourceKey key = ResourceKey.of("ops", ApplicationCrd.GROUP, ApplicationCrd.KIND, "team-a", "shop");
      Resource live = cluster.get(key).orElseThrow();
      assertThat(live.at("/spec/components/0/type").asString()).isEqualTo("webservice");
      assertThat(live.at("/status/conditions/0/status").asString()).isEqualTo("True");
      assertThat(withStatus.resourceVersion()).isEqualTo(live.resourceVersion());
      assertThat(cluster.list(ApplicationCrd.GROUP_KIND, null, Map.of())).extracting(Resource::name).containsExactly("shop");
    }
  }
}
