package io.orchestrationplane.core.model;

import java.util.List;
import java.util.Map;

/**
 * Where an environment runs: the named clusters plus every cluster whose labels match the
 * selector. Empty placement means every registered cluster.
 *
 * <pre>{@code
 * Placement.clusters("prod-eu", "prod-us");
 * Placement.selector(Map.of("tier", "prod"));
 * }</pre>
 */
public record Placement(List<String> clusters, Map<String, String> clusterSelector) {
  public Placement {
    clusters = List.copyOf(clusters == null ? List.of() : clusters);
    clusterSelector = Map.copyOf(clusterSelector == null ? Map.of() : clusterSelector);
  }

  /** Every registered cluster. */
  public static Placement everywhere() {
    return new Placement(List.of(), Map.of());
  }

  public static Placement clusters(String... names) {
    return new Placement(List.of(names), Map.of());
  }

  public static Placement selector(Map<String, String> labels) {
    return new Placement(List.of(), labels);
  }

  /** True when neither names nor a selector are given. */
  public boolean isEverywhere() {
    return clusters.isEmpty() && clusterSelector.isEmpty();
  }
}
