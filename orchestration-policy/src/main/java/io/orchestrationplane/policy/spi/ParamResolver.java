package io.orchestrationplane.policy.spi;

import io.orchestrationplane.policy.LabelSelector;
import io.orchestrationplane.policy.ParamKind;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Finds the params objects a binding refers to (ConfigMaps, custom resources...). Must be thread-safe.
 */
public interface ParamResolver {
  /** The object of {@code kind} named {@code name} in {@code namespace} (null for cluster-scoped). */
  Optional<JsonNode> get(ParamKind kind, @Nullable String namespace, String name);

  /** Every object of {@code kind} in {@code namespace} (null = all) whose labels match. */
  List<JsonNode> list(ParamKind kind, @Nullable String namespace, LabelSelector selector);

  /** A resolver that finds nothing. */
  static ParamResolver none() {
    return new ParamResolver() {
      @Override public Optional<JsonNode> get(ParamKind kind, @Nullable String namespace, String name) { return Optional.empty(); }
      @Override public List<JsonNode> list(ParamKind kind, @Nullable String namespace, LabelSelector selector) { return List.of(); }
    };
  }

  /** A resolver over a fixed set of objects, matched on apiVersion, kind, namespace, name and labels. */
  static ParamResolver of(List<JsonNode> objects) {
    List<JsonNode> copy = List.copyOf(objects);
    return new ParamResolver() {
      @Override public Optional<JsonNode> get(ParamKind kind, @Nullable String namespace, String name) {
        return copy.stream().filter(o -> sameKind(o, kind) && name.equals(o.path("metadata").path("name").asString())
            && (namespace == null || namespace.equals(o.path("metadata").path("namespace").asString("")))).findFirst();
      }

      @Override public List<JsonNode> list(ParamKind kind, @Nullable String namespace, LabelSelector selector) {
        return copy.stream().filter(o -> sameKind(o, kind)
            && (namespace == null || namespace.equals(o.path("metadata").path("namespace").asString("")))
            && selector.matches(labels(o))).toList();
      }
    };
  }

  private static boolean sameKind(JsonNode o, ParamKind kind) {
    return kind.kind().equals(o.path("kind").asString()) && kind.apiVersion().equals(o.path("apiVersion").asString());
  }

  private static java.util.Map<String, String> labels(JsonNode o) {
    java.util.Map<String, String> labels = new java.util.HashMap<>();
    o.path("metadata").path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
    return labels;
  }
}
