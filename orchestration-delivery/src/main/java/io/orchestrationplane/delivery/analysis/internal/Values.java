package io.orchestrationplane.delivery.analysis.internal;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Text and checks of metric values. */
public final class Values {
  private Values() {}

  public static String text(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  public static String text(Object o) {
    if (o instanceof Double d) {
      return text(d.doubleValue());
    }
    if (o instanceof Float f) {
      return text(f.doubleValue());
    }
    if (o instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      m.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append(": ").append(text(v)));
      return sb.append('}').toString();
    }
    if (o instanceof List<?> l) {
      return l.stream().map(Values::text).toList().toString();
    }
    return String.valueOf(o);
  }

  public static boolean anyNaN(Object o) {
    if (o instanceof Double d) {
      return d.isNaN();
    }
    if (o instanceof Float f) {
      return f.isNaN();
    }
    if (o instanceof Map<?, ?> m) {
      return m.values().stream().anyMatch(Values::anyNaN);
    }
    if (o instanceof List<?> l) {
      return l.stream().anyMatch(Values::anyNaN);
    }
    return false;
  }

  public static void checkPlain(String path, Object v) {
    if (v instanceof Number || v instanceof String || v instanceof Boolean) {
      return;
    }
    if (v instanceof Map<?, ?> m) {
      m.forEach((k, x) -> {
        if (!(k instanceof String)) {
          throw new IllegalArgumentException("result." + path + ": map keys must be strings");
        }
        checkPlain(path + "." + k, Objects.requireNonNull(x, () -> "result." + path + "." + k + " is null"));
      });
      return;
    }
    if (v instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        int at = i;
        checkPlain(path + "[" + i + "]", Objects.requireNonNull(l.get(i), () -> "result." + path + "[" + at + "] is null"));
      }
      return;
    }
    throw new IllegalArgumentException("result." + path + ": a " + (v == null ? "null" : v.getClass().getSimpleName())
        + " is not a number, string, boolean, list or map");
  }
}
