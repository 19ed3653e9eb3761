package io.orchestrationplane.policy.internal;

import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts Jackson trees to the values cel-java's legacy runtime evaluates (maps, lists, Long, Double,
 * String, Boolean, NullValue) and back. Done once per request: the legacy runtime rejects
 * {@code Integer} and Java {@code null}.
 */
public final class CelValues {
  private CelValues() {}

  /** The CEL value of a tree; a missing tree (Java null) becomes CEL null. */
  public static Object toCel(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return NullValue.NULL_VALUE;
    }
    if (node.isObject()) {
      EscapingMap map = new EscapingMap(Math.max(4, node.size() * 4 / 3 + 1));
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        try {
          map.put(e.getKey(), toCel(e.getValue()));
        } catch (OutOfRange x) {
          throw x.under("." + e.getKey());
        }
      }
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      for (JsonNode item : node) {
        try {
          list.add(toCel(item));
        } catch (OutOfRange x) {
          throw x.under("[" + list.size() + "]");
        }
      }
      return list;
    }
    if (node.isString()) {
      return node.stringValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      if (!node.canConvertToLong()) {
        throw new OutOfRange("", node.asString());
      }
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isBinary()) {
      return com.google.protobuf.ByteString.copyFrom(node.binaryValue());
    }
    return node.asString();
  }

  /**
   * An integer in the input that CEL's 64-bit {@code int} cannot hold: a clear error naming where it is, rather
   * than a silently rounded double.
   */
  public static final class OutOfRange extends IllegalArgumentException {
    private final String path;
    private final String number;

    OutOfRange(String path, String number) {
      super("the number " + number + " at " + (path.isEmpty() ? "the top level" : path.substring(path.startsWith(".") ? 1 : 0))
          + " is outside the range of CEL's int (-9223372036854775808 to 9223372036854775807)");
      this.path = path;
      this.number = number;
    }

    OutOfRange under(String prefix) {
      return new OutOfRange(prefix + path, number);
    }
  }

  /** A plain Java value as CEL sees it (for maps of variables built by callers). */
  public static Object fromJava(Object value) {
    if (value == null) {
      return NullValue.NULL_VALUE;
    }
    if (value instanceof JsonNode n) {
      return toCel(n);
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof Map<?, ?> m) {
      EscapingMap out = new EscapingMap(m.size() * 2 + 1);
      m.forEach((k, v) -> out.put(String.valueOf(k), fromJava(v)));
      return out;
    }
    if (value instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>(c.size());
      c.forEach(v -> out.add(fromJava(v)));
      return out;
    }
    return value;
  }

  /** A CEL result as a plain Java value: CEL null → null, optionals unwrapped, maps and lists copied. */
  public static Object toJava(Object value) {
    if (value == null || value instanceof NullValue || value instanceof com.google.protobuf.NullValue) {
      return null;
    }
    if (value instanceof Optional<?> o) {
      return o.map(CelValues::toJava).orElse(null);
    }
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(toJava(k), toJava(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(v -> out.add(toJava(v)));
      return out;
    }
    return value;
  }

  /** A CEL result as a Jackson tree (for messages and audit values). */
  public static JsonNode toJson(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    Object v = toJava(value);
    if (v == null) {
      return f.nullNode();
    }
    if (v instanceof Map<?, ?> m) {
      ObjectNode o = f.objectNode();
      m.forEach((k, x) -> o.set(String.valueOf(k), toJson(x)));
      return o;
    }
    if (v instanceof List<?> l) {
      ArrayNode a = f.arrayNode();
      l.forEach(x -> a.add(toJson(x)));
      return a;
    }
    if (v instanceof Long l) {
      return f.numberNode(l);
    }
    if (v instanceof Double d) {
      return f.numberNode(d);
    }
    if (v instanceof Boolean b) {
      return f.booleanNode(b);
    }
    return f.stringNode(String.valueOf(v));
  }

  /**
   * A map that also answers Kubernetes' escaped property names: {@code foo__dash__bar} finds
   * {@code foo-bar}, {@code __namespace__} finds {@code namespace} (CEL reserved words). The escape is
   * resolved only on a miss, so ordinary field access costs nothing extra.
   */
  static final class EscapingMap extends LinkedHashMap<String, Object> {
    EscapingMap(int capacity) {
      super(capacity);
    }

    @Override public Object get(Object key) {
      Object v = super.get(key);
      if (v == null && key instanceof String s && s.indexOf("__") >= 0) {
        String unescaped = PropertyNames.unescape(s);
        return unescaped == null ? null : super.get(unescaped);
      }
      return v;
    }

    @Override public boolean containsKey(Object key) {
      if (super.containsKey(key)) {
        return true;
      }
      if (key instanceof String s && s.indexOf("__") >= 0) {
        String unescaped = PropertyNames.unescape(s);
        return unescaped != null && super.containsKey(unescaped);
      }
      return false;
    }
  }
}
