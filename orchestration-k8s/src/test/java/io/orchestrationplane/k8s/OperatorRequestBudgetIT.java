package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.resource.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The API requests operator mode sends per converged Application, pinned over HTTP against the
 * CRUD mock: an Application created while the operator runs, rendering one ConfigMap, costs its
 * finalizer (one PUT), the ConfigMap and the application's inventory (two POSTs, create-only), one
 * status write and, with Events on, one Event (Applied: the reconcile that applied it found it
 * converged, so no Converged Event of its own); no read at all (watched
 * kinds are read from the informers). A change that adds a request per application fails here
 * (and shows in {@code OperatorBenchmark}'s per-request table).
 */
class OperatorRequestBudgetIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int APPS = 8;
  /** The test's own requests carry this header and are not counted. */
  private static final String OBSERVER = "X-Request-Budget-Observer";

  @Test
  void eachConvergedApplicationCostsFourRequestsAndOneEvent() throws Exception {
    Map<String, Integer> perApp = requestsPerApplication(true);
    assertThat(perApp).containsExactlyInAnyOrderEntriesOf(Map.of(
        "PUT applications", 1, // the finalizer
        "POST configmaps", 2, // the rendered ConfigMap and the inventory, both create-only
        "PUT applications/status", 1,
        "POST events", 1)); // Applied (converged in the same reconcile: no Converged Event)
  }

  @Test
  void withoutEventsEachConvergedApplicationCostsFourRequests() throws Exception {
    Map<String, Integer> perApp = requestsPerApplication(false);
    assertThat(perApp).containsExactlyInAnyOrderEntriesOf(Map.of(
        "PUT applications", 1,
        "POST configmaps", 2,
        "PUT applications/status", 1));
  }

  /** Requests the plane and operator sent for APPS Applications created while they run, per application. */
  private static Map<String, Integer> requestsPerApplication(boolean events) throws Exception {
    try (MockApi api = new MockApi(); KubernetesCluster ops = api.cluster("ops");
        KubernetesClient observer = new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder(api.config()).withCustomHeaders(Map.of(OBSERVER, "true")).build()).build();
        OrchestrationPlane plane = OrchestrationPlane.builder().cluster(ops).build();
        ApplicationOperator operator = ApplicationOperator.builder(plane, ops).events(events).build()) {
      ops.apply(ApplicationCrd.definition());
      operator.start();
      plane.start();
      // a first application pays what is paid once per plane: discovery of the kinds it writes
      observer.resource(application(APPS)).create();
      awaitConverged(ops, observer, events, APPS, 1);
      drain(api); // that, the CRD, the informers' LIST and WATCH

      for (int i = 0; i < APPS; i++) {
        observer.resource(application(i)).create();
      }
      awaitConverged(ops, observer, events, 0, APPS + 1);

      Map<String, Integer> sent = drain(api);
      Map<String, Integer> perApp = new TreeMap<>();
      sent.forEach((request, count) -> {
        assertThat(count % APPS).as("%s sent %d times for %d applications (all: %s)", request, count, APPS, sent)
            .isZero();
        perApp.put(request, count / APPS);
      });
      return perApp;
    }
  }

  /** Applications {@code from} to {@code from + count - 1} are READY, their ConfigMaps and Events exist. */
  private static void awaitConverged(KubernetesCluster ops, KubernetesClient observer, boolean events, int from,
      int count) {
    await(() -> {
      for (int i = from; i < from + count; i++) {
        boolean ready = ops.get(ResourceKey.of("ops", ApplicationCrd.GROUP, ApplicationCrd.KIND, "budget", "app-" + i))
            .filter(r -> r.at("/status/phase").asString().equals("READY")).isPresent();
        if (!ready || ops.get(ResourceKey.of("ops", "", "ConfigMap", "budget", "config-" + i)).isEmpty()) {
          return false;
        }
      }
      return !events || observer.v1().events().inNamespace("budget").list().getItems().size() == count;
    });
  }

  private static String application(int i) {
    return """
        {"apiVersion": "orchestrationplane.io/v1alpha1", "kind": "Application",
         "metadata": {"name": "app-%d", "namespace": "budget"},
         "spec": {"components": [{"name": "config", "type": "k8s-objects", "properties": {"objects": [
           {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "config-%d"}, "data": {"value": "v%d"}}]}}]}}
        """.formatted(i, i, i);
  }

  /** The requests received since the last drain, not counting the observer's, by verb and resource. */
  private static Map<String, Integer> drain(MockApi api) throws InterruptedException {
    Map<String, Integer> byKind = new TreeMap<>();
    RecordedRequest r;
    while ((r = api.server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
      if (r.getHeader(OBSERVER) == null) {
        byKind.merge(classify(r.getMethod(), r.getPath()), 1, Integer::sum);
      }
    }
    return byKind;
  }

  /** {@code LIST configmaps}, {@code PUT applications/status}, {@code WATCH events}... */
  private static String classify(String method, String path) {
    int q = path.indexOf('?');
    String query = q < 0 ? "" : path.substring(q + 1);
    String[] parts = (q < 0 ? path : path.substring(0, q)).split("/");
    int i = parts.length > 1 && parts[1].equals("apis") ? 4 : 3;
    if (parts.length > i + 2 && parts[i].equals("namespaces")) {
      i += 2;
    }
    String plural = i < parts.length ? parts[i] : path;
    String sub = i + 2 < parts.length ? "/" + parts[i + 2] : "";
    boolean named = i + 1 < parts.length;
    String verb = query.contains("watch=true") ? "WATCH" : method.equals("GET") && !named ? "LIST" : method;
    return verb + " " + plural + sub;
  }

  /** Polls until the condition holds; the plane and the operator run on their own threads. */
  private static void await(BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(WAIT);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not converged within " + WAIT);
      }
      LockSupport.parkNanos(20_000_000L);
    }
  }
}
