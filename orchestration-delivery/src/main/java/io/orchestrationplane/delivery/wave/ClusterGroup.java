package io.orchestrationplane.delivery.wave;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A group of clusters rolled out together (an OCM decision group): named clusters, or every
 * cluster whose labels include {@code selector}. A cluster belongs to the first group that takes it.
 *
 * @param name shown in status and messages
 * @param clusters cluster names (empty when the group selects by labels)
 * @param selector labels a cluster must carry (empty when the group names its clusters)
 */
public record ClusterGroup(String name, List<String> clusters, Map<String, String> selector) {
  public ClusterGroup {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a cluster group needs a name");
    }
    clusters = List.copyOf(clusters);
    selector = Map.copyOf(selector);
    if (clusters.isEmpty() == selector.isEmpty()) {
      throw new IllegalArgumentException("cluster group '" + name + "' must either name clusters or select them by "
          + "labels, not " + (clusters.isEmpty() ? "neither" : "both"));
    }
  }

  /** The named clusters. */
  public static ClusterGroup of(String name, String... clusters) {
    return new ClusterGroup(name, List.of(clusters), Map.of());
  }

  /** Every cluster whose labels include {@code selector}. */
  public static ClusterGroup selecting(String name, Map<String, String> selector) {
    return new ClusterGroup(name, List.of(), selector);
  }

  /** Whether the cluster {@code name} with {@code labels} belongs to this group. */
  public boolean contains(String cluster, Map<String, String> labels) {
    return clusters.isEmpty() ? labels.entrySet().containsAll(selector.entrySet()) : clusters.contains(cluster);
  }
}
