package io.orchestrationplane.k8s;

import static io.orchestrationplane.k8s.TestResources.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterRegistry;
import io.orchestrationplane.core.resource.GroupKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry from a kubeconfig whose two contexts point at two mock servers. */
class KubernetesClustersIT {
  @TempDir
  Path dir;

  private MockApi east;
  private MockApi west;
  private Path kubeconfig;

  @BeforeEach
  void start() throws Exception {
    east = new MockApi();
    west = new MockApi();
    kubeconfig = dir.resolve("config");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        current-context: east
        clusters:
        - name: east-cluster
          cluster: {server: "%s"}
        - name: west-cluster
          cluster: {server: "%s"}
        users:
        - name: robot
          user: {token: not-a-real-token}
        contexts:
        - name: east
          context: {cluster: east-cluster, user: robot, namespace: shop}
        - name: west
          context: {cluster: west-cluster, user: robot, namespace: shop}
        """.formatted(east.server.url("/"), west.server.url("/")));
  }

  @AfterEach
  void stop() {
    east.close();
    west.close();
  }

  @Test
  void eachContextIsANamedClusterWithItsPlacementLabels() {
    ClusterRegistry registry = KubernetesClusters.builder()
        .kubeconfig(kubeconfig)
        .labels(Map.of("east", Map.of("tier", "prod", "region", "east"),
            "west", Map.of("tier", "prod", "region", "west")))
        .limits(MockApi.FAST)
        .build();
    try {
      assertThat(registry.names()).containsExactly("east", "west");
      assertThat(registry.select(Map.of("region", "west"))).containsExactly("west");

      for (String name : registry.select(Map.of("tier", "prod"))) {
        registry.require(name).apply(configMap("shop", "placed", "cluster", name));
      }

      try (KubernetesClient e = east.rawClient(); KubernetesClient w = west.rawClient()) {
        assertThat(e.configMaps().inNamespace("shop").withName("placed").get().getData()).containsEntry("cluster", "east");
        assertThat(w.configMaps().inNamespace("shop").withName("placed").get().getData()).containsEntry("cluster", "west");
      }
    } finally {
      registry.entries().forEach(entry -> entry.driver().close());
    }
  }

  @Test
  void clustersCanAlsoBeAddedInCodeFromAClient() {
    try (KubernetesClient client = west.rawClient()) {
      ClusterRegistry registry = KubernetesClusters.builder()
          .kubeconfig(kubeconfig, List.of("east"))
          .add("west-by-client", client)
          .labels("west-by-client", Map.of("tier", "staging"))
          .limits(MockApi.FAST)
          .build();
      try {
        ClusterDriver staging = registry.require(registry.select(Map.of("tier", "staging")).get(0));
        staging.apply(configMap("shop", "x", "k", "v"));

        assertThat(staging.name()).isEqualTo("west-by-client");
        assertThat(staging.list(new GroupKind("", "ConfigMap"), "shop", Map.of())).hasSize(1);
        assertThat(registry.require("east").list(new GroupKind("", "ConfigMap"), "shop", Map.of())).isEmpty();
      } finally {
        registry.entries().forEach(entry -> entry.driver().close());
      }
    }
  }

  @Test
  void labelsForAnUnknownClusterAreRejectedNamingIt() {
    assertThatThrownBy(() -> KubernetesClusters.builder().kubeconfig(kubeconfig)
        .labels("north", Map.of("tier", "prod")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'north'")
        .hasMessageContaining("east, west");
  }

  @Test
  void anUnknownContextIsRejectedNamingTheKnownOnes() {
    assertThatThrownBy(() -> KubernetesClusters.builder().kubeconfig(kubeconfig, List.of("south")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'south'")
        .hasMessageContaining("east, west");
  }
}
