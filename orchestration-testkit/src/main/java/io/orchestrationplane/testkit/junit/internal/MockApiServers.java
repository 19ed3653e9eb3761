package io.orchestrationplane.testkit.junit.internal;

import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The mock API servers of one test class, one per cluster name, started on first use and
 * destroyed when the class ends. Tests of the class take turns: {@link #acquire} refuses a second
 * test while one holds them, since isolation comes from emptying the servers after each test.
 */
public final class MockApiServers implements AutoCloseable {
  private final Map<String, KubernetesMockServer> byName = new LinkedHashMap<>();
  private final AtomicReference<String> holder = new AtomicReference<>();

  /** A kubernetes-mock-server in CRUD mode (expectations take precedence), started. */
  public static KubernetesMockServer start() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses), false);
    server.init();
    return server;
  }

  /** The server of that cluster, started on first use. */
  public synchronized KubernetesMockServer server(String cluster) {
    return byName.computeIfAbsent(cluster, k -> start());
  }

  /** Marks the servers as used by {@code test}; {@link IllegalStateException} if another test uses them. */
  public void acquire(String test) {
    if (!holder.compareAndSet(null, test)) {
      throw new IllegalStateException("@KubernetesOrchestrationTest: " + test + " would share the mock API servers"
          + " of its class with " + holder.get() + ", which is still running; tests of one class run one at a"
          + " time (do not put @Execution(CONCURRENT) on them)");
    }
  }

  public void release() {
    holder.set(null);
  }

  @Override
  public synchronized void close() {
    byName.values().forEach(KubernetesMockServer::destroy);
    byName.clear();
  }
}
