package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.resource.ResourceKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The whole plane over HTTP: online-boutique (../shared/corpus/apps) as a k8s-objects component,
 * placed on two mock API servers, converged from empty, re-planned to all UNCHANGED, an
 * out-of-band edit restored through the watch in continuous mode, then pruned.
 */
class PlaneOnKubernetesIT {

  @Test
  void onlineBoutiqueConvergesOnTwoClustersStaysConvergedAndIsPruned() throws Exception {
    Path apps = Corpus.appsOrSkip();
    String manifests = Files.readString(apps.resolve("online-boutique/kubernetes-manifests.yaml"));
    Application boutique = Application.builder("boutique").namespace("boutique")
        .component(Component.builder("shop", "k8s-objects").property("manifests", manifests).build())
        .environment(Environment.builder("prod").build())
        .build();
    try (MockApi euApi = new MockApi(); MockApi usApi = new MockApi();
        KubernetesCluster eu = euApi.cluster("eu"); KubernetesCluster us = usApi.cluster("us");
        OrchestrationPlane plane = OrchestrationPlane.builder()
            .cluster(eu, Map.of("tier", "prod")).cluster(us, Map.of("tier", "prod"))
            .readinessGates(false) // no kubelet behind the mock: Deployments never become available
            .workers(2).build()) {
      Plan first = plane.plan(boutique);
      assertThat(first.changes()).isNotEmpty().allMatch(c -> c.type() == Change.Type.CREATE);
      int perCluster = first.creates().size() / 2;
      assertThat(plane.apply(first).succeeded()).isTrue();

      Plan again = plane.plan(boutique);
      assertThat(again.changes()).hasSize(2 * perCluster).allMatch(c -> c.type() == Change.Type.UNCHANGED);

      plane.start();
      plane.submit(boutique);
      assertThat(plane.awaitIdle(Duration.ofSeconds(30))).isTrue();
      KubernetesClient raw = euApi.rawClient();
      Deployment frontend = raw.apps().deployments().inNamespace("boutique").withName("frontend").get();
      frontend.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("attacker/frontend:evil");
      raw.apps().deployments().inNamespace("boutique").resource(frontend).update();
      ResourceKey key = ResourceKey.of("eu", "apps", "Deployment", "boutique", "frontend");
      await(() -> eu.get(key).map(d -> !d.at("/spec/template/spec/containers/0/image").asString()
          .equals("attacker/frontend:evil")).orElse(false), Duration.ofSeconds(30));
      assertThat(eu.get(key).orElseThrow().at("/spec/template/spec/containers/0/image").asString())
          .contains("frontend");

      plane.remove(boutique);
      await(() -> plane.statuses().isEmpty(), Duration.ofSeconds(30));
      assertThat(plane.plan(boutique).creates()).hasSize(2 * perCluster); // nothing left on either cluster
    }
  }

  /** Polls until the condition holds; the plane works on its own threads. */
  private static void await(BooleanSupplier condition, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("condition not met within " + timeout);
      }
      LockSupport.parkNanos(20_000_000L);
    }
  }
}
