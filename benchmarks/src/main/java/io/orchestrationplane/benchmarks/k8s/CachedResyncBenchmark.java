package io.orchestrationplane.benchmarks.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.k8s.ClusterLimits;
import io.orchestrationplane.k8s.KubernetesCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * Converge and periodic resync of the same applications on {@link KubernetesCluster} over a
 * kubernetes-mock-server, in the same run, round after round (each round a fresh mock and plane:
 * converge, then resyncs). N applications × 5 resources (a webservice with an ingress, a worker
 * with storage), plus each application's inventory ConfigMap. Per round it prints the converge
 * time, the median of the resyncs, their ratio, the requests the resyncs sent to the API server
 * (the run fails on any), and a re-apply of every converged object straight through
 * {@code KubernetesCluster.apply} with the plane's watches running. Each round is run twice,
 * alternating: with cached reads (the default), then with {@code cachedReads(false)} as the
 * baseline of the same run ({@code -Dbaseline=false} leaves it out).
 *
 * <pre>
 * java [-Dbaseline=false] -cp benchmarks/target/benchmarks.jar io.orchestrationplane.benchmarks.k8s.CachedResyncBenchmark [apps=200] [rounds=4]
 * </pre>
 */
public final class CachedResyncBenchmark {
  private static final int RESYNCS = 7;
  private static final Duration RESYNC_PERIOD = Duration.ofMinutes(10);
  /** Whether each round also runs with {@code cachedReads(false)} (every read to the server): the baseline. */
  private static final boolean BASELINE = Boolean.parseBoolean(System.getProperty("baseline", "true"));

  private CachedResyncBenchmark() {}

  static Application app(int i) {
    return Application.builder("app").namespace("tenant-" + i)
        .component(Component.builder("web", "webservice").property("image", "acme/web:" + i)
            .trait(Trait.of("ingress", Map.of("host", "app-" + i + ".example.com"))).build())
        .component(Component.builder("jobs", "worker").property("image", "acme/jobs:" + i)
            .trait(Trait.of("storage", Map.of("name", "data", "size", "1Gi", "mountPath", "/data"))).build())
        .build();
  }

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    java.util.logging.Logger mockLog = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    mockLog.setLevel(java.util.logging.Level.WARNING);
    List<Application> all = new ArrayList<>();
    for (int i = 0; i < apps; i++) {
      all.add(app(i));
    }
    System.out.printf("%d applications x 5 resources on kubernetes-mock-server, %d rounds (round 1 is warm-up): "
        + "converge, then %d resyncs (median), then a re-apply of every object through the driver%n",
        apps, rounds, RESYNCS);
    Map<Boolean, List<Double>> ratios = Map.of(true, new ArrayList<>(), false, new ArrayList<>());
    for (int round = 1; round <= rounds; round++) {
      for (boolean cached : BASELINE ? List.of(true, false) : List.of(true)) {
        run(all, round, cached, ratios.get(cached));
      }
    }
    for (boolean cached : List.of(true, false)) {
      List<Double> r = ratios.get(cached).stream().sorted().toList();
      if (!r.isEmpty()) {
        System.out.printf("%s: median resync/converge over rounds 2-%d: %.2f%%%n",
            cached ? "cached reads" : "cachedReads(false)", rounds, r.get(r.size() / 2));
      }
    }
  }

  private static void run(List<Application> all, int round, boolean cached, List<Double> ratios) throws Exception {
    int apps = all.size();
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses), false);
    server.init();
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.url("/")).withNamespace("default").build();
    ManualClock clock = ManualClock.create();
    try (KubernetesCluster cluster = KubernetesCluster.builder("bench").config(config)
            .limits(ClusterLimits.builder().requestsPerSecond(1_000_000).build()).cachedReads(cached).build();
        Scheduler scheduler = Scheduler.manual(clock);
        OrchestrationPlane plane = OrchestrationPlane.builder().cluster(cluster).clock(clock).scheduler(scheduler)
            .readinessGates(false) // no kubelet behind the mock: nothing becomes available
            .progressDeadline(Duration.ofHours(1))
            .resyncPeriod(RESYNC_PERIOD)
            .build()) {
      plane.start();
      long t0 = System.nanoTime();
      all.forEach(plane::submit);
      if (!plane.awaitIdle(Duration.ofMinutes(10))) {
        throw new IllegalStateException("did not converge in 10 minutes");
      }
      long converge = System.nanoTime() - t0;
      long inSync = plane.statuses().values().stream().filter(s -> s.isInSync()).count();
      if (inSync != apps) {
        throw new IllegalStateException("converged " + inSync + " of " + apps + " applications");
      }
      settle(plane, server);

      int before = server.getRequestCount();
      List<Long> resyncs = new ArrayList<>();
      for (int i = 0; i < RESYNCS; i++) {
        long t1 = System.nanoTime();
        clock.advance(RESYNC_PERIOD); // the periodic resync queues every application
        plane.awaitIdle(Duration.ofMinutes(10));
        resyncs.add(System.nanoTime() - t1);
      }
      int resyncRequests = server.getRequestCount() - before;
      if (cached && resyncRequests != 0) {
        throw new IllegalStateException(resyncRequests + " requests reached the API server during the resyncs");
      }
      long resync = resyncs.stream().sorted().toList().get(RESYNCS / 2);

      // The same objects re-applied through the driver (what the earlier "resync" figure measured).
      List<Resource> objects = new ArrayList<>();
      for (Application app : all) {
        Plan plan = plane.plan(app);
        for (var change : plan.changes()) {
          if (change.desired() != null) {
            objects.add(change.desired());
          }
        }
      }
      int beforeApply = server.getRequestCount();
      long t2 = System.nanoTime();
      objects.forEach(cluster::apply);
      long reapply = System.nanoTime() - t2;
      int reapplyRequests = server.getRequestCount() - beforeApply;

      double ratio = 100.0 * resync / converge;
      if (round > 1) {
        ratios.add(ratio);
      }
      System.out.printf("round %d, %s: converge %.0f ms, resync %.2f ms (median of %d), resync/converge %.2f%%, "
          + "resync requests %d; re-apply of %d objects %.1f ms, %d requests%n", round,
          cached ? "cached reads" : "cachedReads(false)", converge / 1e6,
          resync / 1e6, RESYNCS, ratio, resyncRequests, objects.size(), reapply / 1e6, reapplyRequests);
    } finally {
      server.destroy();
    }
  }

  /** Waits until the watch events of the converge's own writes have been reconciled and no request comes. */
  private static void settle(OrchestrationPlane plane, KubernetesMockServer server) throws InterruptedException {
    int last = -1;
    while (true) {
      plane.awaitIdle(Duration.ofMinutes(10));
      int now = server.getRequestCount();
      if (now == last) {
        return;
      }
      last = now;
      Thread.sleep(500);
    }
  }
}
