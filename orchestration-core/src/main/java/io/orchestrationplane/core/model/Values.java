package io.orchestrationplane.core.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import io.orchestrationplane.core.model.internal.PropertyList;
import io.orchestrationplane.core.model.internal.PropertyMap;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Canonical, immutable copies of property values, so that equal content gives equal models
 * whichever way it was written (Java literals, YAML or JSON): integers become {@code Long},
 * other numbers {@code Double} (or {@code BigDecimal}), maps keep their order and lists are
 * unmodifiable. Maps and lists are held compactly ({@link PropertyMap}, {@link PropertyList}):
 * a plane keeps every submitted application for as long as it manages it.
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
    if (map instanceof PropertyMap canonical) {
      return canonical; // made by this class: immutable, its values canonical and within MAX_DEPTH
    }
    Map<String, ?> ordered = inStableOrder(map);
    Object[] namesAndValues = new Object[2 * ordered.size()];
    int size = 0;
    for (Map.Entry<String, ?> e : ordered.entrySet()) {
      String k = e.getKey();
      if (k == null) {
        throw new IllegalArgumentException(what + ": property names must not be null");
      }
      if (2 * size == namesAndValues.length) {
        namesAndValues = Arrays.copyOf(namesAndValues, 2 * size + 2); // a map whose size() fell behind
      }
      namesAndValues[2 * size] = k;
      namesAndValues[2 * size + 1] = canonical(e.getValue(), what, k, 1);
      size++;
    }
    return PropertyMap.of(namesAndValues, size);
  }

  /**
   * The overrides of an environment, in the given map's order: each component's properties made
   * canonical by {@link #canonicalMap}. Throws {@link NullPointerException} for a null component
   * name.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> canonicalOverrides(Map<String, ? extends Map<String, ?>> overrides,
      String what) {
    Object[] namesAndValues = new Object[2 * overrides.size()];
    int size = 0;
    for (Map.Entry<String, ? extends Map<String, ?>> e : overrides.entrySet()) {
      String component = Objects.requireNonNull(e.getKey(), "component");
      if (2 * size == namesAndValues.length) {
        namesAndValues = Arrays.copyOf(namesAndValues, 2 * size + 2);
      }
      namesAndValues[2 * size] = component;
      namesAndValues[2 * size + 1] = canonicalMap(e.getValue(), what + " override " + component);
      size++;
    }
    // every value is a Map<String, Object>: the cast only names what the array holds
    return (Map<String, Map<String, Object>>) (Map<String, ?>) PropertyMap.of(namesAndValues, size);
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
      Map<?, ?> ordered = inStableOrder(m);
      Object[] namesAndValues = new Object[2 * ordered.size()];
      int size = 0;
      for (Map.Entry<?, ?> e : ordered.entrySet()) {
        String k = String.valueOf(e.getKey());
        if (2 * size == namesAndValues.length) {
          namesAndValues = Arrays.copyOf(namesAndValues, 2 * size + 2);
        }
        namesAndValues[2 * size] = k;
        namesAndValues[2 * size + 1] = canonical(e.getValue(), here, k, depth + 1);
        size++;
      }
      return PropertyMap.of(namesAndValues, size); // a key twice (1 and "1") keeps its first place, its last value
    }
    if (value instanceof List<?> l) {
      Object[] out = new Object[l.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = canonical(l.get(i), here, i, depth + 1);
      }
      return PropertyList.of(out);
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
