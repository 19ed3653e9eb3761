package io.orchestrationplane.samples.quickstart;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.ApplicationCodec;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Condition;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.testkit.simulator.Fault;
import io.orchestrationplane.testkit.simulator.WorkloadSimulator;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The README's demo: a three-component shop on two in-memory clusters, with the workload
 * simulator playing each cluster's controllers on a simulated clock. Plans, applies (the frontend
 * waits until the api it depends on is healthy), changes one property, prunes a component, then
 * hands the application to continuous mode and ships a broken image, which ends DEGRADED with
 * its reason. No cluster and no real waiting: simulated minutes pass in milliseconds.
 */
public final class QuickStart {
  private QuickStart() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** Runs the demo, writing to {@code out}; returns the final status text. */
  public static String run(PrintStream out) {
    ManualClock clock = ManualClock.create();
    InMemoryCluster staging = InMemoryCluster.builder("staging").clock(clock).build();
    InMemoryCluster prod = InMemoryCluster.builder("prod").clock(clock).build();
    List<WorkloadSimulator> kubelets = List.of(
        WorkloadSimulator.builder(staging, clock).failImage("ghcr.io/acme/shop-api:1.5.0-broken", Fault.CRASH_LOOP).build().start(),
        WorkloadSimulator.builder(prod, clock).build().start());
    try (Scheduler scheduler = Scheduler.manual(clock);
        OrchestrationPlane plane = OrchestrationPlane.builder()
            .clock(clock)
            .scheduler(scheduler)
            .workers(0)
            .cluster(staging, Map.of("tier", "staging"))
            .cluster(prod, Map.of("tier", "prod"))
            .build()) {

      Application shop = shop("ghcr.io/acme/shop-api:1.4.2", 3, true);
      section(out, "1. The application, as YAML");
      out.print(ApplicationCodec.encodeYaml(shop));

      section(out, "2. Plan against two empty clusters, then apply");
      Plan first = plane.plan(shop);
      out.print(first.toText());
      ExecutionResult applied = plane.apply(first);
      out.println("=> " + applied);
      for (Outcome waiting : applied.waiting()) {
        out.println("   " + waiting.change().key().cluster() + " " + waiting.change().key().display() + " "
            + waiting.message());
      }

      section(out, "3. A simulated minute later the api is healthy; applying again rolls out the frontend");
      settle(kubelets, Duration.ofMinutes(1));
      out.println("=> " + plane.apply(shop));
      settle(kubelets, Duration.ofMinutes(1));
      out.print(plane.status(shop).toText());

      section(out, "4. Scale the api in prod from 3 to 5 replicas: a one-change plan");
      Application scaled = shop("ghcr.io/acme/shop-api:1.4.2", 5, true);
      out.print(plane.plan(scaled).toText());
      out.println("=> " + plane.apply(scaled));
      settle(kubelets, Duration.ofMinutes(1));

      section(out, "5. Remove the migration job: the plan prunes it from both clusters");
      Application withoutJob = shop("ghcr.io/acme/shop-api:1.4.2", 5, false);
      Plan prune = plane.plan(withoutJob);
      out.print(prune.toText());
      out.println("=> " + plane.apply(prune));

      section(out, "6. Continuous mode: ship an api image that crash-loops in staging");
      plane.start();
      Application broken = withoutJob.toBuilder()
          .environment(staging(withoutJob, "ghcr.io/acme/shop-api:1.5.0-broken"))
          .build();
      plane.submit(broken);
      plane.runPending();
      out.println("just after the rollout: " + headline(plane.status(broken)));
      for (int minutes = 4; minutes <= 12; minutes += 4) {
        settle(kubelets, Duration.ofMinutes(4));
        plane.runPending();
        out.println(minutes + " simulated minutes later: " + headline(plane.status(broken)));
      }
      ApplicationStatus last = plane.status(broken);
      out.print(last.toText());
      out.println();
      out.println("staging holds " + staging.size() + " objects (pods included), prod holds " + prod.size() + ".");
      return last.toText();
    } finally {
      kubelets.forEach(WorkloadSimulator::close);
    }
  }

  /** The shop: a frontend with an ingress, an api, and (optionally) a migration job. */
  static Application shop(String apiImage, int prodApiReplicas, boolean withMigration) {
    Application.Builder app = Application.builder("shop")
        .namespace("shop")
        .label("team", "payments")
        .component(Component.builder("frontend", "webservice")
            .property("image", "ghcr.io/acme/shop-frontend:2.3.0")
            .property("port", 8080)
            .trait(Trait.of("ingress", Map.of("host", "shop.example.com")))
            .dependsOn("api")
            .build())
        .component(Component.builder("api", "webservice")
            .property("image", apiImage)
            .property("port", 9000)
            .trait(Trait.of("env", Map.of("env", Map.of("LOG_LEVEL", "info"))))
            .build());
    if (withMigration) {
      app.component(Component.builder("migrate", "job")
          .property("image", apiImage)
          .property("cmd", List.of("/app/migrate", "--to=latest"))
          .build());
    }
    Application base = app.environment(Environment.builder("prod")
            .namespace("shop-prod")
            .clusters("prod")
            .override("api", Map.of("replicas", prodApiReplicas))
            .override("frontend", Map.of("replicas", 2))
            .build())
        .build();
    return base.toBuilder().environment(staging(base, null)).build();
  }

  /** Staging: one replica each, optionally another api image. */
  private static Environment staging(Application app, @Nullable String apiImage) {
    Environment.Builder env = Environment.builder("staging").namespace("shop-staging").clusters("staging")
        .override("frontend", Map.of("replicas", 1));
    env.override("api", apiImage == null ? Map.of("replicas", 1) : Map.of("replicas", 1, "image", apiImage));
    return env.build();
  }

  private static void settle(List<WorkloadSimulator> kubelets, Duration time) {
    // one simulator drives the shared clock; the other reacts to the same advances
    kubelets.get(0).advance(time);
    kubelets.forEach(WorkloadSimulator::runUntilIdle);
  }

  /** The phase and the condition that explains it (Degraded when it holds, else Ready). */
  private static String headline(ApplicationStatus status) {
    var why = status.condition(Condition.DEGRADED).filter(Condition::isTrue)
        .or(() -> status.condition(Condition.READY)).orElseThrow();
    return status.phase() + " (" + why.type() + "=" + why.state() + ", " + why.reason()
        + (why.message().isEmpty() ? "" : ": " + why.message()) + ")";
  }

  private static void section(PrintStream out, String title) {
    out.println();
    out.println("== " + title + " ==");
  }
}
