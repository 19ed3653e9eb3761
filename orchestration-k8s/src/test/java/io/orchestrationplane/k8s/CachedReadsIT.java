package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.GroupKind;
import io.orchestrationplane.core.Resource;
import io.orchestrationplane.core.ResourceKey;
import java.util.List;
import java.util.Map;
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
}
