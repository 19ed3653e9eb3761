package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plane's writes over HTTP when the API server fails some of them (the CRUD mock answering
 * the selected requests with an error until healed): the inventory stays ahead of the objects,
 * a failure leaves a clear outcome per object, and the next apply converges.
 */
class PlaneFaultIT {
  private static final String INVENTORY = "orchestration-plane-inventory.settings";

  private MockApi api;
  private KubernetesCluster cluster;
  private OrchestrationPlane plane;

  @BeforeEach
  void start() {
    api = new MockApi();
    // a circuit that stays closed: the failures injected here target single objects
    cluster = KubernetesCluster.builder("c").config(api.config())
        .limits(MockApi.FAST.toBuilder().minimumCalls(1000).slidingWindowSize(1000).build()).build();
    plane = OrchestrationPlane.builder().cluster(cluster).workers(0).build();
  }

  @AfterEach
  void stop() {
    plane.close();
    cluster.close();
    api.close();
  }

  /** An application of a ServiceAccount, and a ConfigMap and a Secret as asked. */
  private static Application app(boolean configMap, boolean secret) {
    List<Object> objects = new ArrayList<>();
    objects.add(Map.of("apiVersion", "v1", "kind", "ServiceAccount", "metadata", Map.of("name", "sa")));
    if (configMap) {
      objects.add(Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "a"),
          "data", Map.of("k", "v")));
    }
    if (secret) {
      objects.add(Map.of("apiVersion", "v1", "kind", "Secret", "metadata", Map.of("name", "s"),
          "stringData", Map.of("k", "value-of-the-secret")));
    }
    return Application.builder("settings").namespace("team-a")
        .component(Component.builder("c", "k8s-objects").property("objects", objects).build()).build();
  }

  private ResourceKey key(String kind, String name) {
    return ResourceKey.of("c", "", kind, "team-a", name);
  }

  private String recordedKinds() {
    return cluster.get(key("ConfigMap", INVENTORY)).orElseThrow()
        .annotation("applyset.kubernetes.io/contains-group-kinds");
  }

  @Test
  void anObjectOfANewKindIsNotWrittenWhileTheInventoryCannotRecordItAndTheNextApplyConverges() {
    assertThat(plane.apply(app(true, false)).succeeded()).isTrue();
    assertThat(recordedKinds()).isEqualTo("ConfigMap,ServiceAccount");
    api.fail(MockApi.is("PUT", "/configmaps/" + INVENTORY), 500, "etcdserver: leader changed");

    ExecutionResult failed = plane.apply(app(true, true));

    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.inventory()).singleElement().satisfies(o -> {
      assertThat(o.status()).isEqualTo(Outcome.Status.FAILED);
      assertThat(o.message()).contains(INVENTORY, "HTTP 500");
    });
    assertThat(failed.outcomes()).filteredOn(o -> o.change().key().kind().equals("Secret")).singleElement()
        .satisfies(o -> {
          assertThat(o.status()).isEqualTo(Outcome.Status.SKIPPED);
          assertThat(o.message()).contains("not attempted", INVENTORY);
        });
    assertThat(cluster.get(key("Secret", "s"))).as("never written unrecorded").isEmpty();
    assertThat(recordedKinds()).isEqualTo("ConfigMap,ServiceAccount");

    api.heal();
    assertThat(plane.apply(app(true, true)).succeeded()).isTrue();
    assertThat(cluster.get(key("Secret", "s"))).isPresent();
    assertThat(recordedKinds()).isEqualTo("ConfigMap,Secret,ServiceAccount");
  }

  @Test
  void aRemovalWhoseInventoryDeleteFailsIsNotFinishedAndTheNextOneFinishesIt() {
    assertThat(plane.apply(app(true, true)).succeeded()).isTrue();
    api.fail(MockApi.is("DELETE", "/configmaps/" + INVENTORY), 503, "the server is currently unable to handle the request");

    ExecutionResult first = plane.delete(app(true, true));

    assertThat(OrchestrationPlane.isRemoved(first)).isFalse();
    assertThat(cluster.list(new GroupKind("", "Secret"), "team-a", Map.of())).isEmpty();
    assertThat(cluster.get(key("ConfigMap", INVENTORY))).as("the record outlives its objects").isPresent();

    api.heal();
    ExecutionResult second = plane.delete(app(true, true));
    assertThat(OrchestrationPlane.isRemoved(second)).isTrue();
    assertThat(cluster.list(new GroupKind("", "ConfigMap"), "team-a", Map.of())).extracting(Resource::name).isEmpty();
  }

  @Test
  void anUpdateAnsweredNotFoundFailsThatObjectClearlyAndTheNextApplyConverges() {
    assertThat(plane.apply(app(true, false)).succeeded()).isTrue();
    Application changed = Application.builder("settings").namespace("team-a")
        .component(Component.builder("c", "k8s-objects").property("objects", List.of(
            Map.of("apiVersion", "v1", "kind", "ServiceAccount", "metadata", Map.of("name", "sa")),
            Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "a"),
                "data", Map.of("k", "changed")))).build()).build();
    // deleted between the read that checked it and the write
    api.fail(MockApi.is("PUT", "/configmaps/a"), 404, "configmaps \"a\" not found");

    ExecutionResult failed = plane.apply(changed);

    assertThat(failed.outcomes()).filteredOn(o -> o.change().key().name().equals("a")).singleElement()
        .satisfies(o -> {
          assertThat(o.status()).isEqualTo(Outcome.Status.FAILED);
          assertThat(o.message()).contains("ConfigMap team-a/a", "not found");
        });
    assertThat(cluster.get(key("ConfigMap", INVENTORY))).isPresent();

    api.heal();
    assertThat(plane.apply(changed).succeeded()).isTrue();
    assertThat(cluster.get(key("ConfigMap", "a")).orElseThrow().at("/data/k").asString()).isEqualTo("changed");
  }

  @Test
  void aCreateWhoseAnswerIsLostFailsAsATimeoutAndTheNextApplyFindsTheObjectItsOwn() {
    try (KubernetesCluster slow = KubernetesCluster.builder("c").config(api.config())
        .limits(MockApi.FAST.toBuilder().requestTimeout(java.time.Duration.ofMillis(500))
            .minimumCalls(1000).slidingWindowSize(1000).build()).build();
        OrchestrationPlane onSlow = OrchestrationPlane.builder().cluster(slow).workers(0).build()) {
      // the server creates the ServiceAccount, and every resent POST meets it, but no answer arrives in time
      api.answerLate(MockApi.is("POST", "/serviceaccounts"), java.time.Duration.ofSeconds(3));

      ExecutionResult lost = onSlow.apply(app(true, false));

      assertThat(lost.outcomes()).filteredOn(o -> o.change().key().kind().equals("ServiceAccount")).singleElement()
          .satisfies(o -> {
            assertThat(o.status()).isEqualTo(Outcome.Status.FAILED);
            assertThat(o.message()).contains("ServiceAccount team-a/sa", "timeout");
          });
      assertThat(api.failed()).as("the first POST and its resends").isGreaterThan(1);
      assertThat(slow.get(key("ConfigMap", INVENTORY)).orElseThrow()
          .annotation("applyset.kubernetes.io/contains-group-kinds"))
          .as("recorded before the create, so the object its lost answer made is not forgotten")
          .contains("ServiceAccount");

      api.heal();
      ExecutionResult next = onSlow.apply(app(true, false));
      assertThat(next.succeeded()).isTrue();
      assertThat(next.outcomes()).filteredOn(o -> o.change().key().kind().equals("ServiceAccount")).singleElement()
          .satisfies(o -> assertThat(o.status()).isEqualTo(Outcome.Status.UNCHANGED));
      assertThat(slow.list(new GroupKind("", "ServiceAccount"), "team-a", Map.of())).extracting(Resource::name)
          .containsExactly("sa");
    }
  }
}
