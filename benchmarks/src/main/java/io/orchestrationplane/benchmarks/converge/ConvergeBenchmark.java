package io.orchestrationplane.benchmarks.converge;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Continuous mode at scale: 1,000 applications × 5 resources converged from empty on an
 * {@link InMemoryCluster} (wall time, resources/s), then a full resync of the converged set
 * (median wall time of several, writes). A main, not JMH: each run is one cold-to-converged measurement, repeated.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.orchestrationplane.benchmarks.converge.ConvergeBenchmark [apps] [rounds]
 * </pre>
 */
public final class ConvergeBenchmark {
  private static final int RESYNCS = 7;
  private static final int WORKERS = Integer.getInteger("workers", 2 * Runtime.getRuntime().availableProcessors());

  private ConvergeBenchmark() {}

  /** Five resources: a webservice with an ingress (Deployment, Service, Ingress) and a worker with storage (Deployment, PVC). */
  static Application app(int i) {
    return Application.builder("app").namespace("tenant-" + i)
        .component(Component.builder("web", "webservice").property("image", "acme/web:" + i)
            .trait(Trait.of("ingress", Map.of("host", "app-" + i + ".example.com"))).build())
        .component(Component.builder("jobs", "worker").property("image", "acme/jobs:" + i)
            .trait(Trait.of("storage", Map.of("name", "data", "size", "1Gi", "mountPath", "/data"))).build())
        .build();
  }

  /**
   * CPU time of the whole process (every thread, the JIT and the collector included): on a
   * machine shared with other work it moves far less than wall time, which waits for the cores.
   */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<Application> all = new ArrayList<>();
    for (int i = 0; i < apps; i++) {
      all.add(app(i));
    }
    System.out.printf("converge %d applications x 5 resources, %d rounds (round 1 is warm-up), %d workers%n",
        apps, rounds, WORKERS);
    for (int round = 1; round <= rounds; round++) {
      InMemoryCluster cluster = InMemoryCluster.create("bench");
      // Real worker threads; a manual clock only so that the test decides when the resync is due.
      ManualClock clock = ManualClock.create();
      try (Scheduler scheduler = Scheduler.manual(clock);
          OrchestrationPlane plane = OrchestrationPlane.builder().cluster(cluster).clock(clock).scheduler(scheduler)
              // without a kubelet nothing becomes healthy: keep the progress deadline out of the
              // measured ten minutes so that the resync is all they hold
              .progressDeadline(Duration.ofHours(1))
              .workers(WORKERS)
              .build()) {
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        plane.start();
        all.forEach(plane::submit);
        if (!plane.awaitIdle(Duration.ofMinutes(10))) {
          throw new IllegalStateException("did not converge in 10 minutes");
        }
        long converge = System.nanoTime() - t0;
        long convergeCpu = processCpuNanos() - cpu0;
        // no kubelet here, so Deployments never become available: converged means every object in sync
        long ready = plane.statuses().values().stream().filter(s -> s.isInSync()).count();
        if (ready != apps || cluster.size() < apps * 5) {
          throw new IllegalStateException("converged " + ready + " apps, " + cluster.size() + " objects");
        }
        long writesBefore = cluster.stats().writes();
        // A controller resyncs every ten minutes for as long as it runs: the figure is the median
        // of several resyncs, not the first one through a cold code path.
        List<Long> resyncs = new ArrayList<>();
        for (int i = 0; i < RESYNCS; i++) {
          long t1 = System.nanoTime();
          clock.advance(Duration.ofMinutes(10)); // the periodic resync queues every application
          plane.awaitIdle(Duration.ofMinutes(10));
          resyncs.add(System.nanoTime() - t1);
        }
        long resync = resyncs.stream().sorted().toList().get(RESYNCS / 2);
        long resyncWrites = cluster.stats().writes() - writesBefore;
        System.out.printf("round %d: converge %.0f ms (%.0f resources/s, process CPU %.0f ms), full resync %.0f ms "
            + "median of %d (%.1f%% of converge), resync writes %d%n", round, converge / 1e6,
            apps * 5 / (converge / 1e9), convergeCpu / 1e6, resync / 1e6, RESYNCS, 100.0 * resync / converge,
            resyncWrites);
      }
    }
  }
}
