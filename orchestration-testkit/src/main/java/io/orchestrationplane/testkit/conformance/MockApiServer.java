package io.orchestrationplane.testkit.conformance;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * An in-process Kubernetes API for running {@link ClusterDriverConformance} against a driver that
 * talks HTTP: fabric8's kubernetes-mock-server in CRUD mode (expectations set on {@link #server()}
 * take precedence), whose every answer can be replaced by a {@link ServerError}. Thread-safe.
 *
 * <pre>{@code
 * MockApiServer api = MockApiServer.start();
 * ClusterDriver driver = new MyDriver(api.config());
 * api.failEveryRequest(ServerError.internalError());   // every request now answers 500
 * api.close();
 * }</pre>
 *
 * <p>The mock is not an API server: docs/drivers.md lists where it differs, and {@code
 * KubernetesClusterConformanceIT} shows how a conformance subclass declares those differences.
 */
public final class MockApiServer implements AutoCloseable {
  private final KubernetesMockServer server;
  private final FailingDispatcher dispatcher;

  private MockApiServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    dispatcher = new FailingDispatcher(new KubernetesMixedDispatcher(responses));
    server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, false);
    server.init();
  }

  /** A started server on a free local port, holding no objects. */
  public static MockApiServer start() {
    return new MockApiServer();
  }

  /** The fabric8 mock itself, for expectations and for the requests it received. */
  public KubernetesMockServer server() {
    return server;
  }

  /** A fabric8 client configuration for this server: plain HTTP, no credentials, namespace {@code default}. */
  public Config config() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(server.url("/"))
        .withTrustCerts(true)
        .withNamespace("default")
        .build();
  }

  /**
   * From now until {@link #heal()}, every request (reads, writes, discovery, watches) is answered
   * with {@code error}: its status, its {@code Status} body and, when it carries one, a {@code
   * Retry-After} header. Nothing reaches the store.
   */
  public void failEveryRequest(ServerError error) {
    dispatcher.failure = Objects.requireNonNull(error, "error");
  }

  /** Ends {@link #failEveryRequest}: requests reach the store again. */
  public void heal() {
    dispatcher.failure = null;
  }

  /**
   * Stops the server. The mock's Vert.x shutdown sometimes times out while a client's watch is
   * still being torn down ("Unable to close MockWebServer"); that is the mock failing to clean up
   * after a test that already ran, so it is logged, not thrown.
   */
  @Override
  public void close() {
    try {
      server.destroy();
    } catch (IllegalStateException e) {
      LoggerFactory.getLogger(MockApiServer.class).warn("kubernetes-mock-server did not shut down cleanly: {}",
          e.getMessage());
    }
  }

  private static final class FailingDispatcher extends Dispatcher {
    private final Dispatcher delegate;
    volatile @Nullable ServerError failure;

    FailingDispatcher(Dispatcher delegate) {
      this.delegate = delegate;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      ServerError error = failure;
      if (error == null) {
        return delegate.dispatch(request);
      }
      MockResponse response = new MockResponse()
          .setResponseCode(error.status())
          .setHeader("Content-Type", "application/json")
          .setBody(error.statusJson());
      if (error.retryAfter() != null) {
        response.setHeader("Retry-After", error.retryAfter().toSeconds());
      }
      return response;
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
}
