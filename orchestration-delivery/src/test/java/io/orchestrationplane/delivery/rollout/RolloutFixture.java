package io.orchestrationplane.delivery.rollout;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.access.AccessControl;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.render.TypeRegistry;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.delivery.analysis.Analysis;
import io.orchestrationplane.delivery.analysis.AnalysisTemplate;
import io.orchestrationplane.delivery.analysis.Metric;
import io.orchestrationplane.delivery.analysis.MetricProvider;
import io.orchestrationplane.delivery.analysis.MetricQuery;
import io.orchestrationplane.delivery.analysis.MetricValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/** A prod cluster (in memory, or any driver), a plane that knows the rollout trait, a store, and a scripted error rate. */
final class RolloutFixture implements AutoCloseable {
  static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  static final String ID = "shop.shop-prod";

  final ManualClock clock;
  final ClusterDriver prod;
  final StateStore store;
  final OrchestrationPlane plane;
  /** The error rate each check returns, by image tag; absent means no data. */
  final Map<String, Double> errorRate = new ConcurrentHashMap<>();
  /** Tags whose check throws. */
  final Map<String, Boolean> checkThrows = new ConcurrentHashMap<>();
  final List<String> measured = java.util.Collections.synchronizedList(new ArrayList<>());

  RolloutFixture() {
    this(ManualClock.at(START), null, StateStore.inMemory(), null);
  }

  RolloutFixture(ManualClock clock, @Nullable ClusterDriver driver, StateStore store, @Nullable AccessControl access) {
    this.clock = clock;
    this.prod = driver != null ? driver : InMemoryCluster.builder("prod").clock(clock).build();
    this.store = store;
    OrchestrationPlane.Builder b = OrchestrationPlane.builder().clock(clock).logging(false).cluster(prod).stateStore(store)
        .types(TypeRegistry.builder().trait(new RolloutTrait()));
    if (access != null) {
      b.accessControl(access);
    }
    this.plane = b.build();
  }

  /** Measures 3 times a minute apart; an error rate of 1% or more fails. */
  static final AnalysisTemplate ERROR_RATE = new AnalysisTemplate("error-rate",
      List.of(new AnalysisTemplate.Argument("service", null)),
      List.of(Metric.builder("error-rate", "scripted", "{{args.service}}").interval(java.time.Duration.ofMinutes(1))
          .count(3).successCondition("result < 0.01").build()));

  /** A provider answering with the error rate scripted for the image tag the queried workload runs. */
  final MetricProvider scripted = new MetricProvider() {
    @Override
    public String name() {
      return "scripted";
    }

    @Override
    public MetricValue measure(MetricQuery query) {
      String tag = tagOf(query.query());
      measured.add(tag);
      if (checkThrows.getOrDefault(tag, false)) {
        throw new IllegalStateException("metrics backend unreachable");
      }
      Double rate = errorRate.get(tag);
      return rate == null ? MetricValue.vector() : MetricValue.scalar(rate);
    }
  };

  Rollouts rollouts() {
    return Rollouts.builder().plane(plane).store(store).analysis(Analysis.builder().provider(scripted).build())
        .template(ERROR_RATE).build();
  }

  /** The image tag the named Deployment runs now. */
  String tagOf(String deployment) {
    return deployment(deployment).map(d -> {
      String image = d.at("/spec/template/spec/containers/0/image").asString();
      return image.substring(image.indexOf(':') + 1);
    }).orElse("none");
  }

  Optional<Resource> deployment(String name) {
    return prod.get(ResourceKey.of("prod", "apps", "Deployment", "shop-prod", name));
  }

  Optional<Resource> object(String group, String kind, String name) {
    return prod.get(ResourceKey.of("prod", group, kind, "shop-prod", name));
  }

  /** The HTTPRoute's backend weights, by Service name. */
  Map<String, Integer> routeWeights() {
    Resource route = object("gateway.networking.k8s.io", "HTTPRoute", "api-route").orElseThrow();
    Map<String, Integer> w = new java.util.LinkedHashMap<>();
    route.at("/spec/rules/0/backendRefs").forEach(b -> w.put(b.path("name").asString(), b.path("weight").asInt()));
    return w;
  }

  /** What a Deployment controller and kubelet would report: every Deployment has all its replicas available. */
  void makeDeploymentsReady() {
    for (Resource d : prod.list(new GroupKind("apps", "Deployment"), "shop-prod", Map.of())) {
      long replicas = d.at("/spec/replicas").asLong(1);
      Resource withStatus = d.edit(t -> {
        ObjectNode s = t.putObject("status");
        s.put("observedGeneration", d.generation());
        s.put("replicas", replicas).put("updatedReplicas", replicas).put("readyReplicas", replicas)
            .put("availableReplicas", replicas);
      });
      prod.updateStatus(withStatus);
    }
  }

  /** Runs every due transition, marking Deployments ready between rounds, until nothing is due now. */
  int settle(Rollouts rollouts) {
    int total = 0;
    for (int i = 0; i < 20; i++) {
      int n = rollouts.runPending();
      makeDeploymentsReady();
      n += rollouts.runPending();
      total += n;
      if (n == 0) {
        return total;
      }
    }
    return total;
  }

  static Application shop(String tag, Function<Component.Builder, Component.Builder> api) {
    Component.Builder c = Component.builder("api", "webservice").property("image", "ghcr.io/acme/api:" + tag)
        .property("port", 8080).property("replicas", 3);
    return Application.builder("shop").namespace("shop")
        .component(api.apply(c).build())
        .environment(Environment.builder("prod").namespace("shop-prod").clusters("prod").build())
        .build();
  }

  /** 10% → pause 1m → analysis (3 × 1m) → 50% → pause until approved → 100%, over an HTTPRoute. */
  static Application canary(String tag) {
    return shop(tag, c -> c.trait(Trait.of("rollout", Map.of(
        "environment", "prod",
        "canary", Map.of("steps", List.of(
            Map.of("setWeight", 10),
            Map.of("pause", Map.of("duration", "1m")),
            Map.of("analysis", Map.of("templateName", "error-rate", "args", Map.of("service", "api-canary"))),
            Map.of("setWeight", 50),
            Map.of("pause", Map.of()),
            Map.of("setWeight", 100))),
        "traffic", Map.of("gatewayApi", Map.of("gateway", "shop-gw", "namespace", "infra",
            "hostnames", List.of("shop.example.com")))))));
  }

  @Override
  public void close() {
    plane.close();
  }
}
