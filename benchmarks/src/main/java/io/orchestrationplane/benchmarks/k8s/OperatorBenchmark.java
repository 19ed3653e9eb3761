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
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.k8s.ApplicationCrd;
import io.orchestrationplane.k8s.ApplicationOperator;
import io.orchestrationplane.k8s.ClusterLimits;
import io.orchestrationplane.k8s.KubernetesCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.locks.LockSupport;

/**
 * Operator mode on kubernetes-mock-server: {@code count} Application objects, each rendering one
 * ConfigMap, are created while the plane runs; the figure is the time until every ConfigMap
 * exists (objects/s counts the Application objects). The same workload as the Java Operator SDK
 * comparison in docs/benchmarks.md, runnable side by side with it:
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.orchestrationplane.benchmarks.k8s.OperatorBenchmark [count=500] [rounds=5]
 * </pre>
 */
public final class OperatorBenchmark {
  private OperatorBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    java.util.logging.Logger mockLog = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    mockLog.setLevel(java.util.logging.Level.WARNING);
    List<Long> times = new ArrayList<>();
    System.out.printf("operator mode: %d Application objects -> %d ConfigMaps, %d rounds%n", count, count, rounds);
    for (int round = 1; round <= rounds; round++) {
      long ms = round(count);
      times.add(ms);
      System.out.printf("round %d: %d ms, %.0f objects/s%n", round, ms, count / (ms / 1000.0));
    }
    List<Long> sorted = times.stream().sorted().toList();
    long median = sorted.get(sorted.size() / 2);
    System.out.printf("median: %d ms, %.0f objects/s%n", median, count / (median / 1000.0));
  }

  private static long round(int count) throws Exception {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses), false);
    server.init();
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.url("/")).withNamespace("default").build();
    // No client-side rate limit: the peer it is compared with has none either.
    ClusterLimits limits = ClusterLimits.builder().requestsPerSecond(100_000).build();
    try (KubernetesCluster ops = KubernetesCluster.builder("ops").config(config).limits(limits).build();
        OrchestrationPlane plane = OrchestrationPlane.builder().cluster(ops).build();
        ApplicationOperator operator = ApplicationOperator.builder(plane, ops).build()) {
      ops.apply(ApplicationCrd.definition());
      operator.start();
      plane.start();
      GroupKind configMaps = new GroupKind("", "ConfigMap");
      int before = server.getRequestCount();
      long t0 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        ops.apply(Resource.fromYaml("""
            apiVersion: orchestrationplane.io/v1alpha1
            kind: Application
            metadata: {name: app-%d, namespace: bench}
            spec:
              components:
                - name: config
                  type: k8s-objects
                  properties:
                    objects:
                      - apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: config-%d}
                        data: {index: "%d"}
            """.formatted(i, i, i)));
      }
      // the plane's inventory ConfigMaps (one per application) live there too: count only the rendered ones
      while (ops.list(configMaps, "bench", Map.of()).stream().filter(c -> c.name().startsWith("config-")).count() < count) {
        if (System.nanoTime() - t0 > Duration.ofMinutes(5).toNanos()) {
          throw new IllegalStateException("not converged after 5 minutes");
        }
        LockSupport.parkNanos(5_000_000L);
      }
      long elapsed = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf("  %.1f API requests per Application (creates included)%n",
          (server.getRequestCount() - before) / (double) count);
      return elapsed;
    } finally {
      server.destroy();
    }
  }
}
