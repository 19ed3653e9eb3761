package io.orchestrationplane.samples.quickstart;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.time.ManualClock;
import java.io.PrintStream;
import java.util.Map;

/**
 * The README's demo: a three-component shop on two in-memory clusters. Plans, applies, changes
 * one property, removes a component, and prints every plan on the way. No cluster needed.
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
    try (OrchestrationPlane plane = OrchestrationPlane.builder()
        .clock(clock)
        .cluster(staging, Map.of("tier", "staging"))
        .cluster(prod, Map.of("tier", "prod"))
        .build()) {

      Application shop = shop(3);
      section(out, "1. The application, as YAML");
      out.print(io.orchestrationplane.core.model.ApplicationCodec.encodeYaml(shop));

      section(out, "2. Plan against two empty clusters");
      Plan first = plane.plan(shop);
      out.print(first.toText());
      ExecutionResult applied = plane.apply(first);
      out.println("=> " + applied);

      section(out, "3. Scale the api in prod from 3 to 5 replicas: a one-change plan");
      Application scaled = shop(5);
      out.print(plane.plan(scaled).toText());
      out.println("=> " + plane.apply(scaled));

      section(out, "4. Remove the migration job: the plan prunes it from both clusters");
      Application withoutJob = scaled.toBuilder().removeComponent("migrate").build();
      Plan prune = plane.plan(withoutJob);
      out.print(prune.toText());
      out.println("=> " + plane.apply(prune));

      section(out, "5. Status after the last apply");
      String status = plane.status(withoutJob).toText();
      out.print(status);
      out.println();
      out.println("staging holds " + staging.size() + " objects, prod holds " + prod.size() + " objects.");
      return status;
    }
  }

  /** The shop: a frontend with an ingress, an api, and a migration job. */
  static Application shop(int prodApiReplicas) {
    return Application.builder("shop")
        .namespace("shop")
        .label("team", "payments")
        .component(Component.builder("frontend", "webservice")
            .property("image", "ghcr.io/acme/shop-frontend:2.3.0")
            .property("port", 8080)
            .trait(Trait.of("ingress", Map.of("host", "shop.example.com")))
            .dependsOn("api")
            .build())
        .component(Component.builder("api", "webservice")
            .property("image", "ghcr.io/acme/shop-api:1.4.2")
            .property("port", 9000)
            .trait(Trait.of("env", Map.of("env", Map.of("LOG_LEVEL", "info"))))
            .build())
        .component(Component.builder("migrate", "job")
            .property("image", "ghcr.io/acme/shop-api:1.4.2")
            .property("cmd", java.util.List.of("/app/migrate", "--to=latest"))
            .build())
        .environment(Environment.builder("staging")
            .namespace("shop-staging")
            .clusters("staging")
            .override("api", Map.of("replicas", 1))
            .override("frontend", Map.of("replicas", 1))
            .build())
        .environment(Environment.builder("prod")
            .namespace("shop-prod")
            .clusters("prod")
            .override("api", Map.of("replicas", prodApiReplicas))
            .override("frontend", Map.of("replicas", 2))
            .build())
        .build();
  }

  private static void section(PrintStream out, String title) {
    out.println();
    out.println("== " + title + " ==");
  }
}
