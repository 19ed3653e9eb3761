package io.orchestrationplane.testkit.junit;

import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.k8s.KubernetesCluster;
import io.orchestrationplane.testkit.PlaneEvents;
import io.orchestrationplane.testkit.Shop;
import io.orchestrationplane.testkit.simulator.WorkloadSimulator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code @KubernetesOrchestrationTest} end to end: a plane over a kubernetes-mock-server, the
 * simulator making the pods ready there, out-of-band edits through a raw client, and a store
 * emptied between tests although the server lives for the whole class.
 */
@KubernetesOrchestrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesOrchestrationTestIT {
  /**
   * The server the first test saw, so the second can check it got the same one (the server is
   * per class) and found it empty (isolation). Static because JUnit makes one instance per test.
   */
  private static final AtomicReference<KubernetesMockServer> FIRST_SERVER = new AtomicReference<>();

  /** db (worker) ← api (webservice, 2 replicas). */
  static Application shop() {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("db", "worker").property("image", "acme/db:1").build())
        .component(Component.builder("api", "webservice").property("image", "acme/api:1").property("replicas", 2)
            .dependsOn("db").build())
        .build();
  }

  @Test
  @Order(1)
  void aTwoComponentApplicationBecomesReadyThroughTheSimulatedPodsOnTheMockServer(KubernetesEnvironment env,
      OrchestrationPlane plane, KubernetesCluster dev, ClusterDriver driver, KubernetesClient raw,
      WorkloadSimulator simulator, PlaneEvents events, KubernetesMockServer server) {
    FIRST_SERVER.set(server);
    assertThat(plane).isSameAs(env.plane());
    assertThat(driver.name()).isEqualTo("dev");
    assertThat(simulator).isSameAs(env.simulator());

    // what the server saw happen to the Deployments, in order; watched from before any exists,
    // so there is no replay to wait out when it closes
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Watch watch = raw.apps().deployments().inNamespace("shop").watch(new Watcher<Deployment>() {
      @Override
      public void eventReceived(Action action, Deployment d) {
        String name = d.getMetadata().getName();
        if (action == Action.ADDED) {
          seen.add(name + " created");
        }
        Integer available = d.getStatus() == null ? null : d.getStatus().getAvailableReplicas();
        if (available != null && available > 0 && !seen.contains(name + " available")) {
          seen.add(name + " available");
        }
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    })) {
      assertThat(env.deploy(shop())).isReady();
      env.await(() -> seen.contains("api available"));
    }
    assertThat(seen).as("dependsOn: api is created once db is available")
        .containsExactly("db created", "db available", "api created", "api available");

    Deployment api = raw.apps().deployments().inNamespace("shop").withName("api").get();
    assertThat(api.getStatus().getAvailableReplicas()).isEqualTo(2);
    assertThat(raw.pods().inNamespace("shop").list().getItems())
        .as("pods the simulator made and the kubelet it plays made ready")
        .hasSize(3)
        .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
    assertThat(dev).hasResource("Service", "shop/api")
        .withLabel("app.kubernetes.io/managed-by", "orchestration-plane");
    assertThat(events.types()).startsWith(PlaneEvent.Type.SUBMITTED).contains(PlaneEvent.Type.CONVERGED);

    // leave something behind, in and out of the plane's care, for the next test to not find
    raw.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("stray")
        .endMetadata().addToData("k", "v").build()).create();
  }

  @Test
  @Order(2)
  void theNextTestOfTheClassFindsTheSameServerEmptyAndAFreshPlane(KubernetesEnvironment env, KubernetesClient raw,
      KubernetesMockServer server, PlaneEvents events) {
    assertThat(FIRST_SERVER.get()).as("the first test ran and kept its server").isNotNull();
    assertThat(server).as("one server per class").isSameAs(FIRST_SERVER.get());
    assertThat(raw.apps().deployments().inAnyNamespace().list().getItems()).isEmpty();
    assertThat(raw.pods().inAnyNamespace().list().getItems()).isEmpty();
    assertThat(raw.configMaps().inAnyNamespace().list().getItems()).isEmpty();
    assertThat(env.plane().statuses()).isEmpty();
    assertThat(events.size()).isZero();

    assertThat(env.deploy(shop())).as("the same application converges again from nothing").isReady();
    assertThat(raw.pods().inNamespace("shop").list().getItems()).hasSize(3);
  }

  @Test
  @Order(3)
  void anOutOfBandEditIsRestoredThroughTheWatch(KubernetesEnvironment env, KubernetesClient raw,
      KubernetesCluster dev) {
    assertThat(env.deploy(shop())).isReady();

    raw.apps().deployments().inNamespace("shop").withName("api")
        .edit(d -> {
          d.getSpec().setReplicas(5);
          d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("attacker/api:evil");
          return d;
        });

    ResourceKey api = ResourceKey.of("dev", "apps", "Deployment", "shop", "api");
    env.await(() -> {
      Deployment live = raw.apps().deployments().inNamespace("shop").withName("api").get();
      return live.getSpec().getReplicas() == 2
          && live.getSpec().getTemplate().getSpec().getContainers().get(0).getImage().equals("acme/api:1");
    });
    // the server has the correction a moment before the driver's write returns and its cache sees it:
    // wait for the driver's own view too, instead of reading it once at a moment chosen by chance
    env.await(() -> dev.get(api).map(r -> r.json().path("spec").path("replicas").asInt() == 2).orElse(false));
    assertThat(dev).hasResource("Deployment", "shop/api").withField("spec.replicas", 2)
        .withField("spec.template.spec.containers[0].image", "acme/api:1");
    assertThat(dev.get(api)).isPresent();
    // the plane reports the correction once the write is done, a moment after the server has it
    env.await(() -> !env.events().ofType(PlaneEvent.Type.DRIFT_CORRECTED).isEmpty());
    assertThat(env.events().ofType(PlaneEvent.Type.DRIFT_DETECTED)).isNotEmpty();
    assertThat(env.awaitReady(shop())).isReady();
  }

  /** Two clusters, each its own server; a nested class gets servers of its own. */
  @Nested
  @KubernetesOrchestrationTest(clusters = {"staging:tier=staging", "prod:tier=prod"})
  class TwoClusters {
    @Test
    void placementByLabelReachesOnlyTheMatchingClustersServer(KubernetesEnvironment env,
        @Cluster("prod") KubernetesCluster prod, @Cluster("staging") KubernetesCluster staging,
        @Cluster("prod") KubernetesClient prodRaw, @Cluster("staging") KubernetesClient stagingRaw,
        @Cluster("prod") KubernetesMockServer prodServer, @Cluster("staging") KubernetesMockServer stagingServer,
        @Cluster("prod") WorkloadSimulator prodSimulator) {
      assertThat(env.clusterNames()).containsExactly("staging", "prod");
      assertThat(env.labels("prod")).containsEntry("tier", "prod");
      assertThat(prodServer).isNotSameAs(stagingServer).isNotSameAs(FIRST_SERVER.get());
      assertThat(prodSimulator).isSameAs(env.simulator("prod"));

      assertThat(env.deploy(Shop.placed("cart", "prod"))).isReady();

      assertThat(prod).hasResource("Deployment", "cart/api").withField("status.availableReplicas", 1);
      assertThat(staging).doesNotHave("Deployment", "cart/api");
      assertThat(prodRaw.pods().inNamespace("cart").list().getItems()).hasSize(1);
      assertThat(stagingRaw.apps().deployments().inAnyNamespace().list().getItems()).isEmpty();
    }
  }
}
