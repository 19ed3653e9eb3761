package io.orchestrationplane.benchmarks.plan;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.plan.Planner;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.databind.JsonNode;

/**
 * Plan time for 10,000 resources (1,000 applications × 10) against an identical live state and
 * against an empty cluster, beside the floor: Jackson comparing the same desired trees for
 * equality with deep copies of themselves. Scores are microseconds per resource.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(PlanBenchmark.RESOURCES)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PlanBenchmark {
  static final int APPS = 1_000;
  static final int RESOURCES = APPS * 10;

  private final Planner planner = new Planner(io.orchestrationplane.core.kind.KindCatalog.defaults());
  private final List<String> ids = new ArrayList<>();
  private final List<List<Resource>> desired = new ArrayList<>();
  private final List<JsonNode[]> equalityPairs = new ArrayList<>();
  private final List<Application> applications = new ArrayList<>();
  private InMemoryCluster converged;
  private InMemoryCluster stored;
  private InMemoryCluster empty;
  private OrchestrationPlane convergedPlane;
  private final Set<GroupKind> kinds = Set.of(new GroupKind("apps", "Deployment"), new GroupKind("", "Service"),
      new GroupKind("networking.k8s.io", "Ingress"), new GroupKind("autoscaling", "HorizontalPodAutoscaler"),
      new GroupKind("", "PersistentVolumeClaim"));

  /** Ten resources: three webservices (one with ingress and autoscaler) and a worker with storage. */
  static Application app(int i) {
    return Application.builder("app").namespace("tenant-" + i)
        .component(Component.builder("web", "webservice").property("image", "acme/web:" + i).property("port", 8080)
            .trait(Trait.of("ingress", Map.of("host", "app-" + i + ".example.com")))
            .trait(Trait.of("autoscaler", Map.of("min", 2, "max", 10)))
            .trait(Trait.of("env", Map.of("env", Map.of("MODE", "prod", "REGION", "eu")))).dependsOn("api").build())
        .component(Component.builder("api", "webservice").property("image", "acme/api:" + i).property("port", 9000)
            .trait(Trait.of("resources", Map.of("cpu", "250m", "memory", "256Mi"))).build())
        .component(Component.builder("admin", "webservice").property("image", "acme/admin:" + i).build())
        .component(Component.builder("worker", "worker").property("image", "acme/worker:" + i)
            .trait(Trait.of("storage", Map.of("name", "data", "size", "10Gi", "mountPath", "/data"))).build())
        .environment(Environment.builder("prod").build())
        .build();
  }

  @Setup
  public void setUp() {
    converged = InMemoryCluster.create("converged");
    stored = InMemoryCluster.create("stored");
    empty = InMemoryCluster.create("empty");
    convergedPlane = OrchestrationPlane.builder().cluster(converged).readinessGates(false).build();
    for (int i = 0; i < APPS; i++) {
      Application app = app(i);
      applications.add(app);
      ids.add(app.id());
      List<Resource> resources = convergedPlane.render(app).get("prod");
      if (resources.size() != 10) {
        throw new IllegalStateException("expected 10 resources per application, got " + resources.size());
      }
      desired.add(resources);
      for (Resource r : resources) {
        equalityPairs.add(new JsonNode[] {r.json(), r.toJson()});
      }
      var applied = convergedPlane.apply(app);
      if (!applied.succeeded() || !applied.plan().problems().isEmpty()) {
        throw new IllegalStateException("setup apply failed for " + app.id());
      }
      for (Resource r : resources) {
        stored.update(asKubernetesStoresIt(stored.apply(r)));
      }
    }
    if (converged.size() < RESOURCES) { // and, from issue 12 on, one inventory per application
      throw new IllegalStateException("converged cluster holds " + converged.size() + " objects, not " + RESOURCES);
    }
  }

  /**
   * The object as a 1.30 API server returns it: its defaults, a sidecar container, an injected
   * env var and mount, allocated Service fields. Written out here (not with the plane's own
   * stored-form rules) so that builds from before those rules plan against the same objects.
   */
  static Resource asKubernetesStoresIt(Resource live) {
    return live.edit(t -> {
      tools.jackson.databind.node.ObjectNode spec = (tools.jackson.databind.node.ObjectNode) t.get("spec");
      if (spec == null) {
        return;
      }
      switch (live.kind()) {
        case "Deployment" -> {
          spec.put("revisionHistoryLimit", 10).put("progressDeadlineSeconds", 600);
          spec.putObject("strategy").put("type", "RollingUpdate").putObject("rollingUpdate")
              .put("maxSurge", "25%").put("maxUnavailable", "25%");
          tools.jackson.databind.node.ObjectNode pod = (tools.jackson.databind.node.ObjectNode) spec.at("/template/spec");
          pod.put("restartPolicy", "Always").put("dnsPolicy", "ClusterFirst").put("schedulerName", "default-scheduler")
              .put("terminationGracePeriodSeconds", 30).putObject("securityContext");
          for (JsonNode c : pod.path("containers")) {
            tools.jackson.databind.node.ObjectNode container = (tools.jackson.databind.node.ObjectNode) c;
            container.put("imagePullPolicy", "IfNotPresent").put("terminationMessagePath", "/dev/termination-log")
                .put("terminationMessagePolicy", "File");
            for (JsonNode port : container.path("ports")) {
              ((tools.jackson.databind.node.ObjectNode) port).put("protocol", "TCP");
            }
            tools.jackson.databind.node.ArrayNode env = container.has("env")
                ? (tools.jackson.databind.node.ArrayNode) container.get("env") : container.putArray("env");
            env.addObject().put("name", "INJECTED").put("value", "1");
          }
          ((tools.jackson.databind.node.ArrayNode) pod.get("containers")).addObject().put("name", "sidecar")
              .put("image", "proxy:1");
        }
        case "Service" -> {
          spec.put("clusterIP", "10.96.0.10").put("type", "ClusterIP").put("sessionAffinity", "None");
          spec.putArray("clusterIPs").add("10.96.0.10");
          for (JsonNode port : spec.path("ports")) {
            tools.jackson.databind.node.ObjectNode p = (tools.jackson.databind.node.ObjectNode) port;
            p.put("protocol", "TCP");
            if (!p.has("targetPort")) {
              p.set("targetPort", p.get("port"));
            }
          }
        }
        case "PersistentVolumeClaim" -> spec.put("volumeMode", "Filesystem").put("volumeName", "pvc-123");
        default -> { }
      }
    });
  }

  private void planAll(Planner with, ClusterDriver cluster, Blackhole bh) {
    for (int i = 0; i < APPS; i++) {
      Plan plan = with.plan(ids.get(i), List.of(new Planner.Target("prod", cluster, desired.get(i))),
          List.of(cluster), kinds, Map.of());
      bh.consume(plan);
    }
  }

  /**
   * Desired equals live: every resource is compared field by field, all UNCHANGED. A fresh
   * planner each time, so no comparison is remembered from an earlier plan.
   */
  @Benchmark
  public void planAgainstIdenticalLiveState(Blackhole bh) {
    planAll(new Planner(io.orchestrationplane.core.kind.KindCatalog.defaults()), converged, bh);
  }

  /**
   * Live objects as Kubernetes stores them (defaults, appended list elements): a fresh planner,
   * so every resource is compared field by field. Issue 21's case: form is not a difference.
   */
  @Benchmark
  public void planAgainstKubernetesStoredLiveState(Blackhole bh) {
    planAll(new Planner(io.orchestrationplane.core.kind.KindCatalog.defaults()), stored, bh);
  }

  /** The same, planned again by a planner that remembers its comparisons (a resync). */
  @Benchmark
  public void replanAgainstIdenticalLiveState(Blackhole bh) {
    planAll(planner, converged, bh);
  }

  /** Nothing exists: every resource becomes a CREATE. */
  @Benchmark
  public void planAgainstEmptyCluster(Blackhole bh) {
    planAll(planner, empty, bh);
  }

  /** The floor: Jackson's tree equality on the same desired trees against deep copies. */
  @Benchmark
  public void jacksonEqualityFloor(Blackhole bh) {
    for (JsonNode[] pair : equalityPairs) {
      bh.consume(pair[0].equals(pair[1]));
    }
  }

  /** The facade end to end: validate, render and plan each application (converged). */
  @Benchmark
  public void facadeValidateRenderPlan(Blackhole bh) {
    for (Application app : applications) {
      bh.consume(convergedPlane.plan(app));
    }
  }
}
