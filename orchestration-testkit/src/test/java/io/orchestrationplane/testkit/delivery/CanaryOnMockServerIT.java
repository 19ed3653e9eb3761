package io.orchestrationplane.testkit.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.render.TypeRegistry;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.delivery.rollout.RolloutStatus;
import io.orchestrationplane.delivery.rollout.RolloutTrait;
import io.orchestrationplane.delivery.rollout.Rollouts;
import io.orchestrationplane.testkit.junit.KubernetesEnvironment;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * A canary over kubernetes-mock-server with the Gateway API HTTPRoute CRD registered: the
 * route's weights are written through the plane's Kubernetes driver like any object.
 */
class CanaryOnMockServerIT {
  static final String ID = "shop.shop-prod";
  static final Resource HTTPROUTE_CRD = Resource.fromYaml("""
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: httproutes.gateway.networking.k8s.io}
      spec:
        group: gateway.networking.k8s.io
        names: {kind: HTTPRoute, plural: httproutes, singular: httproute, listKind: HTTPRouteList}
        scope: Namespaced
        versions:
        - name: v1
          served: true
          storage: true
          schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
          subresources: {status: {}}
      """);

  static Application shop(String tag) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "webservice").property("image", "ghcr.io/acme/api:" + tag)
            .property("port", 8080).property("replicas", 4)
            .trait(Trait.of(RolloutTrait.NAME, Map.of("environment", "prod",
                "canary", Map.of("steps", List.of(Map.of("setWeight", 10), Map.of("pause", Map.of()),
                    Map.of("setWeight", 50), Map.of("pause", Map.of()), Map.of("setWeight", 100), Map.of("pause", Map.of()))),
                "traffic", Map.of("gatewayApi", Map.of("gateway", "shop-gw"))))).build())
        .environment(Environment.builder("prod").namespace("shop-prod").clusters("dev").build())
        .build();
  }

  @Test
  void theHttpRouteWeightsMoveTenFiftyHundredAndBackToZeroOnAbort() {
    ManualClock clock = ManualClock.at(Instant.parse("2026-03-02T09:00:00Z"));
    try (KubernetesEnvironment env = KubernetesEnvironment.builder().startPlane(false).build();
         StateStore store = StateStore.inMemory()) {
      ClusterDriver cluster = env.cluster();
      cluster.apply(HTTPROUTE_CRD);
      try (OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).logging(false).cluster(cluster)
          .stateStore(store).types(TypeRegistry.builder().trait(new RolloutTrait())).build()) {
        Rollouts rollouts = Rollouts.builder().plane(plane).store(store).build();
        Subject dana = Subject.of("dana");
        rollouts.start(shop("v1"), "prod", dana);
        settle(rollouts, cluster);
        assertThat(weights(env.client())).containsExactly(Map.entry("api", 100));

        rollouts.start(shop("v2"), "prod", dana);
        settle(rollouts, cluster);
        assertThat(weights(env.client())).containsExactly(Map.entry("api", 90), Map.entry("api-canary", 10));
        rollouts.approve(ID, dana);
        settle(rollouts, cluster);
        assertThat(weights(env.client())).containsExactly(Map.entry("api", 50), Map.entry("api-canary", 50));
        rollouts.approve(ID, dana);
        settle(rollouts, cluster);
        assertThat(weights(env.client())).containsExactly(Map.entry("api", 0), Map.entry("api-canary", 100));
        assertThat(rollouts.status(ID).orElseThrow().phase()).isEqualTo(RolloutStatus.Phase.PAUSED);

        rollouts.abort(ID, dana);
        assertThat(rollouts.runOnce(ID)).isTrue();
        assertThat(weights(env.client())).containsExactly(Map.entry("api", 100), Map.entry("api-canary", 0));
        assertThat(env.client().apps().deployments().inNamespace("shop-prod").withName("api-canary").get()
            .getSpec().getReplicas()).isZero();
        assertThat(rollouts.runOnce(ID)).isTrue();
        assertThat(weights(env.client())).containsExactly(Map.entry("api", 100));
        assertThat(env.client().apps().deployments().inNamespace("shop-prod").withName("api-canary").get()).isNull();
        assertThat(env.client().apps().deployments().inNamespace("shop-prod").withName("api").get().getSpec()
            .getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("ghcr.io/acme/api:v1");
        assertThat(rollouts.status(ID).orElseThrow().phase()).isEqualTo(RolloutStatus.Phase.DEGRADED);
      }
    }
  }

  /** The route as the API server stores it, read with a raw client. */
  private static Map<String, Integer> weights(KubernetesClient client) {
    var route = client.genericKubernetesResources("gateway.networking.k8s.io/v1", "HTTPRoute").inNamespace("shop-prod")
        .withName("api-route").get();
    Resource r = Resource.fromJson(io.fabric8.kubernetes.client.utils.Serialization.asJson(route));
    Map<String, Integer> w = new LinkedHashMap<>();
    r.at("/spec/rules/0/backendRefs").forEach(b -> w.put(b.path("name").asString(), b.path("weight").asInt()));
    return w;
  }

  /** Runs transitions, reporting every Deployment available in between (no kubelet behind the mock). */
  private static void settle(Rollouts rollouts, ClusterDriver cluster) {
    for (int i = 0; i < 20; i++) {
      int n = rollouts.runPending();
      for (Resource d : cluster.list(new GroupKind("apps", "Deployment"), "shop-prod", Map.of())) {
        long replicas = d.at("/spec/replicas").asLong(1);
        cluster.updateStatus(d.edit(t -> {
          ObjectNode s = t.putObject("status");
          s.put("observedGeneration", d.generation());
          s.put("replicas", replicas).put("updatedReplicas", replicas).put("readyReplicas", replicas)
              .put("availableReplicas", replicas);
        }));
      }
      n += rollouts.runPending();
      if (n == 0) {
        return;
      }
    }
  }
}
