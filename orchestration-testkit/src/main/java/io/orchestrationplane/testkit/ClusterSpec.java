package io.orchestrationplane.testkit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cluster's name and placement labels written as {@code "prod"} or {@code
 * "prod:tier=prod,region=eu"}, the form {@code @OrchestrationTest(clusters = ...)} uses.
 */
public record ClusterSpec(String name, Map<String, String> labels) {
  public ClusterSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("cluster name must not be blank");
    }
    labels = Map.copyOf(labels);
  }

  /** Parses {@code name[:key=value[,key=value...]]}; a malformed spec is rejected naming the bad part. */
  public static ClusterSpec parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("cluster spec must not be blank; write \"name\" or \"name:key=value,...\"");
    }
    int colon = spec.indexOf(':');
    String name = (colon < 0 ? spec : spec.substring(0, colon)).trim();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("cluster spec \"" + spec + "\" has no name before ':'");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (colon >= 0) {
      for (String pair : spec.substring(colon + 1).split(",")) {
        if (pair.isBlank()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("cluster spec \"" + spec + "\": label \"" + pair.trim()
              + "\" is not key=value");
        }
        String key = pair.substring(0, eq).trim();
        if (labels.put(key, pair.substring(eq + 1).trim()) != null) {
          throw new IllegalArgumentException("cluster spec \"" + spec + "\": label " + key + " is given twice");
        }
      }
    }
    return new ClusterSpec(name, labels);
  }
}
