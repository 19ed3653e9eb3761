package io.orchestrationplane.policy.internal;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merges an ApplyConfiguration mutation's result into an object with server-side-apply rules on unstructured
 * data: maps merge field by field; lists Kubernetes declares {@code x-kubernetes-list-type: map} merge item by
 * item on their keys (containers, initContainers, ephemeralContainers, volumes, env, envFrom-less lists below);
 * every other list is atomic and replaced; a null value leaves the field as it is (apply configurations cannot
 * delete; use a JSONPatch {@code remove}). Stateless.
 */
final class ApplyConfigurations {
  /** Field name → key fields of the built-in list-type map lists commonly mutated. */
  private static final Map<String, List<String>> LIST_MAP_KEYS = Map.ofEntries(
      Map.entry("containers", List.of("name")),
      Map.entry("initContainers", List.of("name")),
      Map.entry("ephemeralContainers", List.of("name")),
      Map.entry("volumes", List.of("name")),
      Map.entry("env", List.of("name")),
      Map.entry("volumeMounts", List.of("mountPath")),
      Map.entry("volumeDevices", List.of("devicePath")),
      Map.entry("imagePullSecrets", List.of("name")),
      Map.entry("hostAliases", List.of("ip")),
      Map.entry("resourceClaims", List.of("name")),
      Map.entry("topologySpreadConstraints", List.of("topologyKey", "whenUnsatisfiable")));

  private ApplyConfigurations() {}

  /** A copy of {@code target} with {@code config} (a map from CEL) applied. */
  static JsonNode merge(@Nullable JsonNode target, Object config) {
    if (!(config instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("an ApplyConfiguration must evaluate to an Object{...}, got "
          + (config == null ? "null" : config.getClass().getSimpleName()));
    }
    if (!(target.deepCopy() instanceof ObjectNode copy)) {
      throw new IllegalArgumentException("the object to mutate is not a JSON object");
    }
    mergeObject(copy, m);
    return copy;
  }

  private static void mergeObject(ObjectNode target, Map<?, ?> config) {
    for (Map.Entry<?, ?> e : config.entrySet()) {
      String key = String.valueOf(e.getKey());
      Object value = plain(e.getValue());
      if (value == null) {
        continue;
      }
      JsonNode existing = target.get(key);
      if (value instanceof Map<?, ?> sub && existing instanceof ObjectNode o) {
        mergeObject(o, sub);
      } else if (value instanceof List<?> list && existing instanceof ArrayNode a && LIST_MAP_KEYS.containsKey(key)) {
        mergeListMap(a, list, LIST_MAP_KEYS.get(key));
      } else {
        target.set(key, CelValues.toJson(value));
      }
    }
  }

  private static void mergeListMap(ArrayNode target, List<?> items, List<String> keys) {
    for (Object item : items) {
      if (!(item instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("items of a keyed list must be objects with " + keys);
      }
      ObjectNode match = null;
      for (JsonNode existing : target) {
        if (existing instanceof ObjectNode o && sameKeys(o, m, keys)) {
          match = o;
          break;
        }
      }
      if (match != null) {
        mergeObject(match, m);
      } else {
        target.add(CelValues.toJson(m));
      }
    }
  }

  /** A CEL value as plain Java, an optional holding nothing (or null) being absent. */
  private static @Nullable Object plain(@Nullable Object celValue) {
    Object v = CelValues.toJava(celValue);
    return v instanceof java.util.Optional<?> o ? o.orElse(null) : v;
  }

  private static boolean sameKeys(ObjectNode o, Map<?, ?> m, List<String> keys) {
    for (String k : keys) {
      Object v = plain(m.get(k));
      JsonNode have = o.get(k);
      if (v == null ? have != null && !have.isNull() : have == null || !CelValues.toJson(v).equals(have)) {
        return false;
      }
    }
    return true;
  }
}
