package io.orchestrationplane.benchmarks.converge;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.time.ManualClock;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.ObjectName;

/**
 * Continuous mode at 1,000 to 10,000 applications of ten resources each on an {@link
 * InMemoryCluster}: for each size, in one JVM, the time to converge from empty, the median full
 * resync and its writes, and the heap the converged plane retains, measured with a heap histogram
 * of live objects (the {@code GC.class_histogram} diagnostic command, which collects first) taken
 * before the applications' models and the plane are made and after it converged, against the size
 * of the managed objects' JSON. The models count: the plane keeps each one it was given (a plane
 * fed from Git or custom resources is their only holder). The cluster's own copy of every object
 * is part of the retained heap (it is what a real cluster would hold elsewhere), so the figure is
 * also given without it: the histogram once more after the plane is closed and unreachable and
 * the models dropped, the cluster kept.
 *
 * <pre>
 * java -Xmx6g -cp benchmarks/target/benchmarks.jar io.orchestrationplane.benchmarks.converge.ScaleBenchmark [sizes, default 1000,10000]
 * </pre>
 */
public final class ScaleBenchmark {
  private static final int RESYNCS = 3;
  /** {@code -Dtop=N} prints the N classes holding most of the heap with the plane and after it closed. */
  private static final int TOP = Integer.getInteger("top", 0);
  private static final int WORKERS = Integer.getInteger("workers", 2 * Runtime.getRuntime().availableProcessors());

  private ScaleBenchmark() {}

  /**
   * Ten resources: a webservice with an ingress, an autoscaler, a service account and a network
   * policy (Deployment, Service, Ingress, HorizontalPodAutoscaler, ServiceAccount, NetworkPolicy),
   * a worker with storage (Deployment, PersistentVolumeClaim) and two ConfigMaps.
   */
  static Application app(int i) {
    return Application.builder("app").namespace("tenant-" + i)
        .component(Component.builder("web", "webservice").property("image", "acme/web:" + i).property("port", 8080)
            .trait(Trait.of("ingress", Map.of("host", "app-" + i + ".example.com")))
            .trait(Trait.of("autoscaler", Map.of("min", 2, "max", 10)))
            .trait(Trait.of("service-account", Map.of()))
            .trait(Trait.of("network-policy", Map.of("ports", List.of(8080)))).build())
        .component(Component.builder("jobs", "worker").property("image", "acme/jobs:" + i)
            .trait(Trait.of("storage", Map.of("name", "data", "size", "1Gi", "mountPath", "/data"))).build())
        .component(Component.builder("settings", "k8s-objects").property("objects", List.of(
            Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "settings"),
                "data", Map.of("tenant", "tenant-" + i, "log-level", "info", "feature-flags", "a,b,c")),
            Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "routes"),
                "data", Map.of("routes.yaml", "- path: /\n  to: web\n- path: /jobs\n  to: jobs\n"))))
            .build())
        .build();
  }

  /** Live heap bytes after a full collection, from the class histogram's total line. */
  public static long liveHeap() throws Exception {
    return liveHeap(0);
  }

  /** {@link #liveHeap()}, printing the histogram's first {@code top} classes. */
  public static long liveHeap(int top) throws Exception {
    String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    String[] lines = histogram.strip().split("\n");
    for (int i = 0; i < Math.min(top + 2, lines.length); i++) {
      System.out.println("  " + lines[i]);
    }
    String total = lines[lines.length - 1].trim(); // "Total <instances> <bytes>"
    if (!total.startsWith("Total")) {
      throw new IllegalStateException("unexpected histogram end: " + total);
    }
    String[] parts = total.split("\\s+");
    return Long.parseLong(parts[2]);
  }

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    for (String s : (args.length > 0 ? args[0] : "1000,10000").split(",")) {
      sizes.add(Integer.parseInt(s.trim()));
    }
    System.out.printf("continuous mode, applications x 10 resources, sizes %s, %d workers, max heap %d MiB%n", sizes,
        WORKERS, Runtime.getRuntime().maxMemory() >> 20);
    for (int apps : sizes) {
      InMemoryCluster cluster = InMemoryCluster.create("bench");
      ManualClock clock = ManualClock.create();
      long before = liveHeap();
      // made after the baseline: the plane keeps every model it is given, so they are its heap too
      List<Application> all = new ArrayList<>(apps);
      for (int i = 0; i < apps; i++) {
        all.add(app(i));
      }
      Run run = converge(all, cluster, clock, apps, before);
      long converge = run.converge();
      long resync = run.resync();
      long resyncWrites = run.resyncWrites();
      long withPlane = run.withPlane();
      int objects = run.objects();
      long jsonBytes = run.jsonBytes();
      // the plane closed, and unreachable: its method returned (a local variable in this frame could
      // keep it alive, interpreted code does not clear slots). What is left is the cluster's copy.
      all.clear();
      long clusterOnly = liveHeap(TOP) - before;
      // the cluster must stay reachable through that histogram: a JIT-compiled loop may otherwise
      // see its variable as dead and let the collector take it
      Reference.reachabilityFence(cluster);
      long plane = withPlane - clusterOnly;
      System.out.printf(Locale.ROOT, "%,d apps: %,d objects (%.1f per app, namespaces included), converge %,.0f ms "
              + "(%,.0f objects/s), full resync %,.0f ms median of %d (%.1f%% of converge), resync writes %d%n",
          apps, objects, objects / (double) apps, converge / 1e6, objects / (converge / 1e9), resync / 1e6, RESYNCS,
          100.0 * resync / converge, resyncWrites);
      System.out.printf(Locale.ROOT, "%,d apps: objects' JSON %,d bytes (%,.0f per object); retained heap %,d bytes "
              + "(%,.0f per object, %.2f x its JSON), of which the cluster %,d (%.2f x) and the plane %,d (%,.0f per "
              + "object, %.2f x its JSON)%n",
          apps, jsonBytes, jsonBytes / (double) objects, withPlane, withPlane / (double) objects,
          withPlane / (double) jsonBytes, clusterOnly, clusterOnly / (double) jsonBytes, plane, plane / (double) objects,
          plane / (double) jsonBytes);
    }
  }

  /** What one size measured with the plane. */
  private record Run(long converge, long resync, long resyncWrites, long withPlane, int objects, long jsonBytes) {}

  /**
   * Converges and resyncs {@code all} on {@code cluster} with a plane made here, and measures the
   * heap while it is open. In its own method so that nothing in the caller's frame reaches the
   * plane once it returns.
   */
  private static Run converge(List<Application> all, InMemoryCluster cluster, ManualClock clock, int apps, long before)
      throws Exception {
    try (Scheduler scheduler = Scheduler.manual(clock);
        OrchestrationPlane plane = OrchestrationPlane.builder().cluster(cluster).clock(clock).scheduler(scheduler)
            .progressDeadline(Duration.ofHours(1)).workers(WORKERS).logging(false).build()) {
      long t0 = System.nanoTime();
      plane.start();
      all.forEach(plane::submit);
      if (!plane.awaitIdle(Duration.ofMinutes(30))) {
        throw new IllegalStateException("did not converge in 30 minutes");
      }
      long converge = System.nanoTime() - t0;
      long inSync = plane.statuses().values().stream().filter(s -> s.isInSync()).count();
      int objects = cluster.size();
      if (inSync != apps) {
        throw new IllegalStateException("converged " + inSync + " of " + apps + " applications");
      }
      long writesBefore = cluster.stats().writes();
      List<Long> times = new ArrayList<>();
      for (int i = 0; i < RESYNCS; i++) {
        long t1 = System.nanoTime();
        clock.advance(Duration.ofMinutes(10));
        plane.awaitIdle(Duration.ofMinutes(30));
        times.add(System.nanoTime() - t1);
      }
      long resync = times.stream().sorted().toList().get(RESYNCS / 2);
      long resyncWrites = cluster.stats().writes() - writesBefore;
      long jsonBytes = 0;
      for (Resource r : cluster.all()) {
        jsonBytes += Json.writeJson(r.json()).getBytes(StandardCharsets.UTF_8).length;
      }
      long withPlane = liveHeap(TOP) - before;
      return new Run(converge, resync, resyncWrites, withPlane, objects, jsonBytes);
    }
  }
}
