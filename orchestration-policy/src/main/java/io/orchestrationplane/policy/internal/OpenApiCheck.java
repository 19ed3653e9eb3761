package io.orchestrationplane.policy.internal;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The part of CRD structural-schema validation a constraint's {@code parameters} get from the API server: types,
 * {@code enum} and {@code required}, recursively through {@code properties}, {@code items} and
 * {@code additionalProperties}. Unknown fields are not errors (the API server prunes them). Stateless.
 */
final class OpenApiCheck {
  private OpenApiCheck() {}

  /** The first problem as {@code path: message}, or null when the value conforms (or there is no schema). */
  static @Nullable String problem(@Nullable JsonNode schema, JsonNode value, String path) {
    if (schema == null || schema.isMissingNode() || schema.isNull() || value == null || value.isMissingNode()) {
      return null;
    }
    if (value.isNull()) {
      return schema.path("nullable").asBoolean(false) || !schema.has("type") ? null
          : path + ": Invalid value: \"null\": " + path + " in body must be of type " + schema.path("type").asString();
    }
    String type = schema.path("type").asString("");
    String actual = typeOf(value);
    boolean ok = switch (type) {
      case "" -> true;
      case "number" -> value.isNumber();
      case "integer" -> value.isIntegralNumber();
      default -> type.equals(actual);
    };
    if (!ok && !schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      return path + ": Invalid value: \"" + actual + "\": " + path + " in body must be of type " + type + ": \""
          + actual + "\"";
    }
    JsonNode values = schema.path("enum");
    if (values.isArray() && !values.isEmpty()) {
      boolean found = false;
      for (JsonNode v : values) {
        found |= v.equals(value);
      }
      if (!found) {
        return path + ": Unsupported value: " + value + ": supported values: " + values;
      }
    }
    if (value.isObject()) {
      for (JsonNode r : schema.path("required")) {
        if (!value.has(r.asString())) {
          return path + "." + r.asString() + ": Required value";
        }
      }
      JsonNode props = schema.path("properties");
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        JsonNode sub = props.has(e.getKey()) ? props.get(e.getKey())
            : schema.path("additionalProperties").isObject() ? schema.path("additionalProperties") : null;
        String p = problem(sub, e.getValue(), path + "." + e.getKey());
        if (p != null) {
          return p;
        }
      }
    }
    if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        String p = problem(schema.path("items"), value.get(i), path + "[" + i + "]");
        if (p != null) {
          return p;
        }
      }
    }
    return null;
  }

  private static String typeOf(JsonNode v) {
    if (v.isObject()) {
      return "object";
    }
    if (v.isArray()) {
      return "array";
    }
    if (v.isString()) {
      return "string";
    }
    if (v.isBoolean()) {
      return "boolean";
    }
    if (v.isIntegralNumber()) {
      return "integer";
    }
    return v.isNumber() ? "number" : "null";
  }
}
