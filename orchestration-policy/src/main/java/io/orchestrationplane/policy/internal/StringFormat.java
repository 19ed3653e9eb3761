package io.orchestrationplane.policy.internal;

import com.google.common.primitives.UnsignedLong;
import com.google.protobuf.ByteString;
import dev.cel.common.types.TypeType;
import dev.cel.common.values.CelByteString;
import dev.cel.common.values.NullValue;
import io.orchestrationplane.policy.Cidr;
import io.orchestrationplane.policy.IpAddress;
import io.orchestrationplane.policy.Quantity;
import io.orchestrationplane.policy.Semver;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * cel-go's {@code string.format(list)} (strings extension version 1 and later, {@code ext/formatting.go}) in the
 * en_US locale: %s %d %f %e %b %o %x %X %% with precision for %f. {@code %s} renders values as cel-go converts them
 * to string (doubles as Go's {@code %g}, durations in seconds, timestamps in RFC 3339), and lists and maps as CEL
 * literals (strings quoted, doubles {@code %.6f}, map entries sorted by key); {@code %f} and {@code %e} go through
 * Go's locale-aware printer (grouping, {@code ∞}, {@code 2.718280 × 10⁰⁰}). Errors carry cel-go's messages.
 */
final class StringFormat {
  private static final int DEFAULT_PRECISION = 6;
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
      .withZone(ZoneOffset.UTC);

  private StringFormat() {}

  /**
   * Formats; stops with {@link CostMeter.Exceeded} (per-expression limit) once the result passes {@code maxChars}, so
   * that the cost budget bounds what a format may allocate.
   *
   * @throws IllegalArgumentException with cel-go's message ({@code index 1 out of range}, {@code could not parse
   *     formatting clause: ...}, {@code error during formatting: ...})
   */
  static String format(String template, List<?> args, long maxChars) {
    StringBuilder out = new StringBuilder();
    int next = 0;
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '%') {
        out.append(c);
        i++;
        continue;
      }
      if (i + 1 < template.length() && template.charAt(i + 1) == '%') {
        out.append('%');
        i += 2;
        continue;
      }
      if (next >= args.size()) {
        throw new IllegalArgumentException("index " + next + " out of range");
      }
      if (i + 1 >= template.length()) {
        throw new IllegalArgumentException("unexpected end of string");
      }
      int j = i + 1;
      Integer precision = null;
      if (template.charAt(j) == '.') {
        int start = ++j;
        while (j < template.length() && isAsciiDigit(template.charAt(j))) {
          j++;
        }
        if (j >= template.length()) {
          throw new IllegalArgumentException("could not parse formatting clause: error while parsing precision: "
              + "could not find end of precision specifier");
        }
        if (start == j) {
          throw new IllegalArgumentException("could not parse formatting clause: error while parsing precision: "
              + "error while converting precision to integer: strconv.Atoi: parsing \"\": invalid syntax");
        }
        try {
          precision = Integer.parseInt(template.substring(start, j));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("could not parse formatting clause: error while parsing precision: "
              + "error while converting precision to integer: strconv.Atoi: parsing \""
              + template.substring(start, j) + "\": value out of range");
        }
      }
      char verb = template.charAt(j);
      Object arg = args.get(next++);
      String text;
      try {
        text = switch (verb) {
          case 's' -> string(arg);
          case 'd' -> decimal(arg);
          case 'f' -> fixed(arg, precision == null ? DEFAULT_PRECISION : precision);
          case 'e' -> scientific(arg);
          case 'b' -> binary(arg);
          case 'o' -> octal(arg);
          case 'x', 'X' -> hex(arg, verb == 'X');
          default -> throw new IllegalStateException(
              "could not parse formatting clause: unrecognized formatting clause \"" + verb + "\"");
        };
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException(e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("error during formatting: " + e.getMessage());
      }
      out.append(text);
      if (out.length() > maxChars) {
        throw new CostMeter.Exceeded(false);
      }
      i = j + 1;
    }
    return out.toString();
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** cel-go's {@code FormatString}: the value converted to string; lists and maps as CEL literals. */
  static String string(Object arg) {
    if (arg instanceof List<?> l) {
      return list(l);
    }
    if (arg instanceof Map<?, ?> m) {
      return map(m);
    }
    if (arg == null || arg instanceof NullValue) {
      return "null";
    }
    if (arg instanceof String s) {
      return s;
    }
    if (arg instanceof Long || arg instanceof UnsignedLong || arg instanceof Boolean) {
      return arg.toString();
    }
    if (arg instanceof Double d) {
      return goG(d);
    }
    byte[] bytes = bytes(arg);
    if (bytes != null) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    Duration duration = duration(arg);
    if (duration != null) {
      return durationString(duration);
    }
    Instant instant = instant(arg);
    if (instant != null) {
      return timestampString(instant);
    }
    if (arg instanceof TypeType t) {
      return t.type().name();
    }
    throw new IllegalArgumentException("string clause can only be used on strings, bools, bytes, ints, doubles, "
        + "maps, lists, types, durations, and timestamps, was given " + typeName(arg));
  }

  /** An element of a list or a map value: formatted by its type and quoted as a CEL literal. */
  private static String literal(Object arg) {
    if (arg instanceof Long || arg instanceof UnsignedLong) {
      return arg.toString();
    }
    if (arg instanceof Double d) {
      String fixed = goFixed(d, DEFAULT_PRECISION);
      return d.isNaN() || d.isInfinite() ? GoText.quote(fixed) : fixed;
    }
    if (arg instanceof String s) {
      return GoText.quote(s);
    }
    byte[] bytes = bytes(arg);
    if (bytes != null) {
      return "b" + GoText.quote(new String(bytes, StandardCharsets.UTF_8));
    }
    Duration duration = duration(arg);
    if (duration != null) {
      return "duration(" + GoText.quote(durationString(duration)) + ")";
    }
    Instant instant = instant(arg);
    if (instant != null) {
      return "timestamp(" + GoText.quote(timestampString(instant)) + ")";
    }
    if (arg instanceof List<?> || arg instanceof Map<?, ?> || arg == null || arg instanceof NullValue
        || arg instanceof Boolean || arg instanceof TypeType) {
      return string(arg);
    }
    throw new IllegalArgumentException("no formatting function for " + typeName(arg));
  }

  private static String list(List<?> l) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < l.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(literal(l.get(i)));
    }
    return out.append(']').toString();
  }

  private static String map(Map<?, ?> m) {
    List<String[]> entries = new ArrayList<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      Object k = e.getKey();
      String key;
      if (k instanceof String s) {
        key = GoText.quote(s);
      } else if (k instanceof Boolean || k instanceof Long || k instanceof UnsignedLong) {
        key = k.toString();
      } else {
        throw new IllegalArgumentException("no formatting function for map key of type " + typeName(k));
      }
      entries.add(new String[] {key, literal(e.getValue())});
    }
    // Go sorts the keys as strings, byte by byte
    entries.sort((a, b) -> compareUtf8(a[0], b[0]));
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < entries.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(entries.get(i)[0]).append(':').append(entries.get(i)[1]);
    }
    return out.append('}').toString();
  }

  private static int compareUtf8(String a, String b) {
    byte[] x = a.getBytes(StandardCharsets.UTF_8);
    byte[] y = b.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] != y[i]) {
        return Integer.compare(x[i] & 0xff, y[i] & 0xff);
      }
    }
    return Integer.compare(x.length, y.length);
  }

  private static String decimal(Object arg) {
    if (arg instanceof Long || arg instanceof UnsignedLong) {
      return arg.toString();
    }
    throw new IllegalArgumentException("decimal clause can only be used on integers, was given " + typeName(arg));
  }

  /** {@code %f}: doubles, or the strings NaN, Infinity and -Infinity, through Go's en_US printer. */
  private static String fixed(Object arg, int precision) {
    double d = floating(arg, "fixed-point clause can only be used on doubles, was given ");
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "∞" : "-∞";
    }
    BigDecimal rounded = new BigDecimal(d).setScale(precision, RoundingMode.HALF_EVEN);
    String plain = rounded.abs().toPlainString();
    int point = plain.indexOf('.');
    String whole = point < 0 ? plain : plain.substring(0, point);
    StringBuilder grouped = new StringBuilder();
    for (int i = 0; i < whole.length(); i++) {
      if (i > 0 && (whole.length() - i) % 3 == 0) {
        grouped.append(',');
      }
      grouped.append(whole.charAt(i));
    }
    String sign = rounded.signum() < 0 || (rounded.signum() == 0 && (1 / d) < 0) ? "-" : "";
    return sign + grouped + (point < 0 ? "" : plain.substring(point));
  }

  /**
   * {@code %e}: cel-go passes the precision as a width ({@code %6e}), so the mantissa always has six decimals, and
   * Go's en_US printer writes the exponent as a power of ten in superscript digits: {@code 1.052033 × 10⁰³}.
   */
  private static String scientific(Object arg) {
    double d = floating(arg, "scientific clause can only be used on doubles, was given ");
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "∞" : "-∞";
    }
    String sign = d < 0 || (d == 0 && (1 / d) < 0) ? "-" : "";
    BigDecimal v = new BigDecimal(Math.abs(d));
    int exponent = v.signum() == 0 ? 0 : v.precision() - v.scale() - 1;
    BigDecimal mantissa = v.movePointLeft(exponent).setScale(DEFAULT_PRECISION, RoundingMode.HALF_EVEN);
    if (mantissa.compareTo(BigDecimal.TEN) >= 0) {
      exponent++;
      mantissa = v.movePointLeft(exponent).setScale(DEFAULT_PRECISION, RoundingMode.HALF_EVEN);
    }
    String digits = String.format("%02d", Math.abs(exponent));
    StringBuilder power = new StringBuilder(exponent < 0 ? "⁻" : "");
    for (char c : digits.toCharArray()) {
      power.append("⁰¹²³⁴⁵⁶⁷⁸⁹".charAt(c - '0'));
    }
    return sign + mantissa.toPlainString() + "\u202f×\u202f10" + power;
  }

  private static double floating(Object arg, String error) {
    if (arg instanceof Double d) {
      return d;
    }
    if (arg instanceof String s && (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity"))) {
      return Double.parseDouble(s);
    }
    throw new IllegalArgumentException(error + typeName(arg));
  }

  private static String binary(Object arg) {
    if (arg instanceof Long l) {
      return Long.toString(l, 2);
    }
    if (arg instanceof UnsignedLong u) {
      return u.bigIntegerValue().toString(2);
    }
    if (arg instanceof Boolean b) {
      return b ? "1" : "0";
    }
    throw new IllegalArgumentException("only integers and bools can be formatted as binary, was given "
        + typeName(arg));
  }

  private static String octal(Object arg) {
    if (arg instanceof Long l) {
      return Long.toString(l, 8);
    }
    if (arg instanceof UnsignedLong u) {
      return u.bigIntegerValue().toString(8);
    }
    throw new IllegalArgumentException("octal clause can only be used on integers, was given " + typeName(arg));
  }

  private static String hex(Object arg, boolean upper) {
    String hex;
    byte[] bytes = arg instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : bytes(arg);
    if (bytes != null) {
      StringBuilder sb = new StringBuilder(bytes.length * 2);
      for (byte b : bytes) {
        sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      hex = sb.toString();
    } else if (arg instanceof Long l) {
      hex = Long.toString(l, 16);
    } else if (arg instanceof UnsignedLong u) {
      hex = u.bigIntegerValue().toString(16);
    } else {
      throw new IllegalArgumentException("only integers, byte buffers, and strings can be formatted as hex, "
          + "was given " + typeName(arg));
    }
    return upper ? hex.toUpperCase(java.util.Locale.ROOT) : hex;
  }

  private static byte @org.jspecify.annotations.Nullable [] bytes(Object arg) {
    if (arg instanceof CelByteString b) {
      return b.toByteArray();
    }
    if (arg instanceof ByteString b) {
      return b.toByteArray();
    }
    return null;
  }

  private static @org.jspecify.annotations.Nullable Duration duration(Object arg) {
    if (arg instanceof Duration d) {
      return d;
    }
    if (arg instanceof com.google.protobuf.Duration d) {
      return Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }
    return null;
  }

  private static @org.jspecify.annotations.Nullable Instant instant(Object arg) {
    if (arg instanceof Instant i) {
      return i;
    }
    if (arg instanceof com.google.protobuf.Timestamp t) {
      return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
    return null;
  }

  /** cel-go's duration to string: the seconds as Go's shortest {@code 'f'} float, then "s". */
  private static String durationString(Duration d) {
    BigDecimal seconds = new BigDecimal(BigInteger.valueOf(d.getSeconds()).multiply(BigInteger.valueOf(1_000_000_000L))
        .add(BigInteger.valueOf(d.getNano())), 9);
    return (seconds.signum() == 0 ? "0" : seconds.stripTrailingZeros().toPlainString()) + "s";
  }

  /** Go's {@code time.RFC3339Nano} in UTC: fractional seconds without trailing zeros. */
  private static String timestampString(Instant i) {
    String fraction = "";
    if (i.getNano() != 0) {
      fraction = String.format(".%09d", i.getNano()).replaceAll("0+$", "");
    }
    return SECONDS.format(i) + fraction + "Z";
  }

  /** Go's {@code strconv.FormatFloat(d, 'g', -1, 64)}: shortest digits, exponent form below 1e-4 and from 1e6. */
  static String goG(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
      return (1 / d) < 0 ? "-0" : "0";
    }
    BigDecimal v = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = v.unscaledValue().toString();
    int exponent = digits.length() - 1 - v.scale();
    String sign = d < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 6) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
    return sign + v.toPlainString();
  }

  /** Go's {@code fmt.Sprintf("%.Nf")}: exact rounding, NaN, +Inf, -Inf. */
  private static String goFixed(double d, int precision) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    String s = new BigDecimal(d).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
    return (d < 0 || (d == 0 && (1 / d) < 0)) && !s.startsWith("-") ? "-" + s : s;
  }

  /** cel-go's type names: {@code double}, {@code null_type}, {@code google.protobuf.Duration}, ... */
  private static String typeName(Object arg) {
    if (arg == null || arg instanceof NullValue) {
      return "null_type";
    }
    if (arg instanceof Long) {
      return "int";
    }
    if (arg instanceof UnsignedLong) {
      return "uint";
    }
    if (arg instanceof Double) {
      return "double";
    }
    if (arg instanceof Boolean) {
      return "bool";
    }
    if (arg instanceof String) {
      return "string";
    }
    if (bytes(arg) != null) {
      return "bytes";
    }
    if (arg instanceof List<?>) {
      return "list";
    }
    if (arg instanceof Map<?, ?>) {
      return "map";
    }
    if (duration(arg) != null) {
      return "google.protobuf.Duration";
    }
    if (instant(arg) != null) {
      return "google.protobuf.Timestamp";
    }
    if (arg instanceof TypeType) {
      return "type";
    }
    if (arg instanceof java.util.Optional<?>) {
      return "optional_type";
    }
    if (arg instanceof Quantity) {
      return "kubernetes.Quantity";
    }
    if (arg instanceof IpAddress) {
      return "net.IP";
    }
    if (arg instanceof Cidr) {
      return "net.CIDR";
    }
    if (arg instanceof Semver) {
      return "kubernetes.Semver";
    }
    if (arg instanceof GoUrl) {
      return "kubernetes.URL";
    }
    if (arg instanceof NamedFormat) {
      return "kubernetes.NamedFormat";
    }
    return arg.getClass().getSimpleName();
  }
}
