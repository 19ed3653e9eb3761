package io.orchestrationplane.benchmarks.converge;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.resource.ContentHash;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/**
 * Reads of the read-only trees every plan, health check and digest walks, on their own: the
 * objects a plane applies for {@code ScaleBenchmark}'s applications (Deployments, Services,
 * Ingresses, autoscalers, network policies, ConfigMaps, claims, namespaces), as the in-memory
 * cluster stores them. Four operations per object: lookups along 11 paths, equality with an equal
 * tree made apart, a walk of every field and item, and the content hash. Each is timed in the
 * CPU time of this thread (a busy machine's other work does not count), best of the rounds.
 *
 * <pre>java -cp benchmarks.jar io.orchestrationplane.benchmarks.converge.TreeReadBenchmark [apps=300] [rounds=9]</pre>
 */
public final class TreeReadBenchmark {
  private static final List<JsonPointer> PATHS = Stream.of("/kind", "/apiVersion", "/metadata/name",
      "/metadata/namespace", "/metadata/labels", "/metadata/annotations", "/spec/replicas", "/spec/selector/matchLabels",
      "/spec/template/spec/containers/0/image", "/spec/ports/0/port", "/status").map(JsonPointer::compile).toList();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static long sink;

  private TreeReadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    List<Resource> objects = objects(apps);
    List<Resource> copies = new ArrayList<>(objects.size());
    for (Resource r : objects) {
      copies.add(Resource.of(r.toJson()));
    }
    int repeat = Math.max(1, 200_000 / objects.size());
    Map<String, ToLongFunction<Integer>> ops = new java.util.LinkedHashMap<>();
    ops.put("lookups (11 paths)", i -> {
      long n = 0;
      for (Resource r : objects) {
        JsonNode tree = r.json();
        for (JsonPointer path : PATHS) {
          n += tree.at(path).isMissingNode() ? 0 : 1;
        }
      }
      return n;
    });
    ops.put("equality of equal trees", i -> {
      long n = 0;
      for (int k = 0; k < objects.size(); k++) {
        n += objects.get(k).json().equals(copies.get(k).json()) ? 1 : 0;
      }
      return n;
    });
    ops.put("walk of every field", i -> {
      long n = 0;
      for (Resource r : objects) {
        n += walk(r.json());
      }
      return n;
    });
    ops.put("content hash", i -> {
      long n = 0;
      for (Resource r : objects) {
        n += ContentHash.of(r.json()).length();
      }
      return n;
    });
    System.out.printf(Locale.ROOT, "%,d objects of %,d applications, %d rounds of %d passes, CPU of this thread, best round%n",
        objects.size(), apps, rounds, repeat);
    for (Map.Entry<String, ToLongFunction<Integer>> op : ops.entrySet()) {
      long[] perObject = new long[rounds];
      for (int round = 0; round < rounds; round++) {
        long t0 = THREADS.getCurrentThreadCpuTime();
        for (int p = 0; p < repeat; p++) {
          sink += op.getValue().applyAsLong(p);
        }
        perObject[round] = (THREADS.getCurrentThreadCpuTime() - t0) / ((long) repeat * objects.size());
      }
      long[] sorted = perObject.clone();
      Arrays.sort(sorted);
      System.out.printf(Locale.ROOT, "  %-26s %6d ns per object (median %d)%n", op.getKey(), sorted[0],
          sorted[rounds / 2]);
    }
    if (sink == 42) {
      System.out.println(); // keeps the results alive
    }
  }

  private static long walk(JsonNode node) {
    long n = 1;
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        n += e.getKey().length() + walk(e.getValue());
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        n += walk(item);
      }
    }
    return n;
  }

  /** The objects the plane applies for {@code apps} of {@code ScaleBenchmark}'s applications, as the cluster stores them. */
  private static List<Resource> objects(int apps) throws Exception {
    try (InMemoryCluster cluster = InMemoryCluster.create("bench");
        OrchestrationPlane plane = OrchestrationPlane.builder().cluster(cluster).build()) {
      Set<GroupKind> kinds = new HashSet<>();
      for (int i = 0; i < apps; i++) {
        var app = ScaleBenchmark.app(i);
        for (var change : plane.plan(app).changes()) {
          if (change.desired() != null) {
            kinds.add(change.desired().groupKind());
          }
        }
        plane.apply(app);
      }
      return cluster.list(kinds, null, Map.of());
    }
  }
}
