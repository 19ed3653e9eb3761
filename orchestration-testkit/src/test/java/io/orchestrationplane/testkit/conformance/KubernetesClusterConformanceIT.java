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

  /**
   * The mock server closes a watch on its event loop and, there, waits up to a minute for that
   * watch's sender to stop (fabric8 {@code WatchEventsListener.onClosed}: {@code
   * awaitTermination(1, MINUTES)}); until then no other watch sharing the loop gets an event. On a
   * busy machine that wait was seen to last 13-23 s, so the events a test waits for after closing
   * a watch arrive late, not never. A real API server does not hold other watches up.
   */
  static final Duration MOCK_EVENT_TIMEOUT = Duration.ofSeconds(75);

  @Override
  protected Duration eventTimeout() {
    return MOCK_EVENT_TIMEOUT;
  }

  @Override
  protected void failEveryRequest(ServerError error) {
    api.failEveryRequest(error);
  }
}
