package io.orchestrationplane.benchmarks.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.orchestrationplane.benchmarks.converge.ScaleBenchmark;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.k8s.ClusterLimits;
import io.orchestrationplane.k8s.KubernetesCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;

/**
 * The heap a plane and its {@link KubernetesCluster} driver retain once N applications have converged on a
 * kubernetes-mock-server, the mock running in a child JVM so that this JVM's heap holds only the plane,
 * its driver (the informers' caches included) and the applications' models (made after the baseline:
 * the plane keeps each one it was given, so they count). The
 * applications are {@link CachedResyncBenchmark}'s (5 objects each, plus the inventory ConfigMap). The
 * retained heap is the live class histogram's total (the {@code GC.class_histogram} diagnostic command,
 * which collects first) after the converge minus the same before the driver and plane were built, given per
 * object the informers hold and against that object's JSON.
 *
 * <p>Why a child JVM: in one JVM the mock's own copy of every object (and of every request it served)
 * would have to be told apart from the plane's, and a closed driver cannot be used for that difference
 * on Java 17, whose HTTP client stays reachable while a closed watch's WebSocket waits for the mock's
 * close frame.
 *
 * <pre>
 * java -Xmx4g -cp benchmarks/target/benchmarks.jar io.orchestrationplane.benchmarks.k8s.MockHeapBenchmark [apps=1000]
 * </pre>
 */
public final class MockHeapBenchmark {
  private MockHeapBenchmark() {}

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Process mock = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx4g",
        "-cp", System.getProperty("java.class.path"), MockServer.class.getName())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(mock.getInputStream(),
        StandardCharsets.UTF_8))) {
      String url = out.readLine();
      if (url == null || !url.startsWith("http")) {
        throw new IllegalStateException("the mock server did not start: " + url);
      }
      run(apps, url);
    } finally {
      mock.getOutputStream().close(); // the child exits when its stdin closes
      mock.waitFor();
    }
  }

  private static void run(int apps, String url) throws Exception {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace("default").build();
    ManualClock clock = ManualClock.create();
    long before = ScaleBenchmark.liveHeap();
    // made after the baseline: the plane keeps every model it is given, so they are its heap too
    List<Application> all = new ArrayList<>(apps);
    for (int i = 0; i < apps; i++) {
      all.add(CachedResyncBenchmark.app(i));
    }
    try (KubernetesCluster cluster = KubernetesCluster.builder("bench").config(config)
            .limits(ClusterLimits.builder().requestsPerSecond(1_000_000).build()).build();
        Scheduler scheduler = Scheduler.manual(clock);
        OrchestrationPlane plane = OrchestrationPlane.builder().cluster(cluster).clock(clock).scheduler(scheduler)
            .readinessGates(false) // no kubelet behind the mock: nothing becomes available
            .progressDeadline(Duration.ofHours(1))
            .build()) {
      plane.start();
      long t0 = System.nanoTime();
      all.forEach(plane::submit);
      if (!plane.awaitIdle(Duration.ofMinutes(30))) {
        throw new IllegalStateException("did not converge in 30 minutes");
      }
      long converge = System.nanoTime() - t0;
      long inSync = plane.statuses().values().stream().filter(s -> s.isInSync()).count();
      if (inSync != all.size()) {
        throw new IllegalStateException("converged " + inSync + " of " + all.size() + " applications");
      }
      // every object the informers hold: the kinds the plane wrote and the inventory, read from the caches
      Set<GroupKind> kinds = new HashSet<>();
      kinds.add(GroupKind.of("v1", "ConfigMap"));
      for (var change : plane.plan(all.get(0)).changes()) {
        if (change.desired() != null) {
          kinds.add(change.desired().groupKind());
        }
      }
      long jsonBytes = 0;
      int objects = 0;
      for (Resource r : cluster.list(kinds, null, Map.of())) {
        jsonBytes += Json.writeJson(r.json()).getBytes(StandardCharsets.UTF_8).length;
        objects++;
      }
      Thread.sleep(2_000); // the watch echoes of the last writes
      plane.awaitIdle(Duration.ofMinutes(1));
      long retained = ScaleBenchmark.liveHeap(Integer.getInteger("top", 0)) - before;
      System.out.printf(Locale.ROOT, "%,d applications on kubernetes-mock-server (another JVM): converge %,.0f ms; "
              + "%,d objects in the informers, JSON %,.0f bytes per object; retained heap of the plane and its driver "
              + "%,d bytes: %,.0f per object, %.2f x its JSON%n", all.size(), converge / 1e6, objects,
          jsonBytes / (double) objects, retained, retained / (double) objects, retained / (double) jsonBytes);
    }
  }

  /** The mock server of {@link #main}: prints its URL, serves until its standard input closes. */
  public static final class MockServer {
    private MockServer() {}

    public static void main(String[] args) throws Exception {
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
      Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
      KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
          new KubernetesMixedDispatcher(responses), false);
      server.init();
      System.out.println(server.url("/"));
      System.out.flush();
      while (System.in.read() >= 0) {
        // serve until the parent closes the pipe
      }
      server.destroy();
    }
  }
}
