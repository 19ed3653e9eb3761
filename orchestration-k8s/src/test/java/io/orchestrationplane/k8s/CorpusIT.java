package io.orchestrationplane.k8s;

import static io.orchestrationplane.k8s.TestResources.awaitEvent;
import static io.orchestrationplane.k8s.TestResources.awaitQuiet;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every manifest of the corpus' apps, applied over HTTP to kubernetes-mock-server through the
 * driver: create, re-apply without writes, an out-of-band edit seen through the watch and
 * restored, delete.
 */
class CorpusIT {
  private MockApi api;
  private KubernetesCluster cluster;
  private KubernetesClient raw;
  private Path apps;

  @BeforeEach
  void start() {
    apps = Corpus.appsOrSkip();
    api = new MockApi();
    cluster = api.cluster("corpus");
    raw = api.rawClient();
  }

  @AfterEach
  void stop() {
    if (api == null) {
      return; // skipped: no corpus
    }
    cluster.close();
    raw.close();
    api.close();
  }

  @Test
  void everyCorpusManifestAppliesReappliesWithoutWritesAndDeletes() throws Exception {
    // Each application in its own namespace: guestbook and online-boutique both have a "frontend".
    List<Resource> manifests = new ArrayList<>();
    try (var folders = java.nio.file.Files.list(apps)) {
      for (Path app : folders.filter(java.nio.file.Files::isDirectory).sorted().toList()) {
        Corpus.manifests(app).forEach(m -> manifests.add(m.withNamespace(app.getFileName().toString())));
      }
    }
    assertThat(manifests).hasSizeGreaterThan(40);
    for (Resource crd : CustomResourceDefinitions.forKindsOf(manifests)) {
      cluster.apply(crd);
    }
    Set<GroupKind> kinds = new LinkedHashSet<>();
    manifests.forEach(m -> kinds.add(m.groupKind()));
    BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();

    try (AutoCloseable watch = cluster.watch(kinds, events::add)) {
      Map<ResourceKey, Resource> applied = new LinkedHashMap<>();
      for (Resource m : manifests) {
        Resource stored = cluster.apply(m);
        applied.put(stored.key("corpus"), stored);
      }
      assertThat(applied).hasSize(manifests.size());
      for (ResourceKey key : applied.keySet()) {
        assertThat(cluster.get(key)).as("%s", key).isPresent();
      }

      List<String> changedByReapply = new ArrayList<>();
      for (Resource m : manifests) {
        Resource again = cluster.apply(m);
        Resource before = applied.get(again.key("corpus"));
        if (!again.resourceVersion().equals(before.resourceVersion())) {
          changedByReapply.add(again.key("corpus").toString());
        }
      }
      assertThat(changedByReapply).as("objects written again by an unchanged re-apply").isEmpty();
      awaitQuiet(events, Duration.ofMillis(300));

      Deployment frontend = raw.apps().deployments().inNamespace("online-boutique").withName("frontend").get();
      int desiredReplicas = frontend.getSpec().getReplicas() == null ? 1 : frontend.getSpec().getReplicas();
      frontend.getSpec().setReplicas(desiredReplicas + 7);
      raw.apps().deployments().inNamespace("online-boutique").resource(frontend).update();
      WatchEvent drift = awaitEvent(events, e -> e.type() == WatchEvent.Type.MODIFIED
          && e.resource().name().equals("frontend")
          && e.resource().namespace().equals("online-boutique") && e.resource().kind().equals("Deployment"), Duration.ofSeconds(10));
      assertThat(drift.resource().at("/spec/replicas").asInt()).isEqualTo(desiredReplicas + 7);

      Resource frontendManifest = manifests.stream()
          .filter(m -> m.kind().equals("Deployment") && m.name().equals("frontend")
              && m.namespace().equals("online-boutique")).findFirst().orElseThrow();
      Resource restored = cluster.apply(frontendManifest.edit(t ->
          ((tools.jackson.databind.node.ObjectNode) t.get("spec")).put("replicas", desiredReplicas)));
      assertThat(restored.at("/spec/replicas").asInt()).isEqualTo(desiredReplicas);

      for (ResourceKey key : applied.keySet()) {
        assertThat(cluster.delete(key)).as("delete %s", key).isTrue();
      }
      for (GroupKind kind : kinds) {
        assertThat(cluster.list(kind, null, Map.of())).as("%s left", kind).isEmpty();
      }
      awaitQuiet(events, Duration.ofMillis(300));
    }
  }

  @Test
  void onlineBoutiqueLandsOnBothClustersTheRegistryPlacesItOn() throws Exception {
    List<Resource> boutique = Corpus.manifests(apps.resolve("online-boutique")).stream()
        .map(m -> m.withNamespace("boutique")).toList();
    try (MockApi east = new MockApi(); MockApi west = new MockApi()) {
      io.orchestrationplane.core.cluster.ClusterRegistry registry = KubernetesClusters.builder()
          .add("east", east.config())
          .add("west", west.config())
          .add("staging", api.config())
          .labels(Map.of("east", Map.of("tier", "prod"), "west", Map.of("tier", "prod"),
              "staging", Map.of("tier", "staging")))
          .limits(MockApi.FAST)
          .build();
      try {
        List<String> placement = registry.select(Map.of("tier", "prod"));
        for (String name : placement) {
          var driver = registry.require(name);
          for (Resource crd : CustomResourceDefinitions.forKindsOf(boutique)) {
            driver.apply(crd);
          }
          for (Resource m : boutique) {
            driver.apply(m);
          }
        }

        assertThat(placement).containsExactly("east", "west");
        for (String name : placement) {
          var driver = registry.require(name);
          for (Resource m : boutique) {
            assertThat(driver.get(m.key(name))).as("%s on %s", m.key(name), name).isPresent();
          }
        }
        assertThat(registry.require("staging").list(new GroupKind("apps", "Deployment"), null, Map.of())).isEmpty();
      } finally {
        registry.entries().forEach(e -> e.driver().close());
      }
    }
  }
}
