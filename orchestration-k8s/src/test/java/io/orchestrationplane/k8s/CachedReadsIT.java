package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Reads of watched kinds come from the watch's cache, and still see the driver's own writes. */
class CachedReadsIT {
  private static final GroupKind CONFIG_MAP = new GroupKind("", "ConfigMap");

  @Test
  void readsOfAWatchedKindSendNoRequestAndSeeOwnWritesAtOnce() throws Exception {
    try (MockApi api = new MockApi(); KubernetesCluster cluster = api.cluster("dev")) {
      cluster.apply(TestResources.configMap("team-a", "one", "k", "v"));
      try (AutoCloseable watch = cluster.watch(List.of(CONFIG_MAP), e -> { })) {
        ResourceKey one = ResourceKey.of("dev", "", "ConfigMap", "team-a", "one");
        int before = api.server.getRequestCount();
        assertThat(cluster.get(one)).isPresent();
        assertThat(cluster.list(CONFIG_MAP, "team-a", Map.of())).extracting(Resource::name).containsExactly("one");
        assertThat(api.server.getRequestCount()).as("requests for cached reads").isEqualTo(before);

        Resource two = cluster.apply(TestResources.configMap("team-a", "two", "k", "v"));
        assertThat(cluster.get(two.key("dev"))).as("own create visible at once").isPresent();
        assertThat(cluster.list(CONFIG_MAP, "team-a", Map.of())).extracting(Resource::name).containsExactly("one", "two");

        cluster.apply(TestResources.configMap("team-a", "two", "k", "changed"));
        assertThat(cluster.get(two.key("dev")).orElseThrow().at("/data/k").asString()).isEqualTo("changed");

        cluster.delete(one);
        assertThat(cluster.get(one)).as("own delete visible at once").isEmpty();
        assertThat(cluster.list(CONFIG_MAP, null, Map.of())).extracting(Resource::name).containsExactly("two");
      }
    }
  }

  @Test
  void anApplicationsObjectsComeFromTheIndexAsTheSameObjectsUntilTheyChange() throws Exception {
    Map<String, String> shopWeb = Map.of(Ownership.MANAGED_BY_LABEL, Ownership.MANAGER,
        Ownership.APPLICATION_LABEL, "shop.web");
    try (MockApi api = new MockApi(); KubernetesCluster cluster = api.cluster("dev");
        KubernetesClient raw = api.rawClient()) {
      cluster.apply(TestResources.configMap("shop", "web", "k", "v").withLabel(Ownership.MANAGED_BY_LABEL,
          Ownership.MANAGER).withLabel(Ownership.APPLICATION_LABEL, "shop.web"));
      cluster.apply(TestResources.configMap("shop", "other", "k", "v").withLabel(Ownership.MANAGED_BY_LABEL,
          Ownership.MANAGER).withLabel(Ownership.APPLICATION_LABEL, "shop.other"));
      cluster.apply(TestResources.configMap("shop", "plain", "k", "v"));
      BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
      try (AutoCloseable watch = cluster.watch(List.of(CONFIG_MAP), events::add)) {
        TestResources.awaitQuiet(events, Duration.ofMillis(300));
        int before = api.server.getRequestCount();
        List<Resource> first = cluster.list(List.of(CONFIG_MAP), null, shopWeb);
        assertThat(first).extracting(Resource::name).containsExactly("web");
        assertThat(cluster.list(List.of(CONFIG_MAP), null, shopWeb).get(0)).as("unchanged: the same object")
            .isSameAs(first.get(0));
        assertThat(api.server.getRequestCount()).as("requests for cached reads").isEqualTo(before);

        raw.configMaps().inNamespace("shop").withName("web").edit(cm -> {
          cm.getData().put("k", "edited");
          return cm;
        });
        TestResources.awaitEvent(events, e -> e.type() == WatchEvent.Type.MODIFIED && e.resource().name().equals("web"),
            Duration.ofSeconds(5));
        Resource edited = cluster.list(List.of(CONFIG_MAP), null, shopWeb).get(0);
        assertThat(edited).isNotSameAs(first.get(0));
        assertThat(edited.at("/data/k").asString()).isEqualTo("edited");

        raw.configMaps().inNamespace("shop").withName("web").delete();
        TestResources.awaitEvent(events, e -> e.type() == WatchEvent.Type.DELETED, Duration.ofSeconds(5));
        assertThat(cluster.list(List.of(CONFIG_MAP), null, shopWeb)).isEmpty();
        assertThat(cluster.list(CONFIG_MAP, "shop", Map.of())).extracting(Resource::name).containsExactly("other", "plain");
      }
    }
  }

  @Test
  void anObjectHeldByAFinalizerIsStillReadAfterItsDeleteAndGoneOnceTheUpdateReleasesIt() throws Exception {
    try (MockApi api = new MockApi(); KubernetesCluster cluster = api.cluster("dev")) {
      Resource held = cluster.apply(TestResources.configMap("team-a", "held", "k", "v")
          .edit(t -> ((tools.jackson.databind.node.ObjectNode) t.get("metadata")).putArray("finalizers").add("x.io/hold")));
      ResourceKey key = held.key("dev");
      BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
      try (AutoCloseable watch = cluster.watch(List.of(CONFIG_MAP), events::add)) {
        TestResources.awaitEvent(events, e -> e.resource().name().equals("held"), Duration.ofSeconds(5));

        assertThat(cluster.delete(key)).isTrue();
        assertThat(cluster.get(key)).as("an object held by a finalizer, right after its delete").isPresent();
        TestResources.awaitEvent(events, e -> e.type() == WatchEvent.Type.MODIFIED && e.resource().isBeingDeleted(),
            Duration.ofSeconds(5));
        Resource marked = cluster.get(key).orElseThrow();
        assertThat(marked.isBeingDeleted()).isTrue();

        // An API server answers the update that removes the last finalizer with the object as it
        // was when it went (the mock answers with no object: the conformance kit covers that).
        Resource released = marked.edit(t -> {
          ((tools.jackson.databind.node.ObjectNode) t.get("metadata")).remove("finalizers");
          ((tools.jackson.databind.node.ObjectNode) t.get("metadata")).put("resourceVersion", "999");
        });
        api.server.expect().put().withPath("/api/v1/namespaces/team-a/configmaps/held")
            .andReturn(200, released.toJson().toString()).once();
        Resource answer = cluster.update(marked.edit(t ->
            ((tools.jackson.databind.node.ObjectNode) t.get("metadata")).remove("finalizers")));

        assertThat(answer.isBeingDeleted()).isTrue();
        assertThat(cluster.get(key)).as("the object once its last finalizer is removed").isEmpty();
        TestResources.awaitQuiet(events, Duration.ofMillis(200));
      }
    }
  }

  /**
   * Reads of a watched kind show the deletion mark right after the delete, not only once the
   * watch brings it. The server's DELETE and the read of the marked object are answered here by
   * expectations, which change nothing in the mock's store, so the watch never shows the mark and
   * the informer's store keeps the unmarked object: only the driver's own record can show it.
   */
  @Test
  void theDeletionMarkOfAnObjectHeldByAFinalizerIsReadAtOnceNotWhenTheWatchBringsIt() throws Exception {
    try (MockApi api = new MockApi(); KubernetesCluster cluster = api.cluster("dev")) {
      Resource held = cluster.apply(TestResources.configMap("team-a", "held", "k", "v")
          .edit(t -> ((tools.jackson.databind.node.ObjectNode) t.get("metadata")).putArray("finalizers").add("x.io/hold")));
      ResourceKey key = held.key("dev");
      String path = "/api/v1/namespaces/team-a/configmaps/held";
      String markedJson = held.edit(t -> {
        ((tools.jackson.databind.node.ObjectNode) t.get("metadata")).put("deletionTimestamp", "2026-01-01T00:00:00Z");
        ((tools.jackson.databind.node.ObjectNode) t.get("metadata")).put("resourceVersion", "999");
      }).toJson().toString();
      BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
      try (AutoCloseable watch = cluster.watch(List.of(CONFIG_MAP), events::add)) {
        TestResources.awaitEvent(events, e -> e.resource().name().equals("held"), Duration.ofSeconds(5));
        api.server.expect().delete().withPath(path).andReturn(200, markedJson).once();
        api.server.expect().get().withPath(path).andReturn(200, markedJson).once();

        assertThat(cluster.delete(key)).isTrue();

        Resource read = cluster.get(key).orElseThrow();
        assertThat(read.isBeingDeleted()).as("deletionTimestamp read right after the delete").isTrue();
        assertThat(cluster.list(CONFIG_MAP, "team-a", Map.of())).singleElement()
            .satisfies(r -> assertThat(r.isBeingDeleted()).as("listed right after the delete").isTrue());
      }
    }
  }

  /**
   * A server-side apply is read back at once over a watch that has not shown it yet. The apply is
   * answered by an expectation, which leaves the mock's store (and so the watch) unchanged.
   */
  @Test
  void aServerSideApplyIsReadAtOnceNotWhenTheWatchBringsIt() throws Exception {
    try (MockApi api = new MockApi();
        KubernetesCluster cluster = KubernetesCluster.builder("dev").config(api.config()).limits(MockApi.FAST)
            .applyMode(ApplyMode.SERVER_SIDE).build()) {
      Resource created = cluster.create(TestResources.configMap("team-a", "ssa", "k", "before"));
      ResourceKey key = created.key("dev");
      BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
      try (AutoCloseable watch = cluster.watch(List.of(CONFIG_MAP), events::add)) {
        TestResources.awaitEvent(events, e -> e.resource().name().equals("ssa"), Duration.ofSeconds(5));
        String answer = created.edit(t -> {
          ((tools.jackson.databind.node.ObjectNode) t.get("metadata")).put("resourceVersion", "999");
          ((tools.jackson.databind.node.ObjectNode) t.get("data")).put("k", "after");
        }).toJson().toString();
        api.server.expect().patch()
            .withPath("/api/v1/namespaces/team-a/configmaps/ssa?fieldManager=orchestration-plane&force=true")
            .andReturn(200, answer).once();

        cluster.apply(TestResources.configMap("team-a", "ssa", "k", "after"));

        assertThat(cluster.get(key).orElseThrow().at("/data/k").asString()).as("read right after the apply")
            .isEqualTo("after");
        assertThat(cluster.list(CONFIG_MAP, "team-a", Map.of())).singleElement()
            .satisfies(r -> assertThat(r.at("/data/k").asString()).as("listed right after the apply").isEqualTo("after"));
      }
    }
  }

  /**
   * Re-applying an object that the watch's store shows converged sends nothing; a change is
   * decided on a live read, and its write carries that read's resourceVersion.
   */
  @Test
  void reApplyingAConvergedObjectOfAWatchedKindSendsNoRequestAndAChangeReadsLiveFirst() throws Exception {
    try (MockApi api = new MockApi(); KubernetesCluster cluster = api.cluster("dev");
        KubernetesClient raw = api.rawClient()) {
      Resource first = cluster.apply(TestResources.configMap("team-a", "one", "k", "v"));
      BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
      try (AutoCloseable watch = cluster.watch(List.of(CONFIG_MAP), events::add)) {
        TestResources.awaitQuiet(events, Duration.ofMillis(300));
        int before = api.server.getRequestCount();
        Resource again = cluster.apply(TestResources.configMap("team-a", "one", "k", "v"));
        assertThat(api.server.getRequestCount()).as("requests for re-applying a converged object").isEqualTo(before);
        assertThat(again.resourceVersion()).isEqualTo(first.resourceVersion());

        Resource changed = cluster.apply(TestResources.configMap("team-a", "one", "k", "changed"));
        assertThat(api.server.getRequestCount() - before).as("a live read and the update").isEqualTo(2);
        for (int i = 0; i < before; i++) {
          api.server.takeRequest(5, TimeUnit.SECONDS);
        }
        assertThat(api.server.takeRequest(5, TimeUnit.SECONDS).getMethod()).isEqualTo("GET");
        assertThat(api.server.takeRequest(5, TimeUnit.SECONDS).getMethod()).isEqualTo("PUT");
        assertThat(changed.at("/data/k").asString()).isEqualTo("changed");
        assertThat(raw.configMaps().inNamespace("team-a").withName("one").get().getData())
            .containsEntry("k", "changed");
        TestResources.awaitQuiet(events, Duration.ofMillis(300));
      }
    }
  }

  @Test
  void cachedReadsCanBeTurnedOff() throws Exception {
    try (MockApi api = new MockApi();
        KubernetesCluster cluster = KubernetesCluster.builder("dev").config(api.config()).limits(MockApi.FAST)
            .cachedReads(false).build()) {
      cluster.apply(TestResources.configMap("team-a", "one", "k", "v"));
      try (AutoCloseable watch = cluster.watch(List.of(CONFIG_MAP), e -> { })) {
        int before = api.server.getRequestCount();
        cluster.list(CONFIG_MAP, "team-a", Map.of());
        assertThat(api.server.getRequestCount()).isGreaterThan(before);
      }
    }
  }

  @Test
  void theLiveObjectSharesTheDesiredObjectsUnchangedPartsInTheAnswerAndInTheCache() throws Exception {
    try (MockApi api = new MockApi(); KubernetesCluster cluster = api.cluster("dev")) {
      BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
      try (AutoCloseable watch = cluster.watch(List.of(CONFIG_MAP), events::add)) {
        Resource desired = TestResources.configMap("team-a", "shared", "k", "v")
            .withLabel(Ownership.APPLICATION_LABEL, "team-a.shared");
        Resource applied = cluster.apply(desired);

        assertThat(applied.json().get("data")).as("the answer's data").isSameAs(desired.json().get("data"));
        assertThat(applied.json().at("/metadata/labels")).isSameAs(desired.json().at("/metadata/labels"));
        assertThat(applied.json().at("/metadata/name")).isSameAs(desired.json().at("/metadata/name"));
        assertThat(applied.uid()).isNotNull();
        TestResources.awaitEvent(events, e -> e.resource().name().equals("shared"), Duration.ofSeconds(5));
        Resource cached = cluster.get(applied.key("dev")).orElseThrow();
        assertThat(cached.resourceVersion()).isEqualTo(applied.resourceVersion());
        assertThat(cluster.get(applied.key("dev")).orElseThrow()).as("one version, one object").isSameAs(cached);

        Resource changed = cluster.apply(desired.edit(t -> ((tools.jackson.databind.node.ObjectNode) t.get("data"))
            .put("k2", "v2")));
        assertThat(changed.at("/data/k2").asString()).isEqualTo("v2");
        assertThat(changed.json().at("/metadata/labels")).isSameAs(desired.json().at("/metadata/labels"));
        assertThat(changed.json().at("/data/k")).isSameAs(desired.json().at("/data/k"));
        assertThat(changed.json().toString()).isEqualTo(Resource.of(changed.toJson()).json().toString());
      }
    }
  }
}
