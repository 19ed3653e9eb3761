package io.orchestrationplane.k8s;

import static io.orchestrationplane.k8s.TestResources.awaitEvent;
import static io.orchestrationplane.k8s.TestResources.awaitQuiet;
import static io.orchestrationplane.k8s.TestResources.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class KubernetesClusterIT {
  private static final GroupKind CONFIG_MAP = new GroupKind("", "ConfigMap");

  private MockApi api;
  private KubernetesCluster cluster;
  private KubernetesClient raw;

  @BeforeEach
  void start() {
    api = new MockApi();
    cluster = api.cluster("mock");
    raw = api.rawClient();
  }

  @AfterEach
  void stop() {
    cluster.close();
    raw.close();
    api.close();
  }

  @Test
  void applyCreatesThenReadsBackThroughGetAndList() {
    Resource stored = cluster.apply(configMap("shop", "settings", "mode", "fast"));

    assertThat(stored.resourceVersion()).isNotNull();
    assertThat(cluster.get(stored.key("mock"))).get()
        .extracting(r -> r.at("/data/mode").asString()).isEqualTo("fast");
    assertThat(raw.configMaps().inNamespace("shop").withName("settings").get().getData())
        .containsEntry("mode", "fast");
  }

  @Test
  void detectsThatTheMockLacksServerSideApplyAndSwitchesToClientSideOnce() {
    assertThat(cluster.applyMode()).isEqualTo(ApplyMode.AUTO);

    cluster.apply(configMap("shop", "a", "k", "v"));

    assertThat(cluster.applyMode()).isEqualTo(ApplyMode.CLIENT_SIDE);
  }

  @Test
  void reapplyingUnchangedContentWritesNothing() {
    Resource first = cluster.apply(configMap("shop", "a", "k", "v"));
    Resource second = cluster.apply(configMap("shop", "a", "k", "v"));

    assertThat(second.resourceVersion()).isEqualTo(first.resourceVersion());
  }

  @Test
  void reapplyingAConvergedSetSendsNoWriteRequest() throws Exception {
    List<Resource> desired = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      desired.add(configMap("shop", "cm-" + i, "k", "v" + i));
    }
    desired.forEach(cluster::apply);
    drainRequests();

    desired.forEach(cluster::apply);

    assertThat(drainRequests()).isNotEmpty().allSatisfy(method -> assertThat(method).isEqualTo("GET"));
  }

  @Test
  void anObjectDeletedOutOfBandIsCreatedAgainByTheNextApply() {
    Resource first = cluster.apply(configMap("shop", "a", "k", "v"));
    raw.configMaps().inNamespace("shop").withName("a").delete();

    Resource again = cluster.apply(configMap("shop", "a", "k", "v"));

    assertThat(again.uid()).isNotEqualTo(first.uid());
    assertThat(raw.configMaps().inNamespace("shop").withName("a").get()).isNotNull();
  }

  /** The methods of the requests the mock received since the last drain. */
  private List<String> drainRequests() throws InterruptedException {
    List<String> methods = new java.util.ArrayList<>();
    io.fabric8.mockwebserver.http.RecordedRequest r;
    while ((r = api.server.takeRequest(50, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
      methods.add(r.getMethod());
    }
    return methods;
  }

  @Test
  void applyKeepsFieldsOtherWritersSetAndDropsFieldsItNoLongerSets() {
    cluster.apply(configMap("shop", "a", "mine", "1").edit(t -> ((ObjectNode) t.get("data")).put("gone", "x")));
    ConfigMap live = raw.configMaps().inNamespace("shop").withName("a").get();
    live.getData().put("theirs", "2");
    raw.configMaps().inNamespace("shop").resource(live).update();

    Resource after = cluster.apply(configMap("shop", "a", "mine", "3"));

    assertThat(after.at("/data/mine").asString()).isEqualTo("3");
    assertThat(after.at("/data/theirs").asString()).isEqualTo("2");
    assertThat(after.at("/data/gone").isMissingNode()).isTrue();
  }

  @Test
  void theAppliedFieldsAnnotationNamesFieldsButCopiesNoSecretValues() {
    Resource stored = cluster.apply(Resource.fromYaml("""
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: shop}
        stringData: {password: hunter2-do-not-leak}
        """));

    String applied = stored.annotation("orchestrationplane.io/applied-fields");
    assertThat(applied).contains("password").doesNotContain("hunter2");
  }

  @Test
  void aStaleResourceVersionIsAConflict() {
    Resource first = cluster.apply(configMap("shop", "a", "k", "v1"));
    cluster.apply(configMap("shop", "a", "k", "v2"));

    Resource stale = configMap("shop", "a", "k", "v3")
        .edit(t -> ((ObjectNode) t.get("metadata")).put("resourceVersion", first.resourceVersion()));

    assertThatThrownBy(() -> cluster.apply(stale))
        .isInstanceOfSatisfying(ClusterException.class,
            e -> assertThat(e.reason()).isEqualTo(ClusterException.Reason.CONFLICT));
  }

  @Test
  void listIsSortedByNamespaceAndNameAndFiltersByLabels() {
    cluster.apply(configMap("b", "z", "k", "v"));
    cluster.apply(configMap("a", "y", "k", "v"));
    cluster.apply(configMap("b", "a", "k", "v"));
    cluster.apply(configMap("a", "other", "k", "v").edit(t ->
        ((ObjectNode) t.get("metadata").get("labels")).put("app", "else")));

    List<Resource> demo = cluster.list(CONFIG_MAP, null, Map.of("app", "demo"));
    List<Resource> inB = cluster.list(CONFIG_MAP, "b", Map.of());

    assertThat(demo).extracting(r -> r.namespace() + "/" + r.name()).containsExactly("a/y", "b/a", "b/z");
    assertThat(inB).extracting(Resource::name).containsExactly("a", "z");
  }

  @Test
  void updateStatusWritesOnlyTheStatus() {
    Resource stored = cluster.apply(configMap("shop", "a", "k", "v"));

    Resource withStatus = cluster.updateStatus(stored.edit(t -> {
      t.putObject("status").put("phase", "Ready");
      ((ObjectNode) t.get("data")).put("k", "ignored");
    }));

    assertThat(withStatus.at("/status/phase").asString()).isEqualTo("Ready");
    assertThat(withStatus.at("/data/k").asString()).isEqualTo("v");
  }

  @Test
  void deleteReportsWhetherTheObjectExisted() {
    Resource stored = cluster.apply(configMap("shop", "a", "k", "v"));
    ResourceKey key = stored.key("mock");

    assertThat(cluster.delete(key)).isTrue();
    assertThat(cluster.delete(key)).isFalse();
    assertThat(cluster.get(key)).isEmpty();
  }

  @Test
  void aKindTheServerDoesNotServeIsNotFoundOnApplyAndAbsentOnRead() {
    Resource unknown = Resource.fromYaml("""
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w, namespace: shop}
        """);

    assertThatThrownBy(() -> cluster.apply(unknown))
        .isInstanceOfSatisfying(ClusterException.class,
            e -> assertThat(e.reason()).isEqualTo(ClusterException.Reason.NOT_FOUND))
        .hasMessageContaining("Widget");
    assertThat(cluster.get(unknown.key("mock"))).isEmpty();
  }

  @Test
  void watchStartsWithExistingObjectsThenSeesChangesAndDeletes() throws Exception {
    cluster.apply(configMap("shop", "existing", "k", "v"));
    BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();

    try (AutoCloseable watch = cluster.watch(List.of(CONFIG_MAP), events::add)) {
      WatchEvent added = awaitEvent(events, e -> e.resource().name().equals("existing"), Duration.ofSeconds(10));
      assertThat(added.type()).isEqualTo(WatchEvent.Type.ADDED);

      ConfigMap live = raw.configMaps().inNamespace("shop").withName("existing").get();
      live.getData().put("k", "edited out of band");
      raw.configMaps().inNamespace("shop").resource(live).update();
      WatchEvent modified = awaitEvent(events, e -> e.type() == WatchEvent.Type.MODIFIED, Duration.ofSeconds(10));
      assertThat(modified.resource().at("/data/k").asString()).isEqualTo("edited out of band");

      cluster.delete(ResourceKey.of("mock", "", "ConfigMap", "shop", "existing"));
      awaitEvent(events, e -> e.type() == WatchEvent.Type.DELETED, Duration.ofSeconds(10));
      awaitQuiet(events, Duration.ofMillis(200));
    }
  }

  @Test
  void watchNeedsAtLeastOneKind() {
    assertThatThrownBy(() -> cluster.watch(List.of(), e -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one kind");
  }

  @Test
  void aServerWithServerSideApplyGetsAnApplyPatchAsFieldManagerOrchestrationPlane() throws Exception {
    api.server.expect().patch()
        .withPath("/api/v1/namespaces/shop/configmaps/a?fieldManager=orchestration-plane&force=true")
        .andReturn(200, """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"shop","resourceVersion":"42"},
             "data":{"k":"v"}}""").once();
    int before = api.server.getRequestCount();

    Resource applied = cluster.apply(configMap("shop", "a", "k", "v"));

    assertThat(applied.resourceVersion()).isEqualTo("42");
    assertThat(cluster.applyMode()).isEqualTo(ApplyMode.SERVER_SIDE);
    io.fabric8.mockwebserver.http.RecordedRequest request = null;
    for (int i = before; i < api.server.getRequestCount(); i++) {
      io.fabric8.mockwebserver.http.RecordedRequest r = api.server.takeRequest();
      if ("PATCH".equals(r.getMethod())) {
        request = r;
      }
    }
    assertThat(request).isNotNull();
    assertThat(request.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
  }

  /**
   * A forced server-side apply takes over fields, never objects: the update of an object the
   * plane checked carries the resourceVersion it was checked at, so an object changed or
   * replaced since (someone else's now) is refused by the server, and nothing else is sent.
   */
  @Test
  void aServerSideApplyCarriesTheCheckedResourceVersionAndItsConflictSendsNothingElse() throws Exception {
    api.server.expect().patch()
        .withPath("/api/v1/namespaces/shop/configmaps/a?fieldManager=orchestration-plane&force=true")
        .andReturn(409, new io.fabric8.kubernetes.api.model.StatusBuilder().withStatus("Failure").withReason("Conflict")
            .withCode(409).withMessage("Operation cannot be fulfilled on configmaps \"a\": the object has been "
                + "modified; please apply your changes to the latest version and try again").build())
        .once();
    int before = api.server.getRequestCount();
    Resource checked = configMap("shop", "a", "k", "v").edit(t -> ((ObjectNode) t.get("metadata"))
        .put("resourceVersion", "7"));

    assertThatThrownBy(() -> cluster.apply(checked)).isInstanceOfSatisfying(ClusterException.class,
        e -> assertThat(e.reason()).isEqualTo(ClusterException.Reason.CONFLICT));

    List<io.fabric8.mockwebserver.http.RecordedRequest> writes = new java.util.ArrayList<>();
    for (int i = before; i < api.server.getRequestCount(); i++) {
      io.fabric8.mockwebserver.http.RecordedRequest r = api.server.takeRequest();
      if (!"GET".equals(r.getMethod())) {
        writes.add(r);
      }
    }
    assertThat(writes).as("one apply patch, no create or update after its conflict").singleElement()
        .satisfies(r -> {
          assertThat(r.getMethod()).isEqualTo("PATCH");
          assertThat(Resource.fromYaml(r.getUtf8Body()).resourceVersion()).isEqualTo("7");
        });
    assertThat(api.rawClient().configMaps().inNamespace("shop").withName("a").get()).isNull();
  }

  @Test
  void anInvalidObjectIsRejectedAsInvalidNamingTheObject() {
    api.server.expect().post().withPath("/api/v1/namespaces/shop/configmaps").andReturn(422,
        new io.fabric8.kubernetes.api.model.StatusBuilder().withStatus("Failure").withReason("Invalid").withCode(422)
            .withMessage("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value").build())
        .once();
    KubernetesCluster clientSide = KubernetesCluster.builder("strict").config(api.config()).limits(MockApi.FAST)
        .applyMode(ApplyMode.CLIENT_SIDE).build();
    try (clientSide) {
      assertThatThrownBy(() -> clientSide.apply(configMap("shop", "Bad_Name", "k", "v")))
          .isInstanceOfSatisfying(ClusterException.class,
              e -> assertThat(e.reason()).isEqualTo(ClusterException.Reason.INVALID))
          .hasMessageContaining("ConfigMap shop/Bad_Name")
          .hasMessageContaining("metadata.name");
    }
  }

  @Test
  void theClientSideRateLimiterRefusesCallsBeyondItsBudget() {
    KubernetesCluster limited = KubernetesCluster.builder("limited").config(api.config())
        .limits(MockApi.FAST.toBuilder().requestsPerSecond(1).maxRateLimitWait(java.time.Duration.ZERO).build())
        .build();
    try (limited) {
      // One permit per second: five calls in a row cannot all pass unless each took a second.
      assertThatThrownBy(() -> {
        for (int i = 0; i < 5; i++) {
          limited.list(CONFIG_MAP, "shop", Map.of());
        }
      }).isInstanceOfSatisfying(ClusterException.class, e -> {
        assertThat(e.reason()).isEqualTo(ClusterException.Reason.TOO_MANY_REQUESTS);
        assertThat(e).hasMessageContaining("client-side rate limit");
      });
    }
  }
}
