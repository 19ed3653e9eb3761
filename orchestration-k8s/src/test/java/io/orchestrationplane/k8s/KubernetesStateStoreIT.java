package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.release.Revision;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.state.CorruptStateException;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.state.StateStoreException;
import io.orchestrationplane.core.state.StateWriteResult;
import io.orchestrationplane.core.state.VersionConflict;
import io.orchestrationplane.core.time.ManualClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What the Kubernetes store promises beyond the contract (which the testkit runs over it): the
 * ConfigMaps it keeps, damage and foreign objects named by ConfigMap, HTTP failures, and two planes
 * in two "replicas" (clients of their own) sharing one namespace for revisions.
 */
class KubernetesStateStoreIT {
  private static final String NS = "orchestration-system";
  private static final StateKey SHOP = StateKey.of("workflows", "shop.release");

  private MockApi api;
  private final List<KubernetesClient> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    api = new MockApi();
  }

  @AfterEach
  void stop() {
    clients.forEach(KubernetesClient::close);
    api.close();
  }

  private KubernetesClient client() {
    KubernetesClient c = api.rawClient();
    clients.add(c);
    return c;
  }

  private static JsonNode step(String step) {
    return Json.object().put("step", step);
  }

  private static long written(StateWriteResult r) {
    assertThat(r).isInstanceOf(StateWriteResult.Written.class);
    return ((StateWriteResult.Written) r).version();
  }

  @Test
  void eachKeyIsOneLabelledConfigMapWhoseResourceVersionIsTheVersion() {
    KubernetesClient client = client();
    StateStore store = KubernetesStateStore.create(client, NS);
    long v = written(store.create(SHOP, step("approve")));

    ConfigMap cm = client.configMaps().inNamespace(NS).withName("workflows.shop.release").get();
    assertThat(cm.getMetadata().getLabels()).containsEntry("orchestrationplane.io/state-namespace", "workflows")
        .containsEntry("app.kubernetes.io/managed-by", "orchestration-plane");
    assertThat(cm.getData()).containsExactly(Map.entry("value", "{\"step\":\"approve\"}"));
    assertThat(cm.getMetadata().getAnnotations().get("orchestrationplane.io/state-digest")).matches("sha256:[0-9a-f]{64}");
    assertThat(cm.getMetadata().getResourceVersion()).isEqualTo(Long.toString(v));
    assertThat(client.configMaps().inNamespace(NS).withLabel("orchestrationplane.io/state-namespace", "workflows")
        .list().getItems()).hasSize(1);
  }

  @Test
  void inSecretsTheValueIsBase64DataOfAnOpaqueSecretAndDamageNamesTheSecret() {
    KubernetesClient client = client();
    StateStore store = KubernetesStateStore.builder(client, NS).kind(KubernetesStateStore.Kind.SECRET).build();
    long v = written(store.create(SHOP, step("approve")));

    io.fabric8.kubernetes.api.model.Secret secret = client.secrets().inNamespace(NS).withName("workflows.shop.release")
        .get();
    assertThat(secret.getType()).isEqualTo("Opaque");
    assertThat(new String(java.util.Base64.getDecoder().decode(secret.getData().get("value")),
        java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"step\":\"approve\"}");
    assertThat(secret.getMetadata().getResourceVersion()).isEqualTo(Long.toString(v));
    assertThat(client.configMaps().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(store.get(SHOP).orElseThrow().value()).isEqualTo(step("approve"));

    secret.setData(Map.of("value", "not base64!"));
    client.secrets().inNamespace(NS).resource(secret).update();
    assertThatThrownBy(() -> store.get(SHOP)).isInstanceOfSatisfying(CorruptStateException.class,
        e -> assertThat(e.location()).isEqualTo("Secret orchestration-system/workflows.shop.release"))
        .hasMessageContaining("is not base64");
  }

  @Test
  void anyChangeOfTheObjectIsANewVersionSoAWriterHoldingTheOldOneGetsAConflict() {
    KubernetesClient client = client();
    StateStore store = KubernetesStateStore.create(client, NS);
    long v = written(store.create(SHOP, step("approve")));
    ConfigMap cm = client.configMaps().inNamespace(NS).withName("workflows.shop.release").get();
    cm.getMetadata().getLabels().put("team", "payments"); // kubectl label
    client.configMaps().inNamespace(NS).resource(cm).update();

    long now = store.get(SHOP).orElseThrow().version();
    assertThat(now).isGreaterThan(v);
    assertThat(store.compareAndSet(SHOP, v, step("next"))).isEqualTo(new VersionConflict(SHOP, v, now));
    assertThat(store.delete(SHOP, v)).isEqualTo(new VersionConflict(SHOP, v, now));
    assertThat(store.get(SHOP).orElseThrow().value()).isEqualTo(step("approve"));
  }

  @Test
  void damageAndForeignObjectsAreNamedByConfigMapAndNeverOverwritten() {
    KubernetesClient client = client();
    StateStore store = KubernetesStateStore.create(client, NS);
    // a ConfigMap with a state object's name that the store did not write (no digest)
    client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
        .withName("workflows.shop.release").withNamespace(NS)
        .addToLabels("orchestrationplane.io/state-namespace", "workflows").endMetadata()
        .addToData("value", "{\"step\":\"someone else's\"}").build()).create();

    assertThatThrownBy(() -> store.get(SHOP)).isInstanceOfSatisfying(CorruptStateException.class,
        e -> assertThat(e.location()).isEqualTo("ConfigMap orchestration-system/workflows.shop.release"))
        .hasMessageContaining("has no annotation orchestrationplane.io/state-digest")
        .hasMessageNotContaining("someone else's");
    assertThatThrownBy(() -> store.create(SHOP, step("mine"))).isInstanceOf(CorruptStateException.class);
    assertThatThrownBy(() -> store.list("workflows")).isInstanceOf(CorruptStateException.class);
    assertThat(client.configMaps().inNamespace(NS).withName("workflows.shop.release").get().getData().get("value"))
        .isEqualTo("{\"step\":\"someone else's\"}");

    // one labelled for a state namespace its name does not start with
    client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
        .withName("stray").withNamespace(NS).addToLabels("orchestrationplane.io/state-namespace", "approvals")
        .endMetadata().build()).create();
    assertThatThrownBy(() -> store.list("approvals")).isInstanceOf(CorruptStateException.class)
        .hasMessageContaining("ConfigMap orchestration-system/stray is labelled");
  }

  @Test
  void anApiServerFailureIsAStateStoreExceptionWithTheHttpStatus() {
    // fabric8 retries 5xx answers with backoff by default (its Config); this client answers at once
    KubernetesClient noRetries = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(api.config()).withRequestRetryBackoffLimit(0).build())
        .build();
    clients.add(noRetries);
    StateStore store = KubernetesStateStore.create(noRetries, NS);
    api.server.expect().get().withPath("/api/v1/namespaces/" + NS + "/configmaps/workflows.shop.release")
        .andReturn(503, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"etcd is "
            + "unavailable\",\"reason\":\"ServiceUnavailable\",\"code\":503}").always();
    api.server.expect().post().withPath("/api/v1/namespaces/" + NS + "/configmaps")
        .andReturn(500, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"boom\","
            + "\"reason\":\"InternalError\",\"code\":500}").always();

    assertThatThrownBy(() -> store.get(SHOP)).isInstanceOf(StateStoreException.class)
        .isNotInstanceOf(CorruptStateException.class)
        .hasMessageContaining("cannot read workflows/shop.release (ConfigMap orchestration-system/workflows.shop.release)"
            + ": HTTP 503");
    assertThatThrownBy(() -> store.create(SHOP, step("x"))).isInstanceOf(StateStoreException.class)
        .hasMessageContaining("HTTP 500")
        .hasMessageContaining("the write may or may not have happened: read the key again");
  }

  @Test
  void aWriteRefusedWithAMessageQuotingTheValueNeverPutsTheValueInTheFailureOrItsCauses() {
    KubernetesClient noRetries = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(api.config()).withRequestRetryBackoffLimit(0).build())
        .build();
    clients.add(noRetries);
    String canary = "s3cret-canary-of-the-revision";
    String base64 = java.util.Base64.getEncoder().encodeToString(Json.object().put("step", canary).toString()
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    // An admission webhook that echoes the request, as a value-quoting 422 or denial does.
    String echo = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"admission "
        + "webhook denied the request: data.value: {\\\"step\\\":\\\"" + canary + "\\\"} / " + base64
        + "\",\"reason\":\"Invalid\",\"code\":422}";
    for (String kind : new String[] {"configmaps", "secrets"}) {
      api.server.expect().post().withPath("/api/v1/namespaces/" + NS + "/" + kind).andReturn(422, echo).always();
      api.server.expect().put().withPath("/api/v1/namespaces/" + NS + "/" + kind + "/workflows.shop.release")
          .andReturn(422, echo).always();
    }
    StateStore configMaps = KubernetesStateStore.create(noRetries, NS);
    StateStore secrets = KubernetesStateStore.builder(noRetries, NS).kind(KubernetesStateStore.Kind.SECRET).build();
    for (StateStore store : List.of(configMaps, secrets)) {
      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> store.create(SHOP, step(canary)));
      assertThat(thrown).isInstanceOf(StateStoreException.class).hasMessageContaining("HTTP 422 Invalid")
          .hasMessageContaining("the write may or may not have happened");
      for (Throwable t = thrown; t != null; t = t.getCause()) {
        assertThat(t.toString()).as(store + ": " + t.getClass()).doesNotContain(canary).doesNotContain(base64);
        if (t instanceof io.fabric8.kubernetes.client.KubernetesClientException kce && kce.getStatus() != null) {
          assertThat(String.valueOf(kce.getStatus())).doesNotContain(canary).doesNotContain(base64);
          assertThat(kce.getCode()).isEqualTo(422);
        }
      }
    }
  }

  @Test
  void limitsAConfigMapCannotHoldAreRefusedAtCreation() {
    KubernetesClient client = client();
    assertThatThrownBy(() -> KubernetesStateStore.create(client, NS,
        StateStore.Config.custom().maxValueBytes(StateStore.Config.MAX_VALUE_BYTES).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than a ConfigMap or Secret can hold");
    assertThatThrownBy(() -> KubernetesStateStore.create(client, "Not_A_Namespace"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(KubernetesStateStore.create(client, NS,
        StateStore.Config.custom().maxValueBytes(KubernetesStateStore.MAX_VALUE_BYTES).build()).config().maxValueBytes())
        .isEqualTo(1_048_571);
  }

  // ---- two planes, one store

  private static Application shop(String image) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "worker").property("image", image).build())
        .build();
  }

  @Test
  void twoPlanesSharingTheStoreRecordChangesOfOneApplicationWithDistinctNumbersAndOneHistory() throws Exception {
    ManualClock clock = ManualClock.create();
    int changes = 8;
    // two replicas: each its own client, store instance and cluster named "prod"; only the namespace is shared
    List<OrchestrationPlane> planes = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      planes.add(OrchestrationPlane.builder().clock(clock).cluster(InMemoryCluster.builder("prod").clock(clock).build())
          .readinessGates(false).logging(false).stateStore(KubernetesStateStore.create(client(), NS))
          .revisionHistoryLimit(100).build());
    }
    List<Subject> who = List.of(Subject.of("alice@example.com"), Subject.of("bob@example.com"));
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < 2; p++) {
        int plane = p;
        done.add(threads.submit(() -> {
          start.await(1, TimeUnit.MINUTES);
          for (int i = 1; i <= changes; i++) {
            planes.get(plane).apply(shop("acme/api:" + plane + "." + i), who.get(plane), Origin.code());
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }

      List<Revision> history = planes.get(0).history("shop.shop");
      assertThat(history).extracting(Revision::number).containsExactlyElementsOf(
          LongStream.rangeClosed(1, 2L * changes).boxed().sorted(Comparator.reverseOrder()).toList());
      assertThat(planes.get(1).history("shop.shop")).isEqualTo(history);
      List<Revision> oldestFirst = new ArrayList<>(history);
      Collections.reverse(oldestFirst);
      for (int p = 0; p < 2; p++) {
        String mine = "acme/api:" + p + ".";
        Subject subject = who.get(p);
        List<Revision> theirs = oldestFirst.stream()
            .filter(r -> image(r).startsWith(mine)).toList();
        assertThat(theirs).extracting(KubernetesStateStoreIT::image)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, changes).mapToObj(i -> mine + i).toList());
        assertThat(theirs).allSatisfy(r -> assertThat(r.source().subject()).isEqualTo(subject));
      }
      assertThat(client().configMaps().inNamespace(NS).withLabel("orchestrationplane.io/state-namespace", "revisions")
          .list().getItems()).hasSize(2 * changes);
    } finally {
      threads.shutdownNow();
      planes.forEach(OrchestrationPlane::close);
    }
  }

  private static String image(Revision r) {
    return String.valueOf(r.model().component("api").orElseThrow().properties().get("image"));
  }
}
