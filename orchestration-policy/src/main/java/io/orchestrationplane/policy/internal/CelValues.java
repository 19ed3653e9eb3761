package io.orchestrationplane.policy.internal;

import com.google.common.primitives.UnsignedLong;
import com.google.protobuf.ByteString;
import dev.cel.common.types.CelType;
import dev.cel.common.values.NullValue;
import io.orchestrationplane.policy.spi.Authorizer;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts Jackson trees to the values cel-java's legacy runtime evaluates (maps, lists, Long, Double,
 * String, Boolean, NullValue) and back. Done once per request: the legacy runtime rejects {@code Integer} and
 * Java {@code null}. Input deeper than {@link #MAX_DEPTH} levels is refused with an error naming the path, so
 * that no input can exhaust the converting thread's stack.
 */
public final class CelValues {
  /** The deepest nesting of objects and lists accepted in values given to CEL. */
  public static final int MAX_DEPTH = 1000;

  private CelValues() {}

  /** Input nested deeper than {@link #MAX_DEPTH}; the message names the path of the too deep value. */
  public static final class TooDeep extends IllegalArgumentException {
    private final List<String> path = new ArrayList<>();

    TooDeep() {
      super((String) null);
    }

    TooDeep at(String segment) {
      path.add(0, segment);
      if (path.size() > 12) {
        path.remove(path.size() - 1);
      }
      return this;
    }

    @Override public String getMessage() {
      String shown = String.join("", path);
      return "value nested more than " + MAX_DEPTH + " levels deep at " + (shown.startsWith(".")
          ? shown.substring(1) : shown) + "..." + " (the deepest nesting CEL values may have is " + MAX_DEPTH + ")";
    }
  }

  /** The CEL value of a tree; a missing tree (Java null) becomes CEL null. */
  public static Object toCel(@Nullable JsonNode node) {
    return toCel(node, 0);
  }

  private static Object toCel(JsonNode node, int depth) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return NullValue.NULL_VALUE;
    }
    if (node.isObject()) {
      if (depth >= MAX_DEPTH) {
        throw new TooDeep();
      }
      EscapingMap map = new EscapingMap(Math.max(4, node.size() * 4 / 3 + 1));
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        try {
          map.put(e.getKey(), toCel(e.getValue(), depth + 1));
        } catch (TooDeep t) {
          throw t.at("." + e.getKey());
        } catch (OutOfRange x) {
          throw x.under("." + e.getKey());
        }
      }
      return map;
    }
    if (node.isArray()) {
      if (depth >= MAX_DEPTH) {
        throw new TooDeep();
      }
      List<Object> list = new ArrayList<>(node.size());
      int i = 0;
      for (JsonNode item : node) {
        try {
          list.add(toCel(item, depth + 1));
        } catch (TooDeep t) {
          throw t.at("[" + i + "]");
        } catch (OutOfRange x) {
          throw x.under("[" + i + "]");
        }
        i++;
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
      return ByteString.copyFrom(node.binaryValue());
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
    return fromJava(value, 0);
  }

  private static Object fromJava(Object value, int depth) {
    if (value == null) {
      return NullValue.NULL_VALUE;
    }
    if (value instanceof JsonNode n) {
      return toCel(n, depth);
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof byte[] b) {
      return ByteString.copyFrom(b);
    }
    if (value instanceof Instant i) {
      return com.google.protobuf.Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }
    if (value instanceof java.time.Duration d) {
      return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }
    if (value instanceof Optional<?> o) {
      return o.map(x -> fromJava(x, depth));
    }
    if (value instanceof Map<?, ?> m) {
      if (depth >= MAX_DEPTH) {
        throw new TooDeep();
      }
      EscapingMap out = new EscapingMap(m.size() * 2 + 1);
      for (Map.Entry<?, ?> e : m.entrySet()) {
        try {
          out.put(String.valueOf(e.getKey()), fromJava(e.getValue(), depth + 1));
        } catch (TooDeep t) {
          throw t.at("." + e.getKey());
        }
      }
      return out;
    }
    if (value instanceof Collection<?> c) {
      if (depth >= MAX_DEPTH) {
        throw new TooDeep();
      }
      List<Object> out = new ArrayList<>(c.size());
      int i = 0;
      for (Object v : c) {
        try {
          out.add(fromJava(v, depth + 1));
        } catch (TooDeep t) {
          throw t.at("[" + i + "]");
        }
        i++;
      }
      return out;
    }
    return value;
  }

  /**
   * A CEL result as a plain Java value or a public type of the policy module: CEL null → null, optionals →
   * {@link Optional} (empty for {@code optional.none()}; an optional holding null is empty too, as Java's Optional
   * cannot hold null), maps and lists copied, timestamp → {@link Instant}, duration → {@link java.time.Duration},
   * bytes → {@code byte[]}, uint → {@link BigInteger}, type → its name, URL and named format → their text,
   * authorizer checks → {@link Authorizer.Check}, authorizer decisions → {@link Authorizer.Decision};
   * quantities, IPs, CIDRs and semvers are already public types.
   */
  public static @Nullable Object toJava(@Nullable Object value) {
    if (value == null || value instanceof NullValue || value instanceof com.google.protobuf.NullValue) {
      return null;
    }
    if (value instanceof Optional<?> o) {
      return o.map(CelValues::toJava);
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
    if (value instanceof com.google.protobuf.Timestamp t) {
      return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
    if (value instanceof com.google.protobuf.Duration d) {
      return java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }
    if (value instanceof ByteString b) {
      return b.toByteArray();
    }
    if (value instanceof dev.cel.common.values.CelByteString b) {
      return b.toByteArray();
    }
    if (value instanceof UnsignedLong u) {
      return u.bigIntegerValue();
    }
    if (value instanceof CelType t) {
      return t instanceof dev.cel.common.types.TypeType tt && !tt.parameters().isEmpty()
          ? tt.parameters().get(0).name() : t.name();
    }
    if (value instanceof GoUrl || value instanceof NamedFormat) {
      return value.toString();
    }
    if (value instanceof AuthorizerValues.Decision d) {
      return new Authorizer.Decision(d.allowed(), d.reason(), d.error());
    }
    if (value instanceof AuthorizerValues.ResourceCheck r) {
      return new Authorizer.Check(null, r.group(), r.resource(), r.subresource(), r.namespace(), r.name(), null);
    }
    if (value instanceof AuthorizerValues.GroupCheck g) {
      return new Authorizer.Check(null, g.group(), null, null, null, null, null);
    }
    if (value instanceof AuthorizerValues.PathCheck p) {
      return new Authorizer.Check(null, null, null, null, null, null, p.path());
    }
    if (value instanceof AuthorizerValues.Value v) {
      return "authorizer for " + v.user();
    }
    return value;
  }

  /** A CEL result as a Jackson tree (for messages and audit values). */
  public static JsonNode toJson(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    Object v = value instanceof Optional<?> o ? o.map(CelValues::toJava).orElse(null) : toJava(value);
    if (v instanceof Optional<?> o) {
      v = o.orElse(null);
    }
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

    @Override public @Nullable Object get(Object key) {
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
