package io.orchestrationplane.testkit.conformance;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.k8s.KubernetesCluster;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * The fabric8 driver keeps the contract while a watch of the kit's kinds runs, so that its reads
 * are answered from the informers' stores (cached reads) and must still see the driver's own
 * writes at once, as the plane's continuous mode reads them.
 */
class KubernetesClusterCachedReadsConformanceIT extends ClusterDriverConformance {
  private static final List<GroupKind> WATCHED = List.of(new GroupKind("", "ConfigMap"), new GroupKind("", "Service"),
      new GroupKind("rbac.authorization.k8s.io", "ClusterRole"),
      new GroupKind("autoscaling", "HorizontalPodAutoscaler"));

  private MockApiServer api;

  @Override
  protected ClusterDriver createDriver() {
    api = MockApiServer.start();
    KubernetesCluster cluster = KubernetesCluster.builder("mock-cached").config(api.config())
        .limits(KubernetesClusterConformanceIT.LIMITS).cachedReads(true).build();
    cluster.watch(WATCHED, event -> {}); // closed with the cluster
    return cluster;
  }

  @Override
  protected void closeDriver(ClusterDriver driver) throws Exception {
    super.closeDriver(driver);
    api.close();
  }

  @Override
  protected Set<ServerDeviation> serverDeviations() {
    return KubernetesClusterConformanceIT.MOCK_DEVIATIONS;
  }

  @Override
  protected Duration eventTimeout() {
    return KubernetesClusterConformanceIT.MOCK_EVENT_TIMEOUT; // the mock's watch close holds its event loop
  }

  /**
   * Reads of watched kinds come from the informers' stores and never meet the server's error, so
   * the error cases, which fail reads as well as writes, run in {@link KubernetesClusterConformanceIT}
   * (the same mapping code) and are skipped here.
   */
  @Override
  protected void failEveryRequest(ServerError error) {
    Assumptions.abort("reads of watched kinds are answered from the watch's informer store, so HTTP "
        + error.status() + " reaches no read; KubernetesClusterConformanceIT checks the error mapping");
  }
}
