package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.resource.GroupKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Informer failures reach the log and the cluster's onWatchFailure callback, never silence. */
class WatchFailureIT {
  private static final GroupKind CONFIG_MAP = new GroupKind("", "ConfigMap");

  @Test
  void aWatchWhoseListIsForbiddenFailsToStartAndIsReported() throws Exception {
    BlockingQueue<WatchFailure> failures = new LinkedBlockingQueue<>();
    try (MockApi api = new MockApi();
         KubernetesCluster cluster = KubernetesCluster.builder("mock").config(api.config()).limits(MockApi.FAST)
             .onWatchFailure(failures::add).build()) {
      api.server.expect().get().withPath("/api/v1/configmaps?resourceVersion=0")
          .andReturn(403, "configmaps is forbidden: User cannot list resource").always();

      assertThatThrownBy(() -> cluster.watch(List.of(CONFIG_MAP), e -> {}))
          .isInstanceOfSatisfying(ClusterException.class,
              e -> assertThat(e.reason()).isEqualTo(ClusterException.Reason.FORBIDDEN));

      WatchFailure failure = failures.poll(10, TimeUnit.SECONDS);
      assertThat(failure).isNotNull();
      assertThat(failure.cluster()).isEqualTo("mock");
      assertThat(failure.kind()).isEqualTo(CONFIG_MAP);
      assertThat(failure.retrying()).isFalse();
    }
  }

  @Test
  void aServerThatGoesAwayMidWatchIsReportedWhileTheInformerRetries() throws Exception {
    BlockingQueue<WatchFailure> failures = new LinkedBlockingQueue<>();
    BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
    try (MockApi api = new MockApi();
         FaultProxy proxy = new FaultProxy(api.server.getPort());
         KubernetesCluster cluster = KubernetesCluster.builder("mock")
             .config(new io.fabric8.kubernetes.client.ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
                 .withMasterUrl(proxy.url()).build())
             .limits(MockApi.FAST)
             .onWatchFailure(failures::add).build()) {
      cluster.apply(TestResources.configMap("shop", "a", "k", "v"));
      AutoCloseable watch = cluster.watch(List.of(CONFIG_MAP), events::add);
      TestResources.awaitEvent(events, e -> e.type() == WatchEvent.Type.ADDED, Duration.ofSeconds(10));
      TestResources.awaitQuiet(events, Duration.ofMillis(200));

      proxy.down();

      WatchFailure failure = failures.poll(20, TimeUnit.SECONDS);
      assertThat(failure).as("informer failure reported").isNotNull();
      assertThat(failure.kind()).isEqualTo(CONFIG_MAP);
      assertThat(failure.retrying()).isTrue();
      watch.close();
    }
  }
}
