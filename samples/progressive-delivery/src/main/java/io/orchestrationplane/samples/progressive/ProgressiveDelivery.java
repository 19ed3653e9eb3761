package io.orchestrationplane.samples.progressive;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.render.TypeRegistry;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.delivery.analysis.Analysis;
import io.orchestrationplane.delivery.analysis.AnalysisTemplate;
import io.orchestrationplane.delivery.analysis.MetricValue;
import io.orchestrationplane.delivery.rollout.RolloutStatus;
import io.orchestrationplane.delivery.rollout.RolloutTrait;
import io.orchestrationplane.delivery.rollout.Rollouts;
import io.orchestrationplane.testkit.delivery.SimulatedMetricProvider;
import io.orchestrationplane.testkit.simulator.WorkloadSimulator;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Canary releases of a shop's api on an in-memory prod cluster with a simulated kubelet, a fake
 * clock and the testkit's simulated metric provider, its error rate scripted per release: release 1.4.1
 * goes 10% → 50% → 100% and becomes stable; release 1.5.0 fails its first analysis at 10% and is
 * rolled back (traffic to stable, canary removed). Each step is printed.
 */
public final class ProgressiveDelivery {
  static final String ID = "shop.shop-prod";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  /** The analysis: the canary's error rate, measured twice a minute apart, must stay under 1%. */
  static final String TEMPLATE = """
      apiVersion: orchestrationplane.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: error-rate}
      spec:
        args: [{name: workload}]
        metrics:
          - name: error-rate
            interval: 1m
            count: 2
            successCondition: result < 0.01
            provider:
              simulated:
                query: "{{args.workload}}"
      """;

  private ProgressiveDelivery() {}

  public static void main(String[] args) {
    run(System.out);
    System.out.println();
    WaveRolloutDemo.run(System.out);
  }

  /** The shop with its api rolled out as a canary in prod over an HTTPRoute. */
  static Application shop(String version) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "webservice").property("image", "ghcr.io/acme/shop-api:" + version)
            .property("port", 8080).property("replicas", 4)
            .trait(Trait.of(RolloutTrait.NAME, Map.of(
                "environment", "prod",
                "canary", Map.of("steps", List.of(
                    Map.of("setWeight", 10),
                    Map.of("pause", Map.of("duration", "2m")),
                    Map.of("analysis", Map.of("templateName", "error-rate", "args", Map.of("workload", "api-canary"))),
                    Map.of("setWeight", 50),
                    Map.of("pause", Map.of("duration", "2m")),
                    Map.of("analysis", Map.of("templateName", "error-rate", "args", Map.of("workload", "api-canary"))),
                    Map.of("setWeight", 100))),
                "traffic", Map.of("gatewayApi", Map.of("gateway", "shop-gw", "namespace", "infra",
                    "hostnames", List.of("shop.example.com"))))))
            .build())
        .environment(Environment.builder("prod").namespace("shop-prod").clusters("prod").build())
        .build();
  }

  /** Runs the demo, printing to {@code out}; returns the two rollouts' final statuses (good, bad). */
  public static List<RolloutStatus> run(PrintStream out) {
    ManualClock clock = ManualClock.at(Instant.parse("2026-03-02T10:00:00Z"));
    InMemoryCluster prod = InMemoryCluster.builder("prod").clock(clock).build();
    WorkloadSimulator kubelet = WorkloadSimulator.builder(prod, clock).build().start();
    // the testkit's simulated provider: the error rate each release's canary shows is scripted below
    SimulatedMetricProvider simulated = SimulatedMetricProvider.create(clock);
    List<RolloutStatus> results = new ArrayList<>();
    try (StateStore store = StateStore.inMemory();
         OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).logging(false).cluster(prod)
             .stateStore(store).types(TypeRegistry.builder().trait(new RolloutTrait())).build()) {
      Rollouts rollouts = Rollouts.builder().plane(plane).store(store)
          .analysis(Analysis.builder().provider(simulated).build())
          .template(AnalysisTemplate.fromYaml(TEMPLATE)).build();
      Subject dana = Subject.of("dana");
      Printer p = new Printer(out, clock, rollouts, prod);

      out.println("== release 1.4.0: nothing runs yet, so it is applied at once");
      rollouts.start(shop("1.4.0"), "prod", dana);
      p.drive(kubelet, Duration.ofMinutes(5));

      out.println();
      out.println("== release 1.4.1 (error rate 0.3%): canary 10% -> 50% -> 100%");
      out.print(rollouts.preview(shop("1.4.1"), "prod").toText().lines().takeWhile(l -> !l.startsWith("First step"))
          .map(l -> "   " + l + System.lineSeparator()).reduce("", String::concat));
      simulated.set("api-canary", MetricValue.scalar(0.003));
      rollouts.start(shop("1.4.1"), "prod", dana);
      p.drive(kubelet, Duration.ofMinutes(20));
      results.add(rollouts.status(ID).orElseThrow());
      out.println("   -> " + results.get(0).phase() + ": " + results.get(0).message() + "; stable runs "
          + p.image("api"));

      out.println();
      out.println("== release 1.5.0 (error rate 7%): aborted by its analysis");
      simulated.set("api-canary", MetricValue.scalar(0.07));
      rollouts.start(shop("1.5.0"), "prod", dana);
      p.drive(kubelet, Duration.ofMinutes(20));
      RolloutStatus bad = rollouts.status(ID).orElseThrow();
      results.add(bad);
      out.println("   -> " + bad.phase() + ": " + bad.message());
      out.println("   stable runs " + p.image("api") + "; canary " + (p.exists("api-canary") ? "still there" : "removed")
          + "; route " + p.weights());
    } finally {
      kubelet.close();
    }
    return results;
  }

  /** Drives the rollouts minute by minute, printing every change of step, weight or message. */
  private static final class Printer {
    private final PrintStream out;
    private final ManualClock clock;
    private final Rollouts rollouts;
    private final InMemoryCluster prod;
    private String last = "";

    Printer(PrintStream out, ManualClock clock, Rollouts rollouts, InMemoryCluster prod) {
      this.out = out;
      this.clock = clock;
      this.rollouts = rollouts;
      this.prod = prod;
    }

    void drive(WorkloadSimulator kubelet, Duration span) {
      Instant end = clock.instant().plus(span);
      while (clock.instant().isBefore(end)) {
        for (int i = 0; i < 20; i++) {
          kubelet.runUntilIdle();
          int n = rollouts.runPending();
          print();
          if (n == 0) {
            break;
          }
        }
        RolloutStatus s = rollouts.status(ID).orElseThrow();
        if (s.stage() == RolloutStatus.Stage.DONE || s.stage() == RolloutStatus.Stage.ABORTED) {
          return;
        }
        clock.advance(Duration.ofSeconds(30));
      }
    }

    private void print() {
      RolloutStatus s = rollouts.status(ID).orElseThrow();
      String line = s.stage() + (s.stage() == RolloutStatus.Stage.STEPS ? " step " + (s.step() + 1) + "/" + s.steps().size()
          : "") + ", weight " + s.weight() + "%, route " + weights() + (s.message().isEmpty() ? "" : ": " + s.message());
      if (!line.equals(last)) {
        out.println(TIME.format(clock.instant()) + "  " + line);
        last = line;
      }
    }

    String weights() {
      return prod.get(ResourceKey.of("prod", "gateway.networking.k8s.io", "HTTPRoute", "shop-prod", "api-route"))
          .map(ProgressiveDelivery::weights).orElse("none");
    }

    String image(String deployment) {
      return prod.get(ResourceKey.of("prod", "apps", "Deployment", "shop-prod", deployment))
          .map(d -> d.at("/spec/template/spec/containers/0/image").asString()).orElse("none");
    }

    boolean exists(String deployment) {
      return prod.get(ResourceKey.of("prod", "apps", "Deployment", "shop-prod", deployment)).isPresent();
    }
  }

  static String weights(Resource route) {
    List<String> parts = new ArrayList<>();
    route.at("/spec/rules/0/backendRefs").forEach(b -> parts.add(b.path("name").asString() + "=" + b.path("weight").asInt()));
    return String.join(" ", parts);
  }
}
