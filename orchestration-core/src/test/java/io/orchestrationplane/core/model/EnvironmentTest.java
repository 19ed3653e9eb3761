package io.orchestrationplane.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.resource.Resource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentTest {
  private static final Environment PROD = Environment.builder("prod").namespace("shop-prod")
      .clusterSelector(Map.of("tier", "prod")).override("api", Map.of("replicas", 3)).build();

  @Test
  void toBuilderCopiesEverythingAndLeavesTheOriginalAlone() {
    assertThat(PROD.toBuilder().build()).isEqualTo(PROD);

    Environment canary = PROD.toBuilder().name("prod-canary").clusters("prod-eu-1")
        .override("api", Map.of("image", "acme/api:2")).build();

    assertThat(canary.name()).isEqualTo("prod-canary");
    assertThat(canary.namespace()).isEqualTo("shop-prod");
    assertThat(canary.placement()).isEqualTo(Placement.clusters("prod-eu-1"));
    assertThat(canary.overridesFor("api")).containsExactly(Map.entry("replicas", 3L), Map.entry("image", "acme/api:2"));
    assertThat(PROD.placement()).isEqualTo(Placement.selector(Map.of("tier", "prod")));
    assertThat(PROD.overridesFor("api")).containsExactly(Map.entry("replicas", 3L));
  }

  @Test
  void clusterSelectorPlacesOnEveryRegisteredClusterWithThoseLabelsInJavaAndYaml() {
    String yaml = """
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Application
        metadata: {name: shop, namespace: shop}
        spec:
          components:
            - name: api
              type: webservice
              properties: {image: "acme/api:1"}
          environments:
            - name: prod
              namespace: shop-prod
              placement: {clusterSelector: {tier: prod}}
              overrides: {api: {replicas: 3}}
        """;
    Application java = Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "webservice").property("image", "acme/api:1").build())
        .environment(PROD).build();
    try (OrchestrationPlane plane = OrchestrationPlane.builder().logging(false)
        .cluster(InMemoryCluster.create("prod-eu"), Map.of("tier", "prod", "region", "eu"))
        .cluster(InMemoryCluster.create("staging"), Map.of("tier", "staging"))
        .cluster(InMemoryCluster.create("prod-us"), Map.of("tier", "prod", "region", "us"))
        .build()) {
      Application fromYaml = plane.load(yaml);
      assertThat(fromYaml).isEqualTo(java);

      List<String> clusters = plane.plan(fromYaml).changes().stream().map(c -> c.key().cluster()).distinct().toList();
      assertThat(clusters).containsExactly("prod-eu", "prod-us");
      List<Resource> prod = plane.render(java).get("prod");
      assertThat(prod).extracting(Resource::namespace).containsOnly("shop-prod");
    }
  }
}
