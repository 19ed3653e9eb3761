package io.orchestrationplane.benchmarks.converge;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.util.Arrays;

/**
 * The steady state of {@link ConvergeBenchmark}'s second phase: one plane converges the same
 * 1,000 applications once, then resyncs them many times in a row, and the distribution of the
 * resync wall times is printed (p10, median, p90 of the second half, when the JIT has settled).
 *
 * <pre>
 * java -Xms4g -Xmx4g -Xmn1g [-Dworkers=1] -cp benchmarks/target/benchmarks.jar \
 *   io.orchestrationplane.benchmarks.converge.ResyncBenchmark [apps] [resyncs]
 * </pre>
 */
public final class ResyncBenchmark {
  private static final int WORKERS = Integer.getInteger("workers", 2 * Runtime.getRuntime().availableProcessors());

  private ResyncBenchmark() {}

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int resyncs = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    InMemoryCluster cluster = InMemoryCluster.create("bench");
    ManualClock clock = ManualClock.create();
    try (Scheduler scheduler = Scheduler.manual(clock);
        OrchestrationPlane plane = OrchestrationPlane.builder().cluster(cluster).clock(clock).scheduler(scheduler)
            .progressDeadline(Duration.ofDays(365)) // the resyncs below span days of fake time
            .workers(WORKERS)
            .build()) {
      plane.start();
      for (int i = 0; i < apps; i++) {
        Application app = ConvergeBenchmark.app(i);
        plane.submit(app);
      }
      if (!plane.awaitIdle(Duration.ofMinutes(10)) || cluster.size() < apps * 5) {
        throw new IllegalStateException("did not converge: " + cluster.size() + " objects");
      }
      long writes = cluster.stats().writes();
      long[] times = new long[resyncs];
      for (int i = 0; i < resyncs; i++) {
        long t0 = System.nanoTime();
        clock.advance(Duration.ofMinutes(10));
        plane.awaitIdle(Duration.ofMinutes(10));
        times[i] = System.nanoTime() - t0;
      }
      long[] settled = Arrays.copyOfRange(times, resyncs / 2, resyncs);
      Arrays.sort(settled);
      System.out.printf("%d applications, %d workers, %d resyncs: second half p10 %.2f ms, median %.2f ms, "
          + "p90 %.2f ms (%.2f us per application at the median); writes during resyncs %d%n", apps, WORKERS,
          resyncs, settled[settled.length / 10] / 1e6, settled[settled.length / 2] / 1e6,
          settled[settled.length * 9 / 10] / 1e6, settled[settled.length / 2] / 1e3 / apps,
          cluster.stats().writes() - writes);
    }
  }
}
