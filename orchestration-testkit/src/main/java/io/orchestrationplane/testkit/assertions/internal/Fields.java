package io.orchestrationplane.testkit.assertions.internal;

import io.orchestrationplane.core.resource.Json;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Field paths and values for the assertions: reads {@code spec.replicas},
 * {@code spec.template.spec.containers[0].image}, {@code metadata.labels['app.kubernetes.io/name']}
 * or a JSON pointer {@code /spec/replicas}, and compares a JSON value with a Java one
 * numerically where both are numbers (so {@code 3} equals {@code 3L} and {@code 3.0}).
 */
public final class Fields {
  private Fields() {}

  /** The value at {@code path}, or {@code null} when absent (or JSON null). */
  public static @Nullable JsonNode at(JsonNode root, String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("field path must not be blank");
    }
    JsonNode node = path.startsWith("/") ? root.at(path) : walk(root, path);
    return node == null || node.isMissingNode() || node.isNull() ? null : node;
  }

  private static JsonNode walk(JsonNode root, String path) {
    JsonNode node = root;
    int i = 0;
    int n = path.length();
    while (i < n && node != null) {
      char c = path.charAt(i);
      if (c == '.') {
        i++;
      } else if (c == '[') {
        int close = path.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException("field path " + path + ": '[' at column " + (i + 1) + " is not closed");
        }
        String inside = path.substring(i + 1, close).trim();
        if (inside.startsWith("'") || inside.startsWith("\"")) {
          node = node.get(inside.substring(1, inside.length() - 1));
        } else {
          try {
            node = node.get(Integer.parseInt(inside));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field path " + path + ": [" + inside + "] at column " + (i + 1)
                + " is neither an index nor a quoted key", e);
          }
        }
        i = close + 1;
      } else {
        int end = i;
        while (end < n && path.charAt(end) != '.' && path.charAt(end) != '[') {
          end++;
        }
        node = node.get(path.substring(i, end));
        i = end;
      }
    }
    return node;
  }

  /** True when {@code actual} (null for absent) equals {@code expected} (null for absent). */
  public static boolean matches(@Nullable JsonNode actual, @Nullable Object expected) {
    if (expected == null) {
      return actual == null || actual.isNull();
    }
    if (actual == null) {
      return false;
    }
    JsonNode want = expected instanceof JsonNode j ? j : Json.JSON.valueToTree(expected);
    if (actual.isNumber() && want.isNumber()) {
      return new BigDecimal(actual.asString()).compareTo(new BigDecimal(want.asString())) == 0;
    }
    return actual.equals(want);
  }

  /** A value as people read it: JSON, or {@code (absent)}. */
  public static String show(@Nullable JsonNode value) {
    return value == null ? "(absent)" : Json.writeJson(value);
  }

  /** An expected Java value as JSON. */
  public static String show(@Nullable Object value) {
    if (value == null) {
      return "(absent)";
    }
    return value instanceof JsonNode j ? Json.writeJson(j) : Json.writeJson(Json.JSON.valueToTree(value));
  }
}
