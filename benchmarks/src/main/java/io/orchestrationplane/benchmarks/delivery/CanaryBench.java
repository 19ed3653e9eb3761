package io.orchestrationplane.benchmarks.delivery;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.render.TypeRegistry;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.delivery.analysis.Analysis;
import io.orchestrationplane.delivery.analysis.AnalysisTemplate;
import io.orchestrationplane.delivery.analysis.Metric;
import io.orchestrationplane.delivery.analysis.MetricProvider;
import io.orchestrationplane.delivery.analysis.MetricQuery;
import io.orchestrationplane.delivery.analysis.MetricValue;
import io.orchestrationplane.delivery.rollout.RolloutStatus;
import io.orchestrationplane.delivery.rollout.RolloutTrait;
import io.orchestrationplane.delivery.rollout.Rollouts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code java -cp benchmarks.jar io.orchestrationplane.benchmarks.delivery.CanaryBench [apps] [rounds]}
 *
 * <p>Issue 16's benchmark: {@code apps} applications (default 200) on one in-memory cluster, each
 * rolling out a 4-step canary (setWeight 10, analysis, setWeight 50, analysis; each analysis 3
 * measurements a simulated minute apart) over an HTTPRoute, driven by {@code runPending} once a
 * simulated minute with every Deployment reported available in between (not timed). Prints:
 * <ul>
 *   <li><b>per analysis evaluation</b>: the time of the {@code runPending} calls whose every
 *       transition was one measurement (and nothing else), divided by those measurements, with
 *       the provider's own time (a constant answer, timed inside it) shown apart: the difference is
 *       what the plane adds (read the rollout document, evaluate the run, write it back with
 *       compare-and-set);</li>
 *   <li><b>per step transition</b>: the rest of the {@code runPending} time divided by the rest of
 *       the transitions (setWeight applies through the plane, pauses, promotion and clean-up).</li>
 * </ul>
 */
public final class CanaryBench {
  private CanaryBench() {}

  public static void main(String[] args) {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    System.out.printf("%d applications, 4-step canary, analysis every simulated minute, in-memory cluster and store%n", apps);
    for (int round = 1; round <= rounds; round++) {
      run(apps, round);
    }
  }

  static Application app(int i, String tag) {
    return Application.builder("app-" + i).namespace("bench")
        .component(Component.builder("api", "webservice").property("image", "ghcr.io/acme/api:" + tag)
            .property("port", 8080).property("replicas", 4)
            .trait(Trait.of(RolloutTrait.NAME, Map.of("environment", "prod",
                "canary", Map.of("steps", List.of(
                    Map.of("setWeight", 10),
                    Map.of("analysis", Map.of("templateName", "error-rate", "args", Map.of("workload", "api-canary"))),
                    Map.of("setWeight", 50),
                    Map.of("analysis", Map.of("templateName", "error-rate", "args", Map.of("workload", "api-canary"))))),
                "traffic", Map.of("gatewayApi", Map.of("gateway", "gw"))))).build())
        .environment(Environment.builder("prod").namespace("bench-" + i).clusters("prod").build())
        .build();
  }

  private static void run(int apps, int round) {
    ManualClock clock = ManualClock.at(Instant.parse("2026-03-02T10:00:00Z"));
    InMemoryCluster prod = InMemoryCluster.builder("prod").clock(clock).build();
    long[] providerNanos = {0};
    MetricProvider constant = new MetricProvider() {
      @Override
      public String name() {
        return "simulated";
      }

      @Override
      public MetricValue measure(MetricQuery query) {
        long t0 = System.nanoTime();
        MetricValue v = MetricValue.scalar(0.001);
        providerNanos[0] += System.nanoTime() - t0;
        return v;
      }
    };
    AnalysisTemplate template = new AnalysisTemplate("error-rate", List.of(new AnalysisTemplate.Argument("workload", null)),
        List.of(Metric.builder("error-rate", "simulated", "{{args.workload}}").interval(Duration.ofMinutes(1)).count(3)
            .successCondition("result < 0.01").build()));
    try (StateStore store = StateStore.inMemory();
         OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).logging(false).cluster(prod)
             .stateStore(store).types(TypeRegistry.builder().trait(new RolloutTrait())).build()) {
      Rollouts rollouts = Rollouts.builder().plane(plane).store(store)
          .analysis(Analysis.builder().provider(constant).build()).template(template).build();
      for (int i = 0; i < apps; i++) {
        rollouts.start(app(i, "v1"), "prod", Subject.local());
      }
      settle(rollouts, prod);
      for (int i = 0; i < apps; i++) {
        rollouts.start(app(i, "v2"), "prod", Subject.local());
      }
      long analysisNanos = 0;
      long analysisEvaluations = 0;
      long analysisProvider = 0;
      long otherNanos = 0;
      long otherTransitions = 0;
      for (int minute = 0; minute < 60; minute++) {
        for (int pass = 0; pass < 10; pass++) {
          long e0 = rollouts.evaluations();
          long tr0 = rollouts.transitions();
          long p0 = providerNanos[0];
          long t0 = System.nanoTime();
          int n = rollouts.runPending();
          long dt = System.nanoTime() - t0;
          long evaluations = rollouts.evaluations() - e0;
          long transitions = rollouts.transitions() - tr0;
          if (evaluations > 0 && evaluations == transitions) {
            analysisNanos += dt;
            analysisEvaluations += evaluations;
            analysisProvider += providerNanos[0] - p0;
          } else {
            otherNanos += dt;
            otherTransitions += transitions;
          }
          markAvailable(prod);
          if (n == 0) {
            break;
          }
        }
        if (allDone(rollouts, apps)) {
          break;
        }
        clock.advance(Duration.ofMinutes(1));
      }
      if (!allDone(rollouts, apps)) {
        throw new IllegalStateException("not every rollout finished: " + rollouts.status("bench.app-0-prod").orElseThrow().toText());
      }
      System.out.printf("round %d: %d analysis evaluations in pure rounds, %.3f ms each (provider %.4f ms, plane %.3f ms);"
              + " %d other transitions, %.3f ms each; %d evaluations in all%n", round, analysisEvaluations,
          analysisNanos / 1e6 / Math.max(1, analysisEvaluations), analysisProvider / 1e6 / Math.max(1, analysisEvaluations),
          (analysisNanos - analysisProvider) / 1e6 / Math.max(1, analysisEvaluations), otherTransitions,
          otherNanos / 1e6 / Math.max(1, otherTransitions), rollouts.evaluations());
    }
  }

  private static boolean allDone(Rollouts rollouts, int apps) {
    for (int i = 0; i < apps; i++) {
      if (rollouts.status("bench.app-" + i + "-prod").orElseThrow().stage() != RolloutStatus.Stage.DONE) {
        return false;
      }
    }
    return true;
  }

  private static void settle(Rollouts rollouts, InMemoryCluster prod) {
    for (int i = 0; i < 10; i++) {
      int n = rollouts.runPending();
      markAvailable(prod);
      if (n == 0) {
        return;
      }
    }
  }

  /** What a kubelet would report: every Deployment has all its replicas available. */
  private static void markAvailable(InMemoryCluster prod) {
    for (Resource d : prod.list(new GroupKind("apps", "Deployment"), null, Map.of())) {
      long replicas = d.at("/spec/replicas").asLong(1);
      if (d.at("/status/observedGeneration").asLong(0) == d.generation()
          && d.at("/status/availableReplicas").asLong(-1) == replicas) {
        continue;
      }
      prod.updateStatus(d.edit(t -> {
        ObjectNode s = t.putObject("status");
        s.put("observedGeneration", d.generation());
        s.put("replicas", replicas).put("updatedReplicas", replicas).put("readyReplicas", replicas)
            .put("availableReplicas", replicas);
      }));
    }
  }
}
