package io.orchestrationplane.benchmarks.policy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The engine-vs-raw-cel-java ratio of {@link PodSecurityPolicyBenchmark}, measured for a machine shared with other
 * builds: batches of the engine and of raw cel-java alternate (the order flips every pair) in one thread, each
 * timed in this thread's CPU time, and the ratio of every adjacent pair is kept. Load from other processes then
 * affects both sides of a pair alike; the median pair ratio is the figure.
 *
 * <pre>
 * java -Dorchestration.corpus=../shared/corpus -cp benchmarks.jar \
 *   io.orchestrationplane.benchmarks.policy.PodSecurityPairedRatio [pairs] [batch]
 * </pre>
 */
public final class PodSecurityPairedRatio {
  private PodSecurityPairedRatio() {}

  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    PodSecurityPolicyBenchmark b = new PodSecurityPolicyBenchmark();
    b.setUp();
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    Object sink = null;
    for (int i = 0; i < 5_000; i++) {
      sink = b.engine();
      sink = b.rawCelJava();
    }
    List<Double> ratios = new ArrayList<>();
    List<Double> engineUs = new ArrayList<>();
    List<Double> rawUs = new ArrayList<>();
    for (int p = 0; p < pairs; p++) {
      long e = 0;
      long r = 0;
      for (int side = 0; side < 2; side++) {
        boolean engineSide = (side == 0) == (p % 2 == 0);
        long t0 = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < batch; i++) {
          sink = engineSide ? b.engine() : b.rawCelJava();
        }
        long t = cpu.getCurrentThreadCpuTime() - t0;
        if (engineSide) {
          e = t;
        } else {
          r = t;
        }
      }
      ratios.add((double) e / r);
      engineUs.add(e / 1000.0 / batch);
      rawUs.add(r / 1000.0 / batch);
    }
    System.out.printf("engine/raw CPU-time ratio over %d pairs of %d evaluations: median %.3f (p10 %.3f, p90 %.3f);"
        + " median CPU per evaluation: engine %.1f us, raw %.1f us%n", pairs, batch, pct(ratios, 50),
        pct(ratios, 10), pct(ratios, 90), pct(engineUs, 50), pct(rawUs, 50));
    if (sink == null) {
      throw new IllegalStateException("nothing was evaluated");
    }
  }

  private static double pct(List<Double> values, int p) {
    List<Double> s = new ArrayList<>(values);
    Collections.sort(s);
    return s.get(Math.min(s.size() - 1, s.size() * p / 100));
  }
}
