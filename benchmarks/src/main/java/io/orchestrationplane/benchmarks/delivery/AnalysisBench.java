package io.orchestrationplane.benchmarks.delivery;

import io.orchestrationplane.core.state.StateEntry;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.state.StateWriteResult;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.delivery.analysis.Analysis;
import io.orchestrationplane.delivery.analysis.AnalysisPhase;
import io.orchestrationplane.delivery.analysis.AnalysisRun;
import io.orchestrationplane.delivery.analysis.AnalysisTemplate;
import io.orchestrationplane.delivery.analysis.Metric;
import io.orchestrationplane.delivery.analysis.MetricProvider;
import io.orchestrationplane.delivery.analysis.MetricQuery;
import io.orchestrationplane.delivery.analysis.MetricValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java -cp benchmarks.jar io.orchestrationplane.benchmarks.delivery.AnalysisBench [apps] [rounds]}
 *
 * <p>The plane's own cost per analysis evaluation (issue 16's goal: under 1 ms beyond the
 * provider's time). Each of {@code apps} applications rolls a 4-step canary, each step gated by
 * an analysis of two metrics (an error-rate vector and a latency map, both every simulated
 * minute, count 4) against a provider that answers instantly; the clock moves one simulated
 * minute per pass. Alternating in each round:
 * <ul>
 *   <li><b>provider</b>: the same number of provider calls alone (the baseline to subtract);</li>
 *   <li><b>evaluate</b>: {@code Analysis.evaluate} of every due run (two measurements, CEL
 *       conditions, assessment);</li>
 *   <li><b>stored</b>: what the analysis workflow step does per evaluation: read the run from an
 *       in-memory state store, {@code AnalysisRun.fromJson}, evaluate, {@code toJson},
 *       compare-and-set.</li>
 * </ul>
 * It prints µs per evaluation for each and the plane's part (evaluate or stored minus provider).
 */
public final class AnalysisBench {
  private AnalysisBench() {}

  /** Answers at once, as if Prometheus took no time. */
  private static final class InstantProvider implements MetricProvider {
    private final MetricValue errors = MetricValue.vector(0.001);
    private final MetricValue latency = MetricValue.structured(Map.of("p99", 0.120, "requests", 1200L));
    long calls;

    @Override public String name() {
      return "instant";
    }

    @Override public MetricValue measure(MetricQuery q) {
      calls++;
      return q.query().startsWith("errors") ? errors : latency;
    }
  }

  public static void main(String[] args) {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    AnalysisTemplate template = new AnalysisTemplate("canary",
        List.of(new AnalysisTemplate.Argument("service", null)),
        List.of(Metric.builder("error-rate", "instant", "errors{service=\"{{args.service}}\"}")
                .successCondition("result[0] < 0.01").interval(Duration.ofMinutes(1)).count(4).build(),
            Metric.builder("latency", "instant", "latency{service=\"{{args.service}}\"}")
                .successCondition("result.p99 < 0.5 && result.requests > 100").failureCondition("result.p99 > 2.0")
                .interval(Duration.ofMinutes(1)).count(4).build()));
    int steps = 4;
    System.out.printf("%d applications, %d-step canary, 2 metrics per analysis, count 4 every simulated minute%n", apps, steps);
    for (int round = 1; round <= rounds; round++) {
      long[] evaluateRun = run(template, apps, steps, false);
      long[] storedRun = run(template, apps, steps, true);
      long evaluations = evaluateRun[1];
      long providerNanos = providerOnly(evaluateRun[2]);
      double provider = providerNanos / 1000.0 / evaluations;
      double evaluate = evaluateRun[0] / 1000.0 / evaluations;
      double stored = storedRun[0] / 1000.0 / storedRun[1];
      System.out.printf("round %d: %d evaluations (%d provider calls); provider %.2f µs, evaluate %.2f µs, stored %.2f µs "
              + "per evaluation; the plane's part: %.2f µs (evaluate), %.2f µs (stored)%n",
          round, evaluations, evaluateRun[2], provider, evaluate, stored, evaluate - provider, stored - provider);
    }
  }

  /** Nanoseconds of {@code calls} provider calls alone. */
  private static long providerOnly(long calls) {
    InstantProvider p = new InstantProvider();
    MetricQuery a = new MetricQuery("error-rate", "errors{service=\"bench\"}", Map.of(), java.time.Instant.EPOCH);
    MetricQuery b = new MetricQuery("latency", "latency{service=\"bench\"}", Map.of(), java.time.Instant.EPOCH);
    long sink = 0;
    long t0 = System.nanoTime();
    for (long i = 0; i < calls; i++) {
      sink += p.measure((i & 1) == 0 ? a : b).hashCode();
    }
    long nanos = System.nanoTime() - t0;
    if (sink == 42) {
      System.out.print("");
    }
    return nanos;
  }

  /** {nanos spent evaluating, evaluations, provider calls}. */
  private static long[] run(AnalysisTemplate template, int apps, int steps, boolean stored) {
    ManualClock clock = ManualClock.create();
    InstantProvider provider = new InstantProvider();
    Analysis analysis = Analysis.builder().provider(provider).build();
    try (StateStore store = StateStore.inMemory()) {
      List<AnalysisRun> runs = new ArrayList<>();
      int[] step = new int[apps];
      for (int i = 0; i < apps; i++) {
        AnalysisRun r = analysis.start(template, Map.of("service", "app-" + i), clock.instant());
        runs.add(r);
        if (stored) {
          store.create(key(i), r.toJson());
        }
      }
      long nanos = 0;
      long evaluations = 0;
      int done = 0;
      while (done < apps) {
        for (int i = 0; i < apps; i++) {
          if (step[i] >= steps) {
            continue;
          }
          AnalysisRun r = runs.get(i);
          if (r.nextDue().map(d -> d.isAfter(clock.instant())).orElse(false)) {
            continue;
          }
          long t0 = System.nanoTime();
          if (stored) {
            StateEntry e = store.get(key(i)).orElseThrow();
            AnalysisRun next = analysis.evaluate(AnalysisRun.fromJson(e.value()), clock.instant());
            if (!(store.compareAndSet(key(i), e.version(), next.toJson()) instanceof StateWriteResult.Written)) {
              throw new IllegalStateException("conflict");
            }
            r = next;
          } else {
            r = analysis.evaluate(r, clock.instant());
          }
          nanos += System.nanoTime() - t0;
          evaluations++;
          if (r.completed()) {
            if (r.phase() != AnalysisPhase.SUCCESSFUL) {
              throw new IllegalStateException("analysis of app " + i + " ended " + r.phase() + ": " + r.message());
            }
            step[i]++;
            if (step[i] == steps) {
              done++;
            } else {
              r = analysis.start(template, Map.of("service", "app-" + i), clock.instant());
              if (stored) {
                StateEntry e = store.get(key(i)).orElseThrow();
                store.compareAndSet(key(i), e.version(), r.toJson());
              }
            }
          }
          runs.set(i, r);
        }
        clock.advance(Duration.ofMinutes(1));
      }
      return new long[] {nanos, evaluations, provider.calls};
    }
  }

  private static StateKey key(int app) {
    return StateKey.of("analysis-runs", "bench-" + app + ".0000000001.canary.1");
  }
}
