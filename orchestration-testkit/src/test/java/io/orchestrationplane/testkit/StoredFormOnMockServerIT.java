package io.orchestrationplane.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.testkit.junit.KubernetesEnvironment;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kubernetes-mock-server stores what it is sent; behind {@link StoredFormCluster} it stores what a
 * real API server would, and the plane still sees nothing to change after an apply.
 */
class StoredFormOnMockServerIT {

  @Test
  void anApplicationAppliedToAServerThatStoresTheKubernetesFormPlansNoChangesAfterwards() {
    try (KubernetesEnvironment env = KubernetesEnvironment.builder().startPlane(false).build()) {
      StoredFormCluster realistic = StoredFormCluster.wrap(env.cluster());
      try (OrchestrationPlane plane = OrchestrationPlane.builder().cluster(realistic).readinessGates(false).build()) {
        Application app = Application.builder("shop").namespace("shop")
            .component(Component.builder("api", "webservice").property("image", "acme/api:1").property("port", 8080)
                .trait(Trait.of("resources", Map.of("cpu", "0.5", "memory", "1024Mi"))).build())
            .component(Component.builder("creds", "k8s-objects").property("manifests", """
                apiVersion: v1
                kind: Secret
                metadata: {name: db}
                stringData: {password: correct-horse-battery}
                """).build())
            .build();
        assertThat(plane.apply(app).succeeded()).isTrue();
        var stored = env.cluster().get(ResourceKey.of("dev", "apps", "Deployment", "shop", "api")).orElseThrow();
        assertThat(stored.at("/spec/template/spec/containers/0/resources/requests/cpu").asString()).isEqualTo("500m");
        assertThat(stored.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(10);
        var secret = env.cluster().get(ResourceKey.of("dev", "", "Secret", "shop", "db")).orElseThrow();
        assertThat(secret.json().has("stringData")).isFalse();
        Plan again = plane.plan(app);
        assertThat(again.hasChanges()).as(again.toText(true)).isFalse();
      }
    }
  }
}
