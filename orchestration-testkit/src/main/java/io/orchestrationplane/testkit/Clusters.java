package io.orchestrationplane.testkit;

import io.orchestrationplane.core.cluster.InMemoryCluster;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

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
    InMemoryCluster c = byName.get(Objects.requireNonNull(name, "name"));
    if (c == null) {
      throw new NoSuchElementException("no cluster named '" + name + "'; the environment has " + names());
    }
    return c;
  }

  /** The only cluster; {@link IllegalStateException} when there are several. */
  public InMemoryCluster only() {
    if (byName.size() != 1) {
      throw new IllegalStateException("the environment has " + byName.size() + " clusters " + names()
          + "; name the one you mean");
    }
    return byName.values().iterator().next();
  }

  /** The placement labels of a cluster. */
  public Map<String, String> labels(String name) {
    get(name);
    return labels.get(name);
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
