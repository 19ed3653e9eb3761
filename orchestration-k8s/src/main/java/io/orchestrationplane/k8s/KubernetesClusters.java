package io.orchestrationplane.k8s;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.orchestrationplane.core.cluster.ClusterRegistry;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Builds core's {@link ClusterRegistry} of {@link KubernetesCluster}s: every context of a
 * kubeconfig becomes a cluster named after the context, with placement labels from
 * configuration; more clusters can be added from a fabric8 {@link Config} or client.
 *
 * <pre>{@code
 * ClusterRegistry clusters = KubernetesClusters.builder()
 *     .kubeconfig(Path.of(System.getProperty("user.home"), ".kube", "config"))
 *     .labels("prod-eu", Map.of("tier", "prod", "region", "eu"))
 *     .limits(ClusterLimits.builder().requestsPerSecond(100).build())
 *     .build();
 * }</pre>
 *
 * <p>The drivers in the registry hold connections: close each ({@code entries()} →
 * {@code driver().close()}) when done.
 */
public final class KubernetesClusters {
  private KubernetesClusters() {}

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The context names of a kubeconfig file, in file order. Throws {@link IllegalArgumentException}
   * naming the file when it is not a readable file or not a kubeconfig (the parser's message, which
   * may quote the file's credentials, is left out).
   */
  public static List<String> contexts(Path kubeconfig) {
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    if (!Files.isRegularFile(kubeconfig)) {
      throw new IllegalArgumentException("kubeconfig " + kubeconfig + " is not a readable file");
    }
    io.fabric8.kubernetes.api.model.Config parsed;
    try {
      parsed = KubeConfigUtils.parseConfig(kubeconfig.toFile());
    } catch (RuntimeException e) { // fabric8's KubernetesClientException, or its YAML parser's own exceptions
      throw new IllegalArgumentException("kubeconfig " + kubeconfig + " is not a kubeconfig file (YAML with clusters, "
          + "contexts and users)");
    }
    List<String> names = new ArrayList<>();
    if (parsed.getContexts() != null) {
      for (NamedContext c : parsed.getContexts()) {
        names.add(c.getName());
      }
    }
    return names;
  }

  /** Builds a registry; cluster names must be unique. */
  public static final class Builder {
    private final Map<String, Function<Builder, KubernetesCluster>> clusters = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> labels = new LinkedHashMap<>();
    private final Map<String, ClusterLimits> limitsPerCluster = new LinkedHashMap<>();
    private ClusterLimits limits = ClusterLimits.defaults();
    private ApplyMode applyMode = ApplyMode.AUTO;
    private Clock clock = Clock.systemUTC();
    private Consumer<WatchFailure> watchFailures = f -> {};

    private Builder() {}

    /** Adds one cluster per context of the kubeconfig file, named after the context. */
    public Builder kubeconfig(Path file) {
      Objects.requireNonNull(file, "kubeconfig");
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("kubeconfig " + file + " is not a readable file");
      }
      File f = file.toFile();
      for (String context : contexts(file)) {
        put(context, b -> b.newCluster(context).config(Config.fromKubeconfig(context, f)).build());
      }
      return this;
    }

    /** Adds only the named contexts of the kubeconfig file. */
    public Builder kubeconfig(Path file, List<String> onlyContexts) {
      List<String> known = contexts(file);
      for (String context : onlyContexts) {
        if (!known.contains(context)) {
          throw new IllegalArgumentException("kubeconfig " + file + " has no context '" + context
              + "' (known: " + String.join(", ", known) + ")");
        }
        File f = file.toFile();
        put(context, b -> b.newCluster(context).config(Config.fromKubeconfig(context, f)).build());
      }
      return this;
    }

    /** Adds a cluster that connects with this fabric8 config. */
    public Builder add(String name, Config config) {
      Objects.requireNonNull(config, "config");
      put(name, b -> b.newCluster(name).config(config).build());
      return this;
    }

    /** Adds a cluster that talks through this client (the caller keeps ownership of the client). */
    public Builder add(String name, KubernetesClient client) {
      Objects.requireNonNull(client, "client");
      put(name, b -> b.newCluster(name).client(client).build());
      return this;
    }

    /** Placement labels of a cluster (a kubeconfig context or an added name). */
    public Builder labels(String cluster, Map<String, String> clusterLabels) {
      labels.put(Objects.requireNonNull(cluster, "cluster"), Map.copyOf(clusterLabels));
      return this;
    }

    /** Placement labels of many clusters, as read from configuration: cluster name → labels. */
    public Builder labels(Map<String, Map<String, String>> byCluster) {
      byCluster.forEach(this::labels);
      return this;
    }

    /** Limits of every cluster without its own. */
    public Builder limits(ClusterLimits value) {
      this.limits = Objects.requireNonNull(value, "limits");
      return this;
    }

    /** Limits of one cluster. */
    public Builder limits(String cluster, ClusterLimits value) {
      limitsPerCluster.put(Objects.requireNonNull(cluster, "cluster"), Objects.requireNonNull(value, "limits"));
      return this;
    }

    public Builder applyMode(ApplyMode value) {
      this.applyMode = Objects.requireNonNull(value, "applyMode");
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Called when a watch's informer fails on any of the clusters. */
    public Builder onWatchFailure(Consumer<WatchFailure> value) {
      this.watchFailures = Objects.requireNonNull(value, "onWatchFailure");
      return this;
    }

    /**
     * The registry. Throws {@link IllegalArgumentException} when labels or limits name a cluster
     * that was not added.
     */
    public ClusterRegistry build() {
      for (String named : labels.keySet()) {
        requireKnown(named, "labels");
      }
      for (String named : limitsPerCluster.keySet()) {
        requireKnown(named, "limits");
      }
      ClusterRegistry.Builder registry = ClusterRegistry.builder();
      for (Map.Entry<String, Function<Builder, KubernetesCluster>> e : clusters.entrySet()) {
        registry.add(e.getValue().apply(this), labels.getOrDefault(e.getKey(), Map.of()));
      }
      return registry.build();
    }

    private KubernetesCluster.Builder newCluster(String name) {
      return KubernetesCluster.builder(name)
          .limits(limitsPerCluster.getOrDefault(name, limits))
          .applyMode(applyMode)
          .clock(clock)
          .onWatchFailure(watchFailures);
    }

    private void put(String name, Function<Builder, KubernetesCluster> factory) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("cluster name must not be blank");
      }
      if (clusters.putIfAbsent(name, factory) != null) {
        throw new IllegalArgumentException("cluster '" + name + "' is added twice");
      }
    }

    private void requireKnown(String name, String what) {
      if (!clusters.containsKey(name)) {
        throw new IllegalArgumentException(what + " name cluster '" + name + "', which was not added (known: "
            + String.join(", ", clusters.keySet()) + ")");
      }
    }
  }
}
