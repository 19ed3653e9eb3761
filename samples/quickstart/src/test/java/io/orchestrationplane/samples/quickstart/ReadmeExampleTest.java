package io.orchestrationplane.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.plan.Plan;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's "30 seconds" example, as written there, so the README cannot drift from the API. */
class ReadmeExampleTest {

  @Test
  void theThirtySecondExampleWorksAsTheReadmeSays() {
    InMemoryCluster staging = InMemoryCluster.create("staging");
    InMemoryCluster prod = InMemoryCluster.create("prod");

    try (OrchestrationPlane plane = OrchestrationPlane.builder()
        .cluster(staging, Map.of("tier", "staging"))
        .cluster(prod, Map.of("tier", "prod"))
        .build()) {

      Application shop = Application.builder("shop").namespace("shop")
          .component(Component.builder("api", "webservice")
              .property("image", "ghcr.io/acme/shop-api:1.4.2")
              .property("port", 9000)
              .trait(Trait.of("ingress", Map.of("host", "shop.example.com")))
              .build())
          .environment(Environment.builder("prod").clusters("prod")
              .override("api", Map.of("replicas", 3)).build())
          .build();

      Plan plan = plane.plan(shop);
      assertThat(plan.toText()).contains("+ Service shop/api").contains("+ Deployment shop/api");
      plane.apply(plan);
      assertThat(plane.status(shop).isInSync()).isTrue();
      assertThat(prod.size()).as("Service, Deployment, Ingress and the inventory").isEqualTo(4);
      assertThat(staging.size()).isZero();
    }
  }
}
