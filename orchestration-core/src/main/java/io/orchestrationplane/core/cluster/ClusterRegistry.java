package io.orchestrationplane.core.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Named clusters with labels, for placement. Environments place applications on clusters by
 * name or by a label selector over this registry.
 *
 * <pre>{@code
 * ClusterRegistry clusters = ClusterRegistry.builder()
 *     .add(InMemoryCluster.create("staging"), Map.of("tier", "staging"))
 *     .add(InMemoryCluster.create("prod"), Map.of("tier", "prod"))
 *     .build();
 * }</pre>
 */
public final class ClusterRegistry {
  /** One registered cluster and its labels. */
  public record Entry(ClusterDriver driver, Map<String, String> labels) {
    public Entry {
      Objects.requireNonNull(driver, "driver");
      labels = Map.copyOf(labels);
    }

    public String name() {
      return driver.name();
    }
  }

  private final Map<String, Entry> clusters;
  private final List<Entry> entries;

  private ClusterRegistry(Map<String, Entry> clusters) {
    this.clusters = Collections.unmodifiableMap(new LinkedHashMap<>(clusters));
    this.entries = List.copyOf(this.clusters.values());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A registry of the given clusters, without labels. */
  public static ClusterRegistry of(ClusterDriver... drivers) {
    Builder b = builder();
    for (ClusterDriver d : drivers) {
      b.add(d, Map.of());
    }
    return b.build();
  }

  /** Builds a {@link ClusterRegistry}; names must be unique. */
  public static final class Builder {
    private final Map<String, Entry> clusters = new LinkedHashMap<>();

    public Builder add(ClusterDriver driver) {
      return add(driver, Map.of());
    }

    public Builder add(ClusterDriver driver, Map<String, String> labels) {
      Entry entry = new Entry(driver, labels);
      if (clusters.putIfAbsent(entry.name(), entry) != null) {
        throw new IllegalArgumentException("cluster '" + entry.name() + "' is registered twice");
      }
      return this;
    }

    public ClusterRegistry build() {
      return new ClusterRegistry(clusters);
    }
  }

  /** The cluster of that name. */
  public Optional<ClusterDriver> get(String name) {
    Entry e = clusters.get(name);
    return e == null ? Optional.empty() : Optional.of(e.driver());
  }

  /** The cluster of that name, or an {@link IllegalArgumentException} listing the known names. */
  public ClusterDriver require(String name) {
    return get(name).orElseThrow(() -> new IllegalArgumentException(
        "no cluster named '" + name + "' (known: " + String.join(", ", clusters.keySet()) + ")"));
  }

  /** Every cluster, in registration order. */
  public List<Entry> entries() {
    return entries;
  }

  /** Names of every cluster, in registration order. */
  public List<String> names() {
    return List.copyOf(clusters.keySet());
  }

  /** Names of the clusters whose labels include every entry of the selector, in registration order. */
  public List<String> select(Map<String, String> selector) {
    List<String> out = new ArrayList<>();
    for (Entry e : clusters.values()) {
      if (e.labels().entrySet().containsAll(selector.entrySet())) {
        out.add(e.name());
      }
    }
    return out;
  }
}
