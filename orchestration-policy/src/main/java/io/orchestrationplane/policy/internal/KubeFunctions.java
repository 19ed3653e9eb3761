package io.orchestrationplane.policy.internal;

import com.google.common.primitives.UnsignedLong;
import com.google.protobuf.ByteString;
import dev.cel.common.CelErrorCode;
import dev.cel.common.exceptions.CelRuntimeException;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Implementations shared by the Kubernetes libraries, with cel-go's error texts. */
final class KubeFunctions {
  private KubeFunctions() {}

  /**
   * A library function's failure: cel-java reports the message of this exception's cause as the evaluation error,
   * without the "Function ... failed with arg(s)" wrapping (which would also quote argument values).
   */
  static final class Failure extends CelRuntimeException {
    Failure(@Nullable String message) {
      super(new IllegalArgumentException(message), CelErrorCode.BAD_FORMAT);
    }
  }

  /** Runs {@code f}; an {@link IllegalArgumentException} becomes a {@link Failure} with the same message. */
  static <T> T call(Supplier<T> f) {
    try {
      return f.get();
    } catch (IllegalArgumentException e) {
      throw new Failure(e.getMessage());
    }
  }

  static Failure noSuchOverload() {
    return new Failure("no such overload");
  }

  /**
   * {@code list[index]} as cel-go's lists answer it: an int, or a uint or double holding an int exactly, within
   * the list; else {@code index '5' out of range in list size '2'}, {@code unsupported index value 1.5 in list} or
   * {@code unsupported index type 'string' in list}.
   */
  static Object index(List<?> l, Object index) {
    long i;
    if (index instanceof Long n) {
      i = n;
    } else if (index instanceof UnsignedLong u && u.compareTo(UnsignedLong.valueOf(Long.MAX_VALUE)) <= 0) {
      i = u.longValue();
    } else if (index instanceof Double d && d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) {
      i = d.longValue();
    } else if (index instanceof Number) {
      throw new Failure("unsupported index value " + (index instanceof Double d ? StringFormat.goG(d) : index)
          + " in list");
    } else {
      throw new Failure("unsupported index type '" + typeName(index) + "' in list");
    }
    if (i < 0 || i >= l.size()) {
      throw new Failure("index '" + i + "' out of range in list size '" + l.size() + "'");
    }
    return l.get((int) i);
  }

  /** The CEL type name of a runtime value, as cel-go prints it in errors. */
  static String typeName(@Nullable Object o) {
    if (o == null || o instanceof dev.cel.common.values.NullValue || o instanceof com.google.protobuf.NullValue) {
      return "null_type";
    }
    String kind = kind(o);
    if (kind != null) {
      return kind.equals("duration") ? "google.protobuf.Duration"
          : kind.equals("timestamp") ? "google.protobuf.Timestamp" : kind;
    }
    if (o instanceof List) {
      return "list";
    }
    if (o instanceof java.util.Map) {
      return "map";
    }
    if (o instanceof java.util.Optional) {
      return "optional_type";
    }
    return o.getClass().getSimpleName();
  }

  static int indexOf(List<?> l, Object x, boolean last) {
    int found = -1;
    for (int i = 0; i < l.size(); i++) {
      if (celEquals(l.get(i), x)) {
        found = i;
        if (!last) {
          return i;
        }
      }
    }
    return found;
  }

  static boolean celEquals(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y && !(a.getClass().equals(b.getClass()))) {
      return x.doubleValue() == y.doubleValue();
    }
    return a.equals(b);
  }

  /** Which of Kubernetes' element-typed overloads cel-go would dispatch to: decided by the first element. */
  private static @Nullable String kind(Object o) {
    if (o instanceof Long) {
      return "int";
    }
    if (o instanceof UnsignedLong) {
      return "uint";
    }
    if (o instanceof Double) {
      return "double";
    }
    if (o instanceof Boolean) {
      return "bool";
    }
    if (o instanceof com.google.protobuf.Duration || o instanceof java.time.Duration) {
      return "duration";
    }
    if (o instanceof com.google.protobuf.Timestamp || o instanceof java.time.Instant) {
      return "timestamp";
    }
    if (o instanceof String) {
      return "string";
    }
    if (o instanceof ByteString || o instanceof dev.cel.common.values.CelByteString) {
      return "bytes";
    }
    return null;
  }

  /** cel-go's {@code Compare} between two values of comparable types; numbers compare across types. */
  static int compare(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y && !(a instanceof UnsignedLong) && !(b instanceof UnsignedLong)) {
      if (a instanceof Long l && b instanceof Long m) {
        return Long.compare(l, m);
      }
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    if (a instanceof UnsignedLong x && b instanceof UnsignedLong y) {
      return x.compareTo(y);
    }
    if (a instanceof UnsignedLong || b instanceof UnsignedLong) {
      if (a instanceof Number x && b instanceof Number y) {
        return new java.math.BigDecimal(x.toString()).compareTo(new java.math.BigDecimal(y.toString()));
      }
      throw noSuchOverload();
    }
    if (a instanceof String x && b instanceof String y) {
      return Integer.signum(x.compareTo(y));
    }
    if (a instanceof Boolean x && b instanceof Boolean y) {
      return Boolean.compare(x, y);
    }
    if (a instanceof ByteString x && b instanceof ByteString y) {
      return ByteString.unsignedLexicographicalComparator().compare(x, y);
    }
    if (a instanceof dev.cel.common.values.CelByteString x && b instanceof dev.cel.common.values.CelByteString y) {
      return Integer.signum(dev.cel.common.values.CelByteString.unsignedLexicographicalComparator().compare(x, y));
    }
    if (a instanceof java.time.Duration x && b instanceof java.time.Duration y) {
      return x.compareTo(y);
    }
    if (a instanceof java.time.Instant x && b instanceof java.time.Instant y) {
      return x.compareTo(y);
    }
    if (a instanceof com.google.protobuf.Duration x && b instanceof com.google.protobuf.Duration y) {
      return x.getSeconds() != y.getSeconds() ? Long.compare(x.getSeconds(), y.getSeconds())
          : Integer.compare(x.getNanos(), y.getNanos());
    }
    if (a instanceof com.google.protobuf.Timestamp x && b instanceof com.google.protobuf.Timestamp y) {
      return x.getSeconds() != y.getSeconds() ? Long.compare(x.getSeconds(), y.getSeconds())
          : Integer.compare(x.getNanos(), y.getNanos());
    }
    throw noSuchOverload();
  }

  static boolean isSorted(List<?> l) {
    if (!l.isEmpty() && kind(l.get(0)) == null) {
      throw noSuchOverload();
    }
    for (int i = 1; i < l.size(); i++) {
      if (compare(l.get(i - 1), l.get(i)) > 0) {
        return false;
      }
    }
    return true;
  }

  static Object extreme(List<?> l, int sign, String name) {
    if (l.isEmpty()) {
      throw new Failure(name + " called on empty list");
    }
    if (kind(l.get(0)) == null) {
      throw noSuchOverload();
    }
    Object best = l.get(0);
    for (Object o : l) {
      if (compare(o, best) * sign > 0) {
        best = o;
      }
    }
    return best;
  }

  static Object sum(List<?> l) {
    String k = l.isEmpty() ? "int" : kind(l.get(0));
    if (k == null) {
      throw noSuchOverload();
    }
    switch (k) {
      case "int" -> {
        long s = 0;
        for (Object o : l) {
          if (!(o instanceof Long v)) {
            throw noSuchOverload();
          }
          try {
            s = Math.addExact(s, v);
          } catch (ArithmeticException e) {
            throw new Failure("integer overflow");
          }
        }
        return s;
      }
      case "uint" -> {
        UnsignedLong s = UnsignedLong.ZERO;
        for (Object o : l) {
          if (!(o instanceof UnsignedLong v)) {
            throw noSuchOverload();
          }
          UnsignedLong next = s.plus(v);
          if (next.compareTo(s) < 0) {
            throw new Failure("unsigned integer overflow");
          }
          s = next;
        }
        return s;
      }
      case "double" -> {
        double s = 0;
        for (Object o : l) {
          if (!(o instanceof Double v)) {
            throw noSuchOverload();
          }
          s += v;
        }
        return s;
      }
      case "duration" -> {
        if (l.get(0) instanceof java.time.Duration) {
          java.time.Duration total = java.time.Duration.ZERO;
          for (Object o : l) {
            if (!(o instanceof java.time.Duration d)) {
              throw noSuchOverload();
            }
            try {
              total = total.plus(d);
            } catch (ArithmeticException e) {
              throw new Failure("integer overflow");
            }
          }
          return total;
        }
        long seconds = 0;
        long nanos = 0;
        for (Object o : l) {
          if (!(o instanceof com.google.protobuf.Duration d)) {
            throw noSuchOverload();
          }
          seconds = Math.addExact(seconds, d.getSeconds());
          nanos += d.getNanos();
        }
        seconds = Math.addExact(seconds, Math.floorDiv(nanos, 1_000_000_000L));
        return com.google.protobuf.Duration.newBuilder().setSeconds(seconds)
            .setNanos((int) Math.floorMod(nanos, 1_000_000_000L)).build();
      }
      default -> throw noSuchOverload();
    }
  }

  /** Go's {@code strconv.ParseFloat} syntax: decimal or hexadecimal floats, no spaces, no Java suffixes. */
  private static final java.util.regex.Pattern GO_FLOAT = java.util.regex.Pattern.compile(
      "[+-]?(?:(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
          + "|0[xX](?:[0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][+-]?[0-9]+)");

  /**
   * cel-go's {@code double(string)}: Go's {@code ParseFloat}, which also reads {@code Inf}, {@code infinity} and
   * {@code NaN} in any case and refuses values out of range; a failure is {@code type conversion error from 'string'
   * to 'double'}.
   */
  static double parseDouble(String s) {
    boolean signed = s.startsWith("+") || s.startsWith("-");
    String special = (signed ? s.substring(1) : s).toLowerCase(java.util.Locale.ROOT);
    if (special.equals("inf") || special.equals("infinity")) {
      return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (special.equals("nan") && !signed) {
      return Double.NaN;
    }
    if (GO_FLOAT.matcher(s).matches()) {
      double d = Double.parseDouble(s);
      if (!Double.isInfinite(d)) {
        return d;
      }
    }
    throw new Failure("type conversion error from 'string' to 'double'");
  }

  /** cel-go's {@code bool(string)}: Go's {@code ParseBool} (1, t, T, TRUE, true, True and their opposites). */
  static boolean parseBool(String s) {
    return switch (s) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> throw new Failure("type conversion error from 'string' to 'bool'");
    };
  }

  /** cel-go's {@code sort}: the list's elements in order, all of the first one's comparable type. */
  static List<Object> sort(List<?> list) {
    return sortByAssociatedKeys(list, list);
  }

  /**
   * cel-go's {@code @sortByAssociatedKeys}, behind {@code sortBy}: the list in the order of its keys, which must be
   * comparable and all of the first key's type ({@code list elements must be comparable}, {@code list elements must
   * have the same type}).
   */
  static List<Object> sortByAssociatedKeys(List<?> list, List<?> keys) {
    if (list.size() != keys.size()) {
      throw new Failure("@sortByAssociatedKeys() expected a list of the same size as the associated keys list, but got "
          + list.size() + " and " + keys.size() + " elements respectively");
    }
    if (list.isEmpty()) {
      return List.of();
    }
    String kind = kind(keys.get(0));
    if (kind == null) {
      throw new Failure("list elements must be comparable");
    }
    for (Object key : keys) {
      if (!kind.equals(kind(key))) {
        throw new Failure("list elements must have the same type");
      }
    }
    List<Integer> order = new java.util.ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      order.add(i);
    }
    order.sort((i, j) -> compare(keys.get(i), keys.get(j)));
    List<Object> sorted = new java.util.ArrayList<>(list.size());
    for (int i : order) {
      sorted.add(list.get(i));
    }
    return sorted;
  }

  /**
   * cel-go's {@code substring} (code points): {@code invalid substring range. start: 4, end: 3} when the start is
   * after the end, else {@code index out of range: n} for the first index outside the string.
   */
  static String substring(String s, long start, @Nullable Long end) {
    int length = s.codePointCount(0, s.length());
    if (end != null && start > end) {
      throw new Failure("invalid substring range. start: " + start + ", end: " + end);
    }
    if (start < 0 || start > length) {
      throw new Failure("index out of range: " + start);
    }
    long stop = end == null ? length : end;
    if (stop < 0 || stop > length) {
      throw new Failure("index out of range: " + stop);
    }
    return s.substring(s.offsetByCodePoints(0, (int) start), s.offsetByCodePoints(0, (int) stop));
  }

  /** cel-go's {@code strings.quote}: double quotes; escapes for \a \b \f \n \r \t \v, backslash and quote. */
  /** The length of {@link #quote}'s result, in chars, without building it. */
  static long quotedLength(String s) {
    long n = 2;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c == 7 || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t' || c == 11 || c == '\\'
          || c == '"' ? 2 : 1;
    }
    return n;
  }

  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      switch (c) {
        case 7 -> out.append("\\a");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case 11 -> out.append("\\v");
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        default -> out.appendCodePoint(Character.isSurrogate((char) c) ? 0xFFFD : c);
      }
    }
    return out.append('"').toString();
  }
}
