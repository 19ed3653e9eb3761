package io.orchestrationplane.policy.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 6902 JSON Patch over Jackson trees: applying the operations a JSONPatch mutation returns, and the patch
 * from one tree to another (to describe a mutation and answer an AdmissionReview). Stateless.
 */
public final class JsonPatches {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private JsonPatches() {}

  /** Applies {@code ops} (each a map of op, path, from, value as CEL returns it) to a copy of {@code doc}. */
  static JsonNode apply(@Nullable JsonNode doc, List<?> ops) {
    JsonNode root = doc.deepCopy();
    for (int i = 0; i < ops.size(); i++) {
      if (!(ops.get(i) instanceof Map<?, ?> op)) {
        throw new IllegalArgumentException("JSONPatch[" + i + "] must be a JSONPatch{op, path, ...}, got "
            + describe(ops.get(i)));
      }
      try {
        root = applyOne(root, op);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("JSONPatch[" + i + "] " + e.getMessage(), e);
      }
    }
    return root;
  }

  private static JsonNode applyOne(JsonNode root, Map<?, ?> op) {
    String kind = string(op, "op");
    String path = string(op, "path");
    switch (kind) {
      case "add" -> {
        return add(root, path, value(op));
      }
      case "remove" -> {
        return remove(root, path);
      }
      case "replace" -> {
        get(root, path);
        return add(remove(root, path), path, value(op));
      }
      case "move" -> {
        String from = string(op, "from");
        JsonNode v = get(root, from).deepCopy();
        return add(remove(root, from), path, v);
      }
      case "copy" -> {
        return add(root, path, get(root, string(op, "from")).deepCopy());
      }
      case "test" -> {
        if (!get(root, path).equals(value(op))) {
          throw new IllegalArgumentException("(test " + path + ") failed: the value differs");
        }
        return root;
      }
      default -> throw new IllegalArgumentException("unknown op '" + kind
          + "' (expected add, remove, replace, move, copy or test)");
    }
  }

  private static String string(Map<?, ?> op, String key) {
    Object v = op.get(key);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("needs a string '" + key + "', got " + describe(v));
    }
    return s;
  }

  private static JsonNode value(Map<?, ?> op) {
    if (!op.containsKey("value")) {
      throw new IllegalArgumentException("(" + op.get("op") + " " + op.get("path") + ") needs a value");
    }
    return CelValues.toJson(op.get("value"));
  }

  private static List<String> pointer(String path) {
    if (path.isEmpty()) {
      return List.of();
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path '" + path + "' is not a JSON pointer (must start with /)");
    }
    List<String> out = new ArrayList<>();
    for (String t : path.substring(1).split("/", -1)) {
      out.add(t.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  private static JsonNode get(JsonNode root, String path) {
    JsonNode cur = root;
    for (String t : pointer(path)) {
      cur = child(cur, t, path);
    }
    return cur;
  }

  private static JsonNode child(JsonNode cur, String token, String path) {
    JsonNode next = null;
    if (cur.isObject()) {
      next = cur.get(token);
    } else if (cur.isArray() && token.matches("0|[1-9][0-9]*")) {
      next = cur.get(Integer.parseInt(token));
    }
    if (next == null) {
      throw new IllegalArgumentException("path '" + path + "': '" + token + "' does not exist");
    }
    return next;
  }

  private static JsonNode add(JsonNode root, String path, JsonNode value) {
    List<String> tokens = pointer(path);
    if (tokens.isEmpty()) {
      return value;
    }
    JsonNode parent = root;
    for (String t : tokens.subList(0, tokens.size() - 1)) {
      parent = child(parent, t, path);
    }
    String last = tokens.get(tokens.size() - 1);
    if (parent instanceof ObjectNode o) {
      o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      if (last.equals("-")) {
        a.add(value);
      } else {
        int idx = index(last, a.size(), path);
        a.insert(idx, value);
      }
    } else {
      throw new IllegalArgumentException("path '" + path + "': parent is not an object or array");
    }
    return root;
  }

  private static JsonNode remove(JsonNode root, String path) {
    List<String> tokens = pointer(path);
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("cannot remove the whole object");
    }
    JsonNode parent = root;
    for (String t : tokens.subList(0, tokens.size() - 1)) {
      parent = child(parent, t, path);
    }
    String last = tokens.get(tokens.size() - 1);
    if (parent instanceof ObjectNode o && o.has(last)) {
      o.remove(last);
    } else if (parent instanceof ArrayNode a) {
      a.remove(index(last, a.size() - 1, path));
    } else {
      throw new IllegalArgumentException("path '" + path + "' does not exist");
    }
    return root;
  }

  private static int index(String token, int max, String path) {
    if (!token.matches("0|[1-9][0-9]*") || Integer.parseInt(token) > max) {
      throw new IllegalArgumentException("path '" + path + "': index '" + token + "' is out of bounds");
    }
    return Integer.parseInt(token);
  }

  /**
   * The patch turning {@code before} into {@code after}: objects compared key by key, other values (arrays
   * included) replaced whole when they differ.
   */
  public static ArrayNode diff(@Nullable JsonNode before, JsonNode after) {
    ArrayNode ops = F.arrayNode();
    diff("", before, after, ops);
    return ops;
  }

  private static void diff(String path, JsonNode a, JsonNode b, ArrayNode ops) {
    if (a == null ? b == null : a.equals(b)) {
      return;
    }
    if (a != null && b != null && a.isObject() && b.isObject()) {
      Set<String> keys = new LinkedHashSet<>();
      a.propertyNames().forEach(keys::add);
      b.propertyNames().forEach(keys::add);
      for (String k : keys) {
        String p = path + "/" + k.replace("~", "~0").replace("/", "~1");
        JsonNode x = a.get(k);
        JsonNode y = b.get(k);
        if (y == null) {
          ops.addObject().put("op", "remove").put("path", p);
        } else if (x == null) {
          ops.addObject().put("op", "add").put("path", p).set("value", y.deepCopy());
        } else {
          diff(p, x, y, ops);
        }
      }
      return;
    }
    ops.addObject().put("op", b == null ? "remove" : a == null ? "add" : "replace").put("path", path)
        .set("value", b == null ? null : b.deepCopy());
    if (b == null) {
      ((ObjectNode) ops.get(ops.size() - 1)).remove("value");
    }
  }

  private static String describe(@Nullable Object v) {
    return v == null ? "nothing" : v instanceof Map ? "a map" : v instanceof List ? "a list"
        : v.getClass().getSimpleName() + " " + v;
  }
}
