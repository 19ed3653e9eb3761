package io.orchestrationplane.core.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Canonical, immutable copies of property values, so that equal content gives equal models
 * whichever way it was written (Java literals, YAML or JSON): integers become {@code Long},
 * other numbers {@code Double} (or {@code BigDecimal}), maps keep their order and lists are
 * unmodifiable.
 */
final class Values {
  /**
   * How deep property values may nest. Deeper values are refused when the model is built, so
   * that nothing downstream (validation, rendering, hashing, policies) can be made to recurse
   * without bound by an input.
   */
  static final int MAX_DEPTH = 100;

  private Values() {}

  static Map<String, Object> canonicalMap(Map<String, ?> map, String what) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    inStableOrder(map).forEach((k, v) -> {
      if (k == null) {
        throw new IllegalArgumentException(what + ": property names must not be null");
      }
      out.put(k, canonical(v, what, k, 1));
    });
    return Collections.unmodifiableMap(out);
  }

  /**
   * The map itself when its iteration order means something (LinkedHashMap, sorted maps, maps
   * decoded from YAML), else its entries sorted by key: {@code Map.of} and {@code HashMap} iterate
   * in an order that changes between JVM runs, which would change rendered lists (env) and so
   * the content hash, and show up as drift.
   */
  private static <K, V> Map<K, V> inStableOrder(Map<K, V> map) {
    boolean unordered = (map instanceof java.util.HashMap && !(map instanceof LinkedHashMap))
        || map instanceof java.util.Hashtable || map instanceof java.util.concurrent.ConcurrentHashMap
        || map.getClass().getName().startsWith("java.util.ImmutableCollections");
    if (!unordered) {
      return map;
    }
    Map<K, V> sorted = new java.util.TreeMap<>(java.util.Comparator.comparing(String::valueOf));
    sorted.putAll(map);
    return sorted;
  }

  static Object canonical(Object value, String what) {
    return canonical(value, what, null, 0);
  }

  /**
   * The canonical copy of {@code value}, found at {@code what} plus {@code segment} (a key or an
   * index; the path is put together only for an error message) at nesting {@code depth}.
   */
  private static Object canonical(Object value, String what, @Nullable Object segment, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(path(what, segment) + ": values nest more than " + MAX_DEPTH
          + " levels deep");
    }
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
        || value instanceof Double || value instanceof BigDecimal) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() < 64 ? (Object) big.longValue() : new BigDecimal(big);
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    String here = segment == null ? what : path(what, segment);
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      inStableOrder(m).forEach((k, v) -> out.put(String.valueOf(k), canonical(v, here, String.valueOf(k), depth + 1)));
      return Collections.unmodifiableMap(out);
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (int i = 0; i < l.size(); i++) {
        out.add(canonical(l.get(i), here, i, depth + 1));
      }
      return Collections.unmodifiableList(out);
    }
    if (value instanceof CharSequence cs) {
      return cs.toString();
    }
    throw new IllegalArgumentException(here + ": unsupported value type " + value.getClass().getName()
        + " (use strings, numbers, booleans, lists and maps)");
  }

  /** True when every map in two equal applications lists its entries in the same order. */
  static boolean sameOrder(Application a, Application b) {
    for (int i = 0; i < a.components().size(); i++) {
      Component x = a.components().get(i);
      Component y = b.components().get(i);
      if (!sameOrder(x.properties(), y.properties())) {
        return false;
      }
      for (int t = 0; t < x.traits().size(); t++) {
        if (!sameOrder(x.traits().get(t).properties(), y.traits().get(t).properties())) {
          return false;
        }
      }
    }
    for (int i = 0; i < a.environments().size(); i++) {
      for (Component c : a.components()) {
        if (!sameOrder(a.environments().get(i).overridesFor(c.name()), b.environments().get(i).overridesFor(c.name()))) {
          return false;
        }
      }
    }
    return true;
  }

  /** Equal values (as {@code equals} says) whose maps also list their keys in the same order, at any depth. */
  static boolean sameOrder(Object a, Object b) {
    java.util.ArrayDeque<Object[]> todo = new java.util.ArrayDeque<>();
    todo.push(new Object[] {a, b});
    while (!todo.isEmpty()) {
      Object[] pair = todo.pop();
      if (pair[0] instanceof Map<?, ?> x && pair[1] instanceof Map<?, ?> y) {
        var xi = x.entrySet().iterator();
        var yi = y.entrySet().iterator();
        while (xi.hasNext() && yi.hasNext()) {
          var xe = xi.next();
          var ye = yi.next();
          if (!java.util.Objects.equals(xe.getKey(), ye.getKey())) {
            return false;
          }
          todo.push(new Object[] {xe.getValue(), ye.getValue()});
        }
        if (xi.hasNext() || yi.hasNext()) {
          return false;
        }
      } else if (pair[0] instanceof List<?> x && pair[1] instanceof List<?> y && x.size() == y.size()) {
        for (int i = 0; i < x.size(); i++) {
          todo.push(new Object[] {x.get(i), y.get(i)});
        }
      }
    }
    return true;
  }

  private static String path(String what, @Nullable Object segment) {
    if (segment == null) {
      return what;
    }
    String p = segment instanceof Integer i ? what + "[" + i + "]" : what + "." + segment;
    return p.length() > 300 ? p.substring(0, 140) + "..." + p.substring(p.length() - 140) : p;
  }
}
