package io.orchestrationplane.testkit.conformance;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.k8s.ClusterLimits;
import io.orchestrationplane.k8s.KubernetesCluster;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The fabric8 driver keeps the contract over HTTP, against kubernetes-mock-server in CRUD mode
 * (a fresh server per test), with the server's errors scripted through {@link MockApiServer}.
 */
class KubernetesClusterConformanceIT extends ClusterDriverConformance {
  /** Retries wait a millisecond or two; the circuit never opens within one test. */
  static final ClusterLimits LIMITS = ClusterLimits.builder()
      .requestsPerSecond(10_000)
      .maxAttempts(3)
      .initialBackoff(Duration.ofMillis(1))
      .maxBackoff(Duration.ofMillis(2))
      .maxRetryAfter(Duration.ofMillis(5))
      .minimumCalls(100)
      .slidingWindowSize(100)
      .requestTimeout(Duration.ofSeconds(10))
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  private MockApiServer api;

  @Override
  protected ClusterDriver createDriver() {
    api = MockApiServer.start();
    return KubernetesCluster.builder("mock").config(api.config()).limits(LIMITS).build();
  }

  @Override
  protected void closeDriver(ClusterDriver driver) throws Exception {
    super.closeDriver(driver);
    api.close();
  }

  /** What kubernetes-mock-server 8.0 does differently from an API server (docs/drivers.md). */
  static final Set<ServerDeviation> MOCK_DEVIATIONS = Set.copyOf(
      EnumSet.of(ServerDeviation.STATUS_WRITE_IGNORES_RESOURCE_VERSION, ServerDeviation.UPDATE_REPLACES_STATUS));

  @Override
  protected Set<ServerDeviation> serverDeviations() {
    return MOCK_DEVIATIONS;
  }

  @Override
  protected void failEveryRequest(ServerError error) {
    api.failEveryRequest(error);
  }
}
