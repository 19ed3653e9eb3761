package io.orchestrationplane.samples.release;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.delivery.Delivery;
import io.orchestrationplane.delivery.Release;
import io.orchestrationplane.delivery.ReleaseStatus;
import io.orchestrationplane.delivery.Workflow;
import io.orchestrationplane.testkit.delivery.DeliveryDriver;
import io.orchestrationplane.testkit.simulator.Fault;
import io.orchestrationplane.testkit.simulator.WorkloadSimulator;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * A shop promoted dev → staging → prod by a delivery workflow, on three in-memory clusters whose
 * workloads a simulated kubelet runs, on a fake clock (simulated hours pass in a second):
 * <ol>
 *   <li>release 1 goes to dev, soaks 10 minutes, is promoted to staging, waits for two approvals,
 *       soaks in staging, waits for prod's change window (weekdays 09:00-16:00 Berlin) and goes
 *       to prod;</li>
 *   <li>release 2 ships an api image that crash-loops in prod: prod's health check times out and
 *       the workflow rolls prod back to release 1 on its own.</li>
 * </ol>
 */
public final class ReleaseWorkflow {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE HH:mm").withZone(BERLIN);
  private static final String BROKEN = "ghcr.io/acme/shop-api:1.5.0";

  /** The workflow, in its YAML form (Workflow.fromYaml validates it with lines and columns). */
  static final String WORKFLOW = """
      apiVersion: orchestrationplane.io/v1alpha1
      kind: Workflow
      metadata: {name: shop-release}
      spec:
        windows:
          - {kind: allow, environments: [prod], schedule: "0 9 * * MON-FRI", duration: 7h, timeZone: Europe/Berlin}
          - {kind: deny, environments: [prod], schedule: "0 0 20 12 *", duration: 13d, timeZone: Europe/Berlin}
        steps:
          - {name: deploy-dev, type: apply, properties: {environment: dev}}
          - name: dev-healthy
            type: check
            retries: 20
            retryDelay: 30s
            properties: {environment: dev, expression: "status.phase == 'READY' && status.health == 'HEALTHY'"}
          - {name: to-staging, type: promote, properties: {from: dev, to: staging, soak: 10m}}
          - name: approve-prod
            type: approval
            timeout: 24h
            properties: {required: 2, approvers: [alice, bob, carol]}
          - {name: to-prod, type: promote, properties: {from: staging, to: prod, soak: 10m}}
          - name: prod-healthy
            type: wait-healthy
            timeout: 5m
            onFailure: rollback
            properties: {environment: prod, soak: 2m}
      """;

  private ReleaseWorkflow() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** Runs the demo, writing to {@code out}; returns the final release status. */
  public static ReleaseStatus run(PrintStream out) {
    ManualClock clock = ManualClock.at(Instant.parse("2026-03-02T15:30:00Z")); // Monday 16:30 in Berlin
    InMemoryCluster dev = InMemoryCluster.builder("dev").clock(clock).build();
    InMemoryCluster staging = InMemoryCluster.builder("staging").clock(clock).build();
    InMemoryCluster prod = InMemoryCluster.builder("prod").clock(clock).build();
    List<WorkloadSimulator> kubelets = List.of(
        WorkloadSimulator.builder(dev, clock).build().start(),
        WorkloadSimulator.builder(staging, clock).build().start(),
        WorkloadSimulator.builder(prod, clock).failImage(BROKEN, Fault.CRASH_LOOP).build().start());
    try (StateStore store = StateStore.inMemory();
        OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).logging(false)
            .cluster(dev).cluster(staging).cluster(prod).stateStore(store).build()) {
      Workflow workflow = Workflow.fromYaml(WORKFLOW);
      Delivery delivery = Delivery.builder().plane(plane).store(store).identity("release-demo").build();
      DeliveryDriver driver = DeliveryDriver.of(delivery, clock)
          .settleWith(() -> kubelets.forEach(WorkloadSimulator::runUntilIdle));
      Log log = new Log(out, clock, delivery);

      log.section("Release 1: shop-api 1.4.2, by dana");
      Release one = delivery.start(shop("ghcr.io/acme/shop-api:1.4.2"), workflow, Subject.of("dana"),
          Origin.git("https://git.example.com/acme/shop.git", "3f9c2a1", "deploy/shop.yaml"));
      log.line("started " + one);
      driver.run();
      log.progress();
      driver.advanceThrough(Duration.ofMinutes(12));
      log.progress();
      log.line("dana tries to approve her own release: " + refusal(() -> delivery.approve("shop.shop", "approve-prod",
          Subject.of("dana"), "lgtm")));
      delivery.approve("shop.shop", "approve-prod", one.digest(), Subject.of("alice"), "staging looks good");
      log.line("alice approves");
      delivery.approve("shop.shop", "approve-prod", one.digest(), Subject.of("bob"), "ship it");
      log.line("bob approves");
      driver.advanceThrough(Duration.ofMinutes(15));
      log.progress();
      out.print(indent(delivery.status("shop.shop").toText()));
      driver.advanceToWindow("shop.shop");
      log.line("prod's change window opened");
      driver.advanceThrough(Duration.ofMinutes(3));
      log.progress();

      log.section("Release 2: shop-api 1.5.0, which crash-loops in prod");
      Release two = delivery.start(shop(BROKEN), workflow, Subject.of("dana"), Origin.git(
          "https://git.example.com/acme/shop.git", "9b41e07", "deploy/shop.yaml"));
      log.line("started " + two);
      driver.advanceThrough(Duration.ofMinutes(12));
      log.progress();
      delivery.approve("shop.shop", "approve-prod", two.digest(), Subject.of("alice"), "ok");
      delivery.approve("shop.shop", "approve-prod", two.digest(), Subject.of("carol"), "ok");
      log.line("alice and carol approve");
      driver.advanceThrough(Duration.ofMinutes(12));
      log.progress();
      driver.advanceThrough(Duration.ofMinutes(6));
      log.progress();
      ReleaseStatus status = delivery.status("shop.shop");
      out.print(indent(status.toText()));
      String image = prod.get(new ResourceKey("prod", "apps", "Deployment", "shop-prod", "api")).orElseThrow()
          .json().path("spec").path("template").path("spec").path("containers").get(0).path("image").asString();
      log.line("prod runs " + image + " again; plane history of shop.shop-prod:");
      plane.history("shop.shop-prod").forEach(r -> out.println("    " + r.describe()));
      return status;
    } finally {
      kubelets.forEach(WorkloadSimulator::close);
    }
  }

  /** The shop: a frontend that depends on an api, in dev, staging and prod. */
  static Application shop(String apiImage) {
    Application.Builder app = Application.builder("shop").namespace("shop")
        .component(Component.builder("frontend", "webservice")
            .property("image", "ghcr.io/acme/shop-frontend:2.3.0").property("port", 8080)
            .trait(Trait.of("ingress", Map.of("host", "shop.example.com")))
            .dependsOn("api").build())
        .component(Component.builder("api", "webservice").property("image", apiImage).property("port", 9000).build());
    for (String env : List.of("dev", "staging", "prod")) {
      app.environment(Environment.builder(env).namespace("shop-" + env).clusters(env)
          .override("api", Map.of("replicas", env.equals("prod") ? 3 : 1)).build());
    }
    return app.build();
  }

  private static String refusal(Runnable action) {
    try {
      action.run();
      return "accepted";
    } catch (RuntimeException e) {
      return "refused (" + e.getMessage() + ")";
    }
  }

  private static String indent(String text) {
    return text.lines().map(l -> "    " + l + "\n").reduce("", String::concat);
  }

  /** Prints each step's change once, stamped with the fake clock's time in Berlin. */
  private static final class Log {
    private final PrintStream out;
    private final ManualClock clock;
    private final Delivery delivery;
    private final java.util.Map<String, String> seen = new java.util.HashMap<>();

    Log(PrintStream out, ManualClock clock, Delivery delivery) {
      this.out = out;
      this.clock = clock;
      this.delivery = delivery;
    }

    void section(String title) {
      out.println();
      out.println("== " + title + " ==");
    }

    void line(String text) {
      out.println(TIME.format(clock.instant()) + "  " + text);
    }

    void progress() {
      ReleaseStatus status = delivery.status("shop.shop");
      status.run().ifPresent(run -> {
        for (ReleaseStatus.StepStatus s : run.steps()) {
          String key = run.number() + "/" + s.name();
          String now = s.phase() + ": " + s.message();
          if (!now.equals(seen.put(key, now)) && s.phase() != ReleaseStatus.StepPhase.PENDING) {
            line(String.format("%-13s %-9s %s", s.name(), s.phase(), s.message()));
          }
        }
        String key = run.number() + "/run";
        String now = run.phase() + run.message();
        if (!now.equals(seen.put(key, now)) && run.phase().finished()) {
          line("run " + run.number() + " " + run.phase() + ": " + run.message());
        }
      });
    }
  }
}
