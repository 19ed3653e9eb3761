package io.orchestrationplane.benchmarks.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.k8s.ApplicationCrd;
import io.orchestrationplane.k8s.ApplicationOperator;
import io.orchestrationplane.k8s.ClusterLimits;
import io.orchestrationplane.k8s.KubernetesCluster;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Operator mode on kubernetes-mock-server, built to measure exactly what the Java Operator SDK
 * peer ({@code ../shared/peers/josdk} beside the repository, {@code JosdkBench}) measures, so that
 * {@code benchmarks/operator-vs-josdk.sh} can run both alternately and compare them row by row.
 * Each round, on a fresh CRUD mock over HTTP:
 *
 * <ol>
 *   <li>an admin client (fabric8, JDK HTTP client) installs the Application CRD and creates N
 *       Application objects in namespace {@code pre}, each rendering one ConfigMap;
 *   <li>an informer on ConfigMaps (the admin client's) counts the rendered ConfigMaps as they
 *       appear (the plane's inventory ConfigMaps are not counted);
 *   <li><b>startup</b>: from building the operator's {@link KubernetesCluster}, plane and
 *       {@link ApplicationOperator} (defaults: finalizers, status, Events) until all N
 *       ConfigMaps of the pre-existing Applications exist;
 *   <li><b>steady state</b>: the admin client creates N more Applications in namespace
 *       {@code live}, one after another; the figure is the time from the first create until all N
 *       ConfigMaps exist (the creates included, as in the peer).
 * </ol>
 *
 * <p>The first {@code warmups} rounds are not counted. Each phase also prints the API requests
 * the mock server received per Application, by method and resource (the admin client's creates
 * and the observer's watch included), so a change in the requests operator mode sends shows up
 * here as well as in {@code OperatorRequestBudgetIT}.
 *
 * <pre>
 * mvn -B -q -o package -DskipTests -pl benchmarks -am
 * java -cp benchmarks/target/benchmarks.jar io.orchestrationplane.benchmarks.k8s.OperatorBenchmark [reps=5] [warmups=2] [n=500]
 * </pre>
 */
public final class OperatorBenchmark {
  static final String STARTUP = "startup: start() -> N ConfigMaps exist, N pre-existing CRs";
  static final String STEADY = "steady state: create N CRs -> N ConfigMaps exist";

  /** Strong reference so the level sticks: MockWebServer logs every request at INFO otherwise. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  /** {@code -Doperator.events=false}: the operator records no Kubernetes Events (default: it does). */
  static final boolean EVENTS = !"false".equals(System.getProperty("operator.events"));

  private OperatorBenchmark() {}

  public static void main(String[] args) throws Exception {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    System.out.println("# operator mode " + java.util.Arrays.toString(args) + (EVENTS ? "" : " events off"));
    System.out.println("java.version=" + System.getProperty("java.version") + " cpus="
        + Runtime.getRuntime().availableProcessors());
    Map<String, List<Double>> samples = new LinkedHashMap<>();
    for (int r = 0; r < warmups + reps; r++) {
      Map<String, Double> one = round(n, r == warmups + reps - 1);
      System.out.printf(Locale.ROOT, "  round %d (%s): %s%n", r, r < warmups ? "warm-up" : "measured", one);
      if (r >= warmups) {
        one.forEach((k, v) -> samples.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
      }
    }
    System.out.println();
    System.out.println("### Orchestration Plane operator mode vs. fabric8 CRUD mock, N=" + n + " Application objects");
    System.out.println();
    System.out.println("| metric | unit | median | min | max | reps |");
    System.out.println("|---|---|---:|---:|---:|---:|");
    samples.forEach((k, v) -> {
      List<Double> s = new ArrayList<>(v);
      Collections.sort(s);
      double med = s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
      String unit = k.substring(k.lastIndexOf('[') + 1, k.length() - 1);
      System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %d |%n", k.substring(0, k.lastIndexOf('[')).trim(), unit,
          fmt(med), fmt(s.get(0)), fmt(s.get(s.size() - 1)), s.size());
    });
    System.exit(0);
  }

  private static Map<String, Double> round(int n, boolean printRequests) throws Exception {
    Map<String, Double> out = new LinkedHashMap<>();
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses), false);
    server.init();
    KubernetesClient admin = server.createClient(new JdkHttpClientFactory());
    SharedIndexInformer<ConfigMap> observer = null;
    try {
      admin.resource(ApplicationCrd.definition().json().toString()).create();
      long t = System.nanoTime();
      for (int i = 0; i < n; i++) {
        admin.resource(application("pre", i)).create();
      }
      out.put("create N Application CRs (admin client, seq) [obj/s]", n / ((System.nanoTime() - t) / 1e9));

      CountDownLatch pre = new CountDownLatch(n);
      CountDownLatch live = new CountDownLatch(n);
      observer = admin.configMaps().inAnyNamespace().inform(new ResourceEventHandler<>() {
        @Override
        public void onAdd(ConfigMap cm) {
          if (cm.getMetadata().getName().startsWith("config-")) { // not the plane's inventory ConfigMaps
            (cm.getMetadata().getNamespace().equals("pre") ? pre : live).countDown();
          }
        }

        @Override
        public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {}

        @Override
        public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {}
      });
      drain(server);

      Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.url("/")).withNamespace("default").build();
      // No client-side rate limit: the peer has none either.
      ClusterLimits limits = ClusterLimits.builder().requestsPerSecond(100_000).build();
      t = System.nanoTime();
      try (KubernetesCluster ops = KubernetesCluster.builder("ops").config(config).limits(limits).build();
          OrchestrationPlane plane = OrchestrationPlane.builder().cluster(ops).build();
          ApplicationOperator operator = ApplicationOperator.builder(plane, ops).events(EVENTS).build()) {
        operator.start();
        plane.start();
        long started = System.nanoTime() - t;
        await(pre);
        long converged = System.nanoTime() - t;
        out.put("operator.start() returns [ms]", started / 1e6);
        out.put(STARTUP + " [ms]", converged / 1e6);
        out.put("startup convergence [obj/s]", n / (converged / 1e9));
        Map<String, Integer> startupRequests = drain(server);

        t = System.nanoTime();
        for (int i = 0; i < n; i++) {
          admin.resource(application("live", i)).create();
        }
        long created = System.nanoTime() - t;
        await(live);
        long done = System.nanoTime() - t;
        out.put(STEADY + " [ms]", done / 1e6);
        out.put("steady-state convergence incl. CR creation [obj/s]", n / (done / 1e9));
        out.put("  ... lag: last CR created -> last ConfigMap seen [ms]", (done - created) / 1e6);
        // settle: status writes and Events that trail the ConfigMaps count too
        Thread.sleep(1000);
        Map<String, Integer> steadyRequests = drain(server);
        out.put("API requests per Application, startup [req]", total(startupRequests) / (double) n);
        out.put("API requests per Application, steady state incl. its create [req]", total(steadyRequests) / (double) n);
        if (printRequests) {
          System.out.println("  requests per Application at startup (observer and operator): " + perApp(startupRequests, n));
          System.out.println("  requests per Application in steady state (its create included): " + perApp(steadyRequests, n));
        }
      }
    } finally {
      if (observer != null) {
        observer.close();
      }
      admin.close();
      server.destroy();
    }
    return out;
  }

  private static String application(String namespace, int i) {
    return """
        {"apiVersion": "orchestrationplane.io/v1alpha1", "kind": "Application",
         "metadata": {"name": "app-%d", "namespace": "%s"},
         "spec": {"components": [{"name": "config", "type": "k8s-objects", "properties": {"objects": [
           {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "config-%d"}, "data": {"value": "v%d"}}]}}]}}
        """.formatted(i, namespace, i, i);
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    if (!latch.await(300, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not converged: " + latch.getCount() + " ConfigMaps missing");
    }
  }

  /** The requests the server received since the last drain, by method and resource. */
  private static Map<String, Integer> drain(KubernetesMockServer server) throws InterruptedException {
    Map<String, Integer> byKind = new TreeMap<>();
    RecordedRequest r;
    while ((r = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
      byKind.merge(classify(r.getMethod(), r.getPath()), 1, Integer::sum);
    }
    return byKind;
  }

  /** {@code GET applications}, {@code PUT applications/status}, {@code WATCH configmaps}... */
  static String classify(String method, String path) {
    int q = path.indexOf('?');
    String query = q < 0 ? "" : path.substring(q + 1);
    String[] parts = (q < 0 ? path : path.substring(0, q)).split("/");
    // /api/v1/[namespaces/ns/]plural[/name[/sub]] or /apis/group/version/[namespaces/ns/]plural[/name[/sub]]
    int i = parts.length > 1 && parts[1].equals("apis") ? 4 : 3;
    if (parts.length > i + 1 && parts[i].equals("namespaces") && parts.length > i + 2) {
      i += 2;
    }
    String plural = i < parts.length ? parts[i] : path;
    String sub = i + 2 < parts.length ? "/" + parts[i + 2] : "";
    boolean named = i + 1 < parts.length;
    String verb = query.contains("watch=true") ? "WATCH" : method.equals("GET") && !named ? "LIST" : method;
    return verb + " " + plural + sub;
  }

  private static int total(Map<String, Integer> requests) {
    return requests.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static String perApp(Map<String, Integer> requests, int n) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%.2f in all", total(requests) / (double) n));
    requests.forEach((k, v) -> b.append(String.format(Locale.ROOT, "; %s %.2f", k, v / (double) n)));
    return b.toString();
  }

  private static String fmt(double v) {
    return v >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
