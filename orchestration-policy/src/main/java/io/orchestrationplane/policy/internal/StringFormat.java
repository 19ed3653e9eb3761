package io.orchestrationplane.policy.internal;

import com.google.protobuf.ByteString;
import dev.cel.common.values.NullValue;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** cel-go's {@code string.format(list)} (strings extension v1+): %s %d %f %e %b %o %x %X %% with precision. */
final class StringFormat {
  private StringFormat() {}

  /**
   * Formats; stops with {@link CostMeter.Exceeded} (per-expression limit) once the result passes {@code maxChars}, so
   * that the cost budget bounds what a format may allocate.
   */
  static String format(String template, List<?> args, long maxChars) {
    StringBuilder out = new StringBuilder();
    int next = 0;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      if (i + 1 >= template.length()) {
        throw new IllegalArgumentException("format: unterminated '%' at end of '" + template + "'");
      }
      int j = i + 1;
      Integer precision = null;
      if (template.charAt(j) == '.') {
        int start = ++j;
        while (j < template.length() && Character.isDigit(template.charAt(j))) {
          j++;
        }
        precision = Integer.parseInt(template.substring(start, j));
      }
      if (j >= template.length()) {
        throw new IllegalArgumentException("format: incomplete directive in '" + template + "'");
      }
      char verb = template.charAt(j);
      i = j;
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (next >= args.size()) {
        throw new IllegalArgumentException("format: index " + next + " out of range (" + args.size()
            + " argument(s)) in '" + template + "'");
      }
      Object arg = args.get(next++);
      if (out.length() > maxChars) {
        throw new CostMeter.Exceeded(false);
      }
      out.append(switch (verb) {
        case 's' -> asString(arg);
        case 'd' -> integer(arg, verb);
        case 'f' -> fixed(arg, precision == null ? 6 : precision);
        case 'e' -> String.format("%." + (precision == null ? 6 : precision) + "e", number(arg));
        case 'b' -> arg instanceof Boolean b ? b.toString() : Long.toBinaryString(integerValue(arg, verb));
        case 'o' -> Long.toOctalString(integerValue(arg, verb));
        case 'x', 'X' -> {
          String hex = arg instanceof String s ? hexOf(s.getBytes(java.nio.charset.StandardCharsets.UTF_8))
              : arg instanceof ByteString b ? hexOf(b.toByteArray()) : Long.toHexString(integerValue(arg, verb));
          yield verb == 'X' ? hex.toUpperCase() : hex;
        }
        default -> throw new IllegalArgumentException("format: unrecognized formatting clause '%" + verb + "'");
      });
    }
    if (out.length() > maxChars) {
      throw new CostMeter.Exceeded(false);
    }
    return out.toString();
  }

  private static String hexOf(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      sb.append(String.format("%02x", b & 0xff));
    }
    return sb.toString();
  }

  private static String integer(Object arg, char verb) {
    return Long.toString(integerValue(arg, verb));
  }

  private static long integerValue(Object arg, char verb) {
    if (arg instanceof Long l) {
      return l;
    }
    if (arg instanceof com.google.common.primitives.UnsignedLong u) {
      return u.longValue();
    }
    throw new IllegalArgumentException("format: %" + verb + " needs an integer, got " + typeName(arg));
  }

  private static double number(Object arg) {
    if (arg instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("format: needs a number, got " + typeName(arg));
  }

  private static String fixed(Object arg, int precision) {
    if (arg instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
    }
    return new BigDecimal(Double.toString(number(arg))).setScale(precision, java.math.RoundingMode.HALF_EVEN)
        .toPlainString();
  }

  static String asString(Object arg) {
    if (arg instanceof String s) {
      return s;
    }
    if (arg == null || arg instanceof NullValue) {
      return "null";
    }
    if (arg instanceof Double d) {
      if (d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e21) {
        return Long.toString(d.longValue());
      }
      return d.toString();
    }
    if (arg instanceof ByteString b) {
      return b.toStringUtf8();
    }
    if (arg instanceof List<?> l) {
      return l.stream().map(StringFormat::asString).collect(Collectors.joining(", ", "[", "]"));
    }
    if (arg instanceof Map<?, ?> m) {
      return m.entrySet().stream().map(e -> asString(e.getKey()) + ": " + asString(e.getValue()))
          .sorted().collect(Collectors.joining(", ", "{", "}"));
    }
    return String.valueOf(arg);
  }

  private static String typeName(Object arg) {
    return arg == null ? "null" : arg.getClass().getSimpleName();
  }
}
