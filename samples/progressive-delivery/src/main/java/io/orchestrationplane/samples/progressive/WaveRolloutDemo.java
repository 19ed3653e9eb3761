package io.orchestrationplane.samples.progressive;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.ClusterRegistry;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.delivery.wave.WaveProgress;
import io.orchestrationplane.delivery.wave.WaveRollout;
import io.orchestrationplane.delivery.wave.WaveStrategy;
import io.orchestrationplane.testkit.simulator.Fault;
import io.orchestrationplane.testkit.simulator.WorkloadSimulator;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shop rolled out to six clusters in waves, on in-memory clusters whose workloads a simulated
 * kubelet runs, on a fake clock:
 * <ol>
 *   <li>release 1.0 goes to the canary cluster, is healthy for 5 minutes, then to the two eu
 *       clusters, then to the three us clusters;</li>
 *   <li>release 2.0 crash-loops in eu: the canary takes it, the eu wave misses its 8-minute
 *       progress deadline, the rollout stops, and the us clusters keep running 1.0, never
 *       written.</li>
 * </ol>
 */
public final class WaveRolloutDemo {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
  private static final String GOOD = "ghcr.io/acme/shop-api:1.0";
  private static final String BROKEN = "ghcr.io/acme/shop-api:2.0";

  private WaveRolloutDemo() {}

  /** Runs the demo, printing each step to {@code out}; returns the progress of the second rollout. */
  public static WaveProgress run(PrintStream out) {
    ManualClock clock = ManualClock.at(Instant.parse("2026-12-03T09:00:00Z"));
    Map<String, String> regions = new LinkedHashMap<>();
    regions.put("canary-1", "canary");
    regions.put("eu-1", "eu");
    regions.put("eu-2", "eu");
    regions.put("us-1", "us");
    regions.put("us-2", "us");
    regions.put("us-3", "us");
    Map<String, InMemoryCluster> clusters = new LinkedHashMap<>();
    List<WorkloadSimulator> kubelets = new ArrayList<>();
    ClusterRegistry.Builder registry = ClusterRegistry.builder();
    regions.forEach((name, region) -> {
      InMemoryCluster c = InMemoryCluster.builder(name).clock(clock).build();
      clusters.put(name, c);
      WorkloadSimulator.Builder sim = WorkloadSimulator.builder(c, clock);
      if (region.equals("eu")) {
        sim.failImage(BROKEN, Fault.CRASH_LOOP); // 2.0 cannot start there
      }
      kubelets.add(sim.build().start());
      registry.add(c, Map.of("region", region));
    });
    ClusterRegistry fleet = registry.build();
    WaveStrategy strategy = WaveStrategy.builder().groupByLabel("region", "canary", "eu", "us")
        .maxFailures("0").minSuccessTime(Duration.ofMinutes(5)).progressDeadline(Duration.ofMinutes(8)).build();
    try (StateStore store = StateStore.inMemory()) {
      WaveRollout waves = WaveRollout.builder().strategy(strategy).store(store).clock(clock).clusters(fleet).build();
      try (OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).logging(false).clusters(fleet)
          .stateStore(store).executionStrategy(waves).build()) {
        Log log = new Log(out, clock, clusters);
        out.println("Six clusters: " + regions);
        out.println("Strategy: " + strategy);

        log.section("Release 1.0");
        WaveProgress first = rollOut(plane, waves, shop(GOOD), clock, kubelets, log);
        log.images();

        log.section("Release 2.0, which crash-loops in eu");
        WaveProgress second = rollOut(plane, waves, shop(BROKEN), clock, kubelets, log);
        out.print(indent(second.toText()));
        log.images();
        log.line("release 1.0 rolled out " + first.state() + "; release 2.0 " + second.state()
            + ": the us clusters were never written and still run " + GOOD);
        return second;
      }
    } finally {
      kubelets.forEach(WorkloadSimulator::close);
    }
  }

  /** One pass a minute (the plane's apply) until the rollout completes or stops. */
  private static WaveProgress rollOut(OrchestrationPlane plane, WaveRollout waves, Application app, ManualClock clock,
      List<WorkloadSimulator> kubelets, Log log) {
    for (int minute = 0; minute < 120; minute++) {
      plane.apply(app);
      kubelets.forEach(WorkloadSimulator::runUntilIdle);
      WaveProgress p = waves.progress(app.id()).orElseThrow();
      log.progress(p);
      if (p.state() != WaveProgress.State.ROLLING_OUT) {
        return p;
      }
      clock.advance(Duration.ofMinutes(1));
    }
    throw new IllegalStateException("the rollout did not finish in two simulated hours");
  }

  /** The shop's api: one Deployment per cluster. */
  static Application shop(String image) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "worker").property("image", image).property("replicas", 2).build())
        .build();
  }

  private static String indent(String text) {
    return text.lines().map(l -> "    " + l + "\n").reduce("", String::concat);
  }

  /** Prints what changed in the progress, stamped with the fake clock's time. */
  private static final class Log {
    private final PrintStream out;
    private final ManualClock clock;
    private final Map<String, InMemoryCluster> clusters;
    private final Map<String, String> seen = new LinkedHashMap<>();
    private String state = "";

    Log(PrintStream out, ManualClock clock, Map<String, InMemoryCluster> clusters) {
      this.out = out;
      this.clock = clock;
      this.clusters = clusters;
    }

    void section(String title) {
      out.println();
      out.println("== " + title + " ==");
      seen.clear();
      state = "";
    }

    void line(String text) {
      out.println(TIME.format(clock.instant()) + "  " + text);
    }

    void progress(WaveProgress p) {
      String now = p.state() + " " + (p.currentWave() + 1);
      if (!now.equals(state)) {
        state = now;
        line(switch (p.state()) {
          case ROLLING_OUT -> "wave " + (p.currentWave() + 1) + " of " + p.waves() + " rolling out";
          case COMPLETE -> "rollout complete";
          case STOPPED -> "rollout STOPPED: " + p.reason();
        });
      }
      for (WaveProgress.ClusterProgress c : p.clusters()) {
        String phase = c.phase().name();
        if (!phase.equals(seen.put(c.cluster(), phase)) && c.phase() != WaveProgress.Phase.PENDING) {
          line("  " + c.cluster() + " (" + c.group() + "): " + phase
              + (c.message().isEmpty() || c.phase() == WaveProgress.Phase.PROGRESSING ? "" : " - " + c.message()));
        }
      }
    }

    void images() {
      StringBuilder sb = new StringBuilder("images:");
      clusters.forEach((name, c) -> sb.append(' ').append(name).append('=').append(
          c.get(ResourceKey.of(name, "apps", "Deployment", "shop", "api"))
              .map(d -> d.at("/spec/template/spec/containers/0/image").asString().replace("ghcr.io/acme/", ""))
              .orElse("-")));
      line(sb.toString());
    }
  }
}
