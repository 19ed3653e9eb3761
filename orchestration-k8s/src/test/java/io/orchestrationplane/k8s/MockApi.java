package io.orchestrationplane.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * An in-process Kubernetes API (kubernetes-server-mock in CRUD mode, with expectations taking
 * precedence), and drivers pointed at it with tiny retry waits so fault tests run in milliseconds.
 */
final class MockApi implements AutoCloseable {
  /** Limits for tests: retries wait 1-2 ms, the circuit needs 4 calls and opens for a minute. */
  static final ClusterLimits FAST = ClusterLimits.builder()
      .requestsPerSecond(10_000)
      .initialBackoff(Duration.ofMillis(1))
      .maxBackoff(Duration.ofMillis(2))
      .jitter(0.1)
      .maxAttempts(4)
      .maxRetryAfter(Duration.ofMillis(20))
      .minimumCalls(4)
      .slidingWindowSize(8)
      .openDuration(Duration.ofMinutes(1))
      .requestTimeout(Duration.ofSeconds(5))
      .connectTimeout(Duration.ofSeconds(1))
      .watchStallTimeout(Duration.ofMillis(200))
      .build();

  final KubernetesMockServer server;

  MockApi() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses), false);
    server.init();
  }

  /** A fabric8 config for this server (no auth, plain HTTP). */
  Config config() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(server.url("/"))
        .withTrustCerts(true)
        .withNamespace("default")
        .build();
  }

  /** A raw fabric8 client for out-of-band writes and checks. */
  KubernetesClient rawClient() {
    return server.createClient();
  }

  KubernetesCluster cluster(String name) {
    return KubernetesCluster.builder(name).config(config()).limits(FAST).build();
  }

  /**
   * Stops the server. The mock's Vert.x shutdown sometimes times out while a client's watch or
   * lease request is still being torn down ("Unable to close MockWebServer"); that is the mock
   * failing to clean up after a test that already passed, so it is logged, not rethrown.
   */
  @Override
  public void close() {
    try {
      server.destroy();
    } catch (IllegalStateException e) {
      System.err.println("kubernetes-mock-server did not shut down cleanly: " + e.getMessage());
    }
  }
}
