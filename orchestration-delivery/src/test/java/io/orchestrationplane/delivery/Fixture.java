package io.orchestrationplane.delivery;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Three in-memory clusters (dev, staging, prod), a plane on a manual clock and an in-memory store. */
final class Fixture implements AutoCloseable {
  /** Monday 2 March 2026, 10:00 in Berlin. */
  static final Instant MONDAY_10_BERLIN = Instant.parse("2026-03-02T09:00:00Z");

  final ManualClock clock = ManualClock.at(MONDAY_10_BERLIN);
  final InMemoryCluster dev = InMemoryCluster.builder("dev").clock(clock).build();
  final InMemoryCluster staging = InMemoryCluster.builder("staging").clock(clock).build();
  final InMemoryCluster prod = InMemoryCluster.builder("prod").clock(clock).build();
  final StateStore store = StateStore.inMemory();
  /** Writes of the settings ConfigMap (create, apply, update) per cluster. */
  final Map<String, java.util.concurrent.atomic.AtomicInteger> settingsWrites = new java.util.concurrent.ConcurrentHashMap<>();
  /** The plane's metrics, on a Prometheus registry that tests scrape. */
  final io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
      new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
  final io.orchestrationplane.micrometer.PlaneMetrics metrics = io.orchestrationplane.micrometer.PlaneMetrics.create(registry);
  final OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).logging(false).observer(metrics)
      .cluster(new Counting(dev)).cluster(new Counting(staging)).cluster(new Counting(prod)).stateStore(store).build();

  int settingsWrites(String cluster) {
    return settingsWrites.getOrDefault(cluster, new java.util.concurrent.atomic.AtomicInteger()).get();
  }

  /** Counts the writes of the settings ConfigMap. */
  private final class Counting extends io.orchestrationplane.core.cluster.ForwardingClusterDriver {
    Counting(io.orchestrationplane.core.cluster.ClusterDriver delegate) {
      super(delegate);
    }

    private void count(Resource r) {
      if (r.kind().equals("ConfigMap") && r.name().equals("settings")) {
        settingsWrites.computeIfAbsent(name(), k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
      }
    }

    @Override
    public Resource create(Resource object) {
      count(object);
      return super.create(object);
    }

    @Override
    public Resource apply(Resource desired) {
      count(desired);
      return super.apply(desired);
    }

    @Override
    public Resource update(Resource object) {
      count(object);
      return super.update(object);
    }
  }

  Delivery.Builder delivery() {
    return Delivery.builder().plane(plane).store(store).identity("engine-a");
  }

  /** The shop: one ConfigMap (healthy as soon as it exists) whose data carries the version. */
  static Application shop(String version) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("settings", "k8s-objects")
            .property("objects", List.of(Map.of("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", "settings"), "data", Map.of("version", version))))
            .build())
        .environment(Environment.builder("dev").namespace("shop-dev").clusters("dev").build())
        .environment(Environment.builder("staging").namespace("shop-staging").clusters("staging").build())
        .environment(Environment.builder("prod").namespace("shop-prod").clusters("prod").build())
        .build();
  }

  /** The shop with a webservice too, whose Deployment no kubelet ever makes ready. */
  static Application shopWithApi(String version) {
    return shop(version).toBuilder()
        .component(Component.builder("api", "webservice").property("image", "ghcr.io/acme/api:" + version)
            .property("port", 8080).build())
        .build();
  }

  /** The version the settings ConfigMap of an environment shows, if it exists. */
  Optional<String> version(InMemoryCluster cluster, String env) {
    Optional<Resource> cm = cluster.get(new ResourceKey(cluster.name(), "", "ConfigMap", "shop-" + env, "settings"));
    return cm.map(r -> r.json().path("data").path("version").asString());
  }

  @Override
  public void close() {
    plane.close();
    store.close();
  }
}
