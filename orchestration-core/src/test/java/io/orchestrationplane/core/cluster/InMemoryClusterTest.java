package io.orchestrationplane.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.time.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryClusterTest {
  private final ManualClock clock = ManualClock.create();
  private final InMemoryCluster cluster = InMemoryCluster.builder("c1").clock(clock).build();
  private static final GroupKind DEPLOYMENT = new GroupKind("apps", "Deployment");

  private static Resource deployment(String name, int replicas) {
    return Resource.fromYaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, namespace: shop, labels: {app: %s}}
        spec: {replicas: %d}
        """.formatted(name, name, replicas));
  }

  @Test
  void createSetsServerFieldsLikeAnApiServer() {
    Resource stored = cluster.apply(deployment("api", 1));
    assertThat(stored.uid()).isNotBlank();
    assertThat(stored.resourceVersion()).isEqualTo("1");
    assertThat(stored.generation()).isEqualTo(1);
    assertThat(stored.at("/metadata/creationTimestamp").asString()).isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void generationIsBumpedOnSpecChangesOnly() {
    cluster.apply(deployment("api", 1));
    Resource relabelled = cluster.apply(deployment("api", 1).withLabel("team", "a"));
    assertThat(relabelled.generation()).isEqualTo(1);
    assertThat(relabelled.resourceVersion()).isEqualTo("2");
    Resource scaled = cluster.apply(deployment("api", 3).withLabel("team", "a"));
    assertThat(scaled.generation()).isEqualTo(2);
    Resource withStatus = cluster.updateStatus(scaled.edit(t -> t.putObject("status").put("readyReplicas", 3)));
    assertThat(withStatus.generation()).isEqualTo(2);
    assertThat(withStatus.at("/status/readyReplicas").asInt()).isEqualTo(3);
  }

  @Test
  void anIdenticalApplyWritesNothing() {
    Resource first = cluster.apply(deployment("api", 1));
    Resource again = cluster.apply(deployment("api", 1));
    assertThat(again.resourceVersion()).isEqualTo(first.resourceVersion());
    assertThat(cluster.stats().writes()).isEqualTo(1);
  }

  @Test
  void aWriteWithAStaleResourceVersionIsAConflict() {
    Resource stored = cluster.apply(deployment("api", 1));
    cluster.apply(deployment("api", 2));
    Resource stale = deployment("api", 5).edit(t -> ((tools.jackson.databind.node.ObjectNode) t.get("metadata"))
        .put("resourceVersion", stored.resourceVersion()));
    assertThatThrownBy(() -> cluster.apply(stale))
        .isInstanceOfSatisfying(ClusterException.class, e -> {
          assertThat(e.reason()).isEqualTo(ClusterException.Reason.CONFLICT);
          assertThat(e.getMessage()).contains("stale resourceVersion 1");
        });
    assertThat(cluster.get(stored.key("c1")).orElseThrow().at("/spec/replicas").asInt()).isEqualTo(2);
  }

  @Test
  void applyKeepsFieldsOtherWritersSetAndRemovesOnlyItsOwn() {
    cluster.apply(deployment("api", 1).edit(t -> ((tools.jackson.databind.node.ObjectNode) t.get("spec"))
        .put("paused", false)));
    Resource live = cluster.get(deployment("api", 1).key("c1")).orElseThrow();
    // another writer adds a field
    cluster.update(live.edit(t -> ((tools.jackson.databind.node.ObjectNode) t.get("spec"))
        .put("progressDeadlineSeconds", 600)));
    // we apply again without 'paused'
    Resource after = cluster.apply(deployment("api", 1));
    assertThat(after.at("/spec/progressDeadlineSeconds").asInt()).isEqualTo(600);
    assertThat(after.at("/spec/paused").isMissingNode()).isTrue();
  }

  @Test
  void listFiltersByNamespaceAndLabelsAndIsSorted() {
    cluster.apply(deployment("b", 1));
    cluster.apply(deployment("a", 1));
    cluster.apply(deployment("c", 1).withNamespace("other"));
    assertThat(cluster.list(DEPLOYMENT, null, Map.of())).extracting(Resource::name).containsExactly("c", "a", "b");
    assertThat(cluster.list(DEPLOYMENT, "shop", Map.of())).extracting(Resource::name).containsExactly("a", "b");
    assertThat(cluster.list(DEPLOYMENT, null, Map.of("app", "b"))).extracting(Resource::name).containsExactly("b");
    assertThat(cluster.list(new GroupKind("", "Pod"), null, Map.of())).isEmpty();
  }

  @Test
  void listOfSeveralKindsGoesKindByKindInTheOrderGivenAndMatchesEveryLabel() {
    GroupKind configMap = new GroupKind("", "ConfigMap");
    cluster.apply(deployment("b", 1).withLabel("team", "t1"));
    cluster.apply(deployment("a", 1).withLabel("team", "t1"));
    cluster.apply(deployment("z", 1).withLabel("team", "t2"));
    cluster.apply(Resource.of("v1", "ConfigMap", "shop", "settings").withLabel("team", "t1").withLabel("app", "a"));
    cluster.apply(Resource.of("v1", "ConfigMap", "other", "settings").withLabel("team", "t1"));

    assertThat(cluster.list(List.of(configMap, DEPLOYMENT), null, Map.of("team", "t1")))
        .extracting(r -> r.kind() + " " + r.namespace() + "/" + r.name())
        .containsExactly("ConfigMap other/settings", "ConfigMap shop/settings", "Deployment shop/a", "Deployment shop/b");
    assertThat(cluster.list(List.of(DEPLOYMENT, configMap), "shop", Map.of("team", "t1", "app", "a")))
        .extracting(r -> r.kind() + " " + r.name())
        .containsExactly("Deployment a", "ConfigMap settings");
    assertThat(cluster.list(List.of(DEPLOYMENT, configMap), null, Map.of("team", "nobody"))).isEmpty();
    assertThat(cluster.list(List.of(DEPLOYMENT, configMap), "shop", Map.of()))
        .extracting(Resource::name).containsExactly("a", "b", "z", "settings");
  }

  @Test
  void theLabelIndexFollowsRelabelsDeletesAndRecreates() {
    Resource a = cluster.apply(deployment("a", 1).withLabel("tier", "web"));
    cluster.apply(deployment("b", 1).withLabel("tier", "web"));
    cluster.apply(deployment("a", 2).withLabel("tier", "batch")); // relabelled, and a new spec
    assertThat(cluster.list(DEPLOYMENT, null, Map.of("tier", "web"))).extracting(Resource::name).containsExactly("b");
    assertThat(cluster.list(List.of(DEPLOYMENT), null, Map.of("tier", "batch")))
        .singleElement().satisfies(r -> assertThat(r.at("/spec/replicas").asInt()).isEqualTo(2));

    cluster.apply(deployment("b", 3).withLabel("tier", "web")); // same labels: the listing shows the new content
    assertThat(cluster.list(DEPLOYMENT, null, Map.of("tier", "web")))
        .singleElement().satisfies(r -> assertThat(r.at("/spec/replicas").asInt()).isEqualTo(3));

    cluster.delete(a.key("c1"));
    assertThat(cluster.list(DEPLOYMENT, null, Map.of("tier", "batch"))).isEmpty();
    assertThat(cluster.list(DEPLOYMENT, null, Map.of("app", "a"))).isEmpty();
    cluster.apply(deployment("a", 5).withLabel("tier", "web"));
    assertThat(cluster.list(List.of(DEPLOYMENT), null, Map.of("tier", "web")))
        .extracting(r -> r.name() + "=" + r.at("/spec/replicas").asInt()).containsExactly("a=5", "b=3");
  }

  @Test
  void aDriverWithoutItsOwnMultiKindListIsAskedKindByKind() {
    cluster.apply(deployment("a", 1));
    cluster.apply(Resource.of("v1", "ConfigMap", "shop", "a").withLabel("app", "a"));
    List<GroupKind> asked = new ArrayList<>();
    io.orchestrationplane.core.cluster.ClusterDriver kindByKind = new io.orchestrationplane.core.cluster.ClusterDriver() {
      @Override public String name() { return "wrapper"; }
      @Override public java.util.Optional<Resource> get(io.orchestrationplane.core.resource.ResourceKey key) { return cluster.get(key); }
      @Override public List<Resource> list(GroupKind kind, String namespace, Map<String, String> labels) {
        asked.add(kind);
        return cluster.list(kind, namespace, labels);
      }
      @Override public Resource apply(Resource desired) { return cluster.apply(desired); }
      @Override public Resource updateStatus(Resource withStatus) { return cluster.updateStatus(withStatus); }
      @Override public boolean delete(io.orchestrationplane.core.resource.ResourceKey key) { return cluster.delete(key); }
      @Override public AutoCloseable watch(java.util.Collection<GroupKind> kinds,
          java.util.function.Consumer<WatchEvent> listener) { return cluster.watch(kinds, listener); }
    };
    GroupKind configMap = new GroupKind("", "ConfigMap");
    assertThat(kindByKind.list(List.of(DEPLOYMENT, configMap), null, Map.of("app", "a")))
        .extracting(Resource::kind).containsExactly("Deployment", "ConfigMap");
    assertThat(asked).containsExactly(DEPLOYMENT, configMap);
  }

  @Test
  void watchReplaysExistingObjectsThenDeliversChangesInOrder() throws Exception {
    cluster.apply(deployment("a", 1));
    List<String> seen = new ArrayList<>();
    try (AutoCloseable w = cluster.watch(Set.of(DEPLOYMENT), e -> seen.add(e.type() + " " + e.resource().name()))) {
      cluster.apply(deployment("a", 2));
      cluster.apply(Resource.of("v1", "ConfigMap", "shop", "ignored"));
      cluster.delete(deployment("a", 1).key("c1"));
    }
    cluster.apply(deployment("b", 1));
    assertThat(seen).containsExactly("ADDED a", "MODIFIED a", "DELETED a");
  }

  @Test
  void aListenerMayWriteBackWithoutDeadlockOrReordering() {
    List<String> seen = new ArrayList<>();
    cluster.watch(Set.of(), e -> {
      seen.add(e.type() + " " + e.resource().name());
      if (e.resource().name().equals("a") && e.type() == WatchEvent.Type.ADDED) {
        cluster.apply(deployment("b", 1));
      }
    });
    cluster.apply(deployment("a", 1));
    assertThat(seen).containsExactly("ADDED a", "ADDED b");
  }

  @Test
  void anUpdateWithTheLiveResourceVersionSucceedsAndKeepsStatus() {
    Resource live = cluster.updateStatus(cluster.apply(deployment("api", 1))
        .edit(t -> t.putObject("status").put("readyReplicas", 1)));
    Resource edited = cluster.update(live.edit(t -> ((tools.jackson.databind.node.ObjectNode) t.get("spec"))
        .put("replicas", 4)).edit(t -> t.remove("status")));
    assertThat(edited.at("/spec/replicas").asInt()).isEqualTo(4);
    assertThat(edited.at("/status/readyReplicas").asInt()).isEqualTo(1);
    assertThat(edited.uid()).isEqualTo(live.uid());
    assertThatThrownBy(() -> cluster.update(deployment("ghost", 1)))
        .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.reason()).isEqualTo(ClusterException.Reason.NOT_FOUND));
  }

  @Test
  void deleteOfAnAbsentObjectReturnsFalse() {
    assertThat(cluster.delete(deployment("x", 1).key("c1"))).isFalse();
    assertThat(cluster.stats().deletes()).isZero();
  }

  @Test
  void concurrentWritersNeverLoseAnUpdate() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int t = 0; t < 4; t++) {
      int thread = t;
      pool.submit(() -> {
        for (int i = 0; i < 250; i++) {
          cluster.apply(Resource.of("v1", "ConfigMap", "ns", "cm-" + thread + "-" + i));
        }
      });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(cluster.size()).isEqualTo(1000);
    assertThat(cluster.stats().creates()).isEqualTo(1000);
    assertThat(cluster.all()).extracting(Resource::resourceVersion).doesNotHaveDuplicates();
  }
}
