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
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

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
  private final FaultDispatcher faults;

  MockApi() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    faults = new FaultDispatcher(new KubernetesMixedDispatcher(responses));
    server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, faults, false);
    server.init();
  }

  /**
   * Until {@link #heal()}, every request that {@code matching} selects (method and path, see
   * {@link #is}) is answered with {@code status} and a Kubernetes {@code Status} body carrying
   * {@code message}, and reaches neither the store nor the expectations.
   */
  void fail(Predicate<RecordedRequest> matching, int status, String message) {
    faults.failure = new Fault(matching, status, message);
  }

  /**
   * Until {@link #heal()}, every request that {@code matching} selects reaches the store (a write
   * is made) but its answer's body comes only after {@code delay}: with a shorter request timeout
   * the client never sees it, as when a connection drops after the server acted.
   */
  void answerLate(Predicate<RecordedRequest> matching, Duration delay) {
    faults.late = new Late(matching, delay);
  }

  /** Ends {@link #fail}: requests reach the store again. */
  void heal() {
    faults.failure = null;
    faults.late = null;
  }

  /** How many requests {@link #fail} answered with its failure so far. */
  int failed() {
    return faults.failed.get();
  }

  /** A request with this method whose path (query left out) ends with {@code pathSuffix}. */
  static Predicate<RecordedRequest> is(String method, String pathSuffix) {
    return r -> r.getMethod().equalsIgnoreCase(method) && r.getPath().split("\\?", 2)[0].endsWith(pathSuffix);
  }

  private record Fault(Predicate<RecordedRequest> matching, int status, String message) {}

  private record Late(Predicate<RecordedRequest> matching, Duration delay) {}

  /** The mock's dispatcher, answering the requests a {@link Fault} selects with its failure. */
  private static final class FaultDispatcher extends Dispatcher {
    private final Dispatcher delegate;
    private final AtomicInteger failed = new AtomicInteger();
    volatile Fault failure;
    volatile Late late;

    FaultDispatcher(Dispatcher delegate) {
      this.delegate = delegate;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      Fault f = failure;
      if (f == null || !f.matching().test(request)) {
        Late l = late;
        MockResponse answer = delegate.dispatch(request);
        if (l != null && l.matching().test(request)) {
          failed.incrementAndGet();
          answer.setBodyDelay(l.delay());
        }
        return answer;
      }
      failed.incrementAndGet();
      String body = io.orchestrationplane.core.resource.Json.writeJson(io.orchestrationplane.core.resource.Json.object()
          .put("kind", "Status").put("apiVersion", "v1").put("status", "Failure").put("code", f.status())
          .put("message", f.message()));
      return new MockResponse().setResponseCode(f.status()).setHeader("Content-Type", "application/json").setBody(body);
    }

    @Override
    public void shutdown() {
      delegate.shutdown();
    }

    @Override
    public void releaseResources() {
      delegate.releaseResources();
    }
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
