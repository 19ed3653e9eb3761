package io.orchestrationplane.testkit;

import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.testkit.internal.ClusterLookup;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The named, labelled in-memory clusters of a {@link TestEnvironment}, in declaration order.
 *
 * <pre>{@code
 * InMemoryCluster prod = clusters.get("prod");
 * clusters.labels("prod"); // {tier=prod}
 * }</pre>
 */
public final class Clusters {
  private final Map<String, InMemoryCluster> byName;
  private final Map<String, Map<String, String>> labels;

  Clusters(Map<String, InMemoryCluster> byName, Map<String, Map<String, String>> labels) {
    this.byName = byName;
    this.labels = labels;
  }

  /** The cluster of that name; {@link NoSuchElementException} naming the known ones otherwise. */
  public InMemoryCluster get(String name) {
    return ClusterLookup.byName(byName, name);
  }

  /** The only cluster; {@link IllegalStateException} when there are several. */
  public InMemoryCluster only() {
    return ClusterLookup.only(byName);
  }

  /** The placement labels of a cluster. */
  public Map<String, String> labels(String name) {
    return ClusterLookup.byName(labels, name);
  }

  /** Cluster names in declaration order. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** Every cluster in declaration order. */
  public List<InMemoryCluster> all() {
    return List.copyOf(byName.values());
  }

  @Override
  public String toString() {
    return "Clusters" + labels;
  }
}
