package io.orchestrationplane.core.resource.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Kubernetes resource quantities ({@code 500m}, {@code 1Gi}, {@code 1e3}) as the API server reads
 * and stores them (apimachinery's {@code resource.Quantity}): parsed to an exact value rounded up
 * to nano units, and written back in canonical form, so that {@code 0.5} and {@code 500m}, or
 * {@code 1024Mi} and {@code 1Gi}, are the same quantity.
 */
public final class Quantities {
  private static final BigDecimal NANO = new BigDecimal("1e-9");
  private static final BigInteger K1024 = BigInteger.valueOf(1024);
  /** The largest binary-SI quantity Kubernetes keeps; larger ones are stored as this (apimachinery's maxAllowed). */
  private static final BigDecimal MAX_BINARY = BigDecimal.valueOf(Long.MAX_VALUE);

  private Quantities() {}

  /** How a quantity was written, which decides its canonical form. */
  public enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

  /** A parsed quantity: its exact value and the format it was written in. */
  public record Quantity(BigDecimal value, Format format) {
    /** Kubernetes' canonical text for this quantity ({@code 500m}, {@code 1Gi}, {@code 1e3}). */
    public String canonical() {
      return Quantities.canonical(value, format);
    }
  }

  /**
   * The quantity a JSON scalar holds (a number, or a string in quantity syntax), or {@code null}.
   * As the API server reads JSON, a string's leading and trailing white space is ignored.
   */
  public static @Nullable Quantity parse(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isNumber()) {
      if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
        return null; // not a number the API server accepts
      }
      return new Quantity(roundUp(node.decimalValue()), Format.DECIMAL_SI);
    }
    return node.isString() ? parse(trimSpace(node.stringValue())) : null;
  }

  /** {@code text} without leading and trailing white space, in Go's sense ({@code strings.TrimSpace}). */
  private static String trimSpace(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isSpace(text.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  private static boolean isSpace(char c) {
    return c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r' || c == '\u0085'
        || Character.isSpaceChar(c);
  }

  /** The quantity in {@code text}, or {@code null} when it is not one. */
  public static @Nullable Quantity parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 64) {
      return null;
    }
    int i = 0;
    int n = text.length();
    if (text.charAt(0) == '+' || text.charAt(0) == '-') {
      i++;
    }
    boolean digits = false;
    while (i < n && Character.isDigit(text.charAt(i))) {
      i++;
      digits = true;
    }
    if (i < n && text.charAt(i) == '.') {
      i++;
      while (i < n && Character.isDigit(text.charAt(i))) {
        i++;
        digits = true;
      }
    }
    if (!digits) {
      return null;
    }
    BigDecimal number;
    try {
      number = new BigDecimal(text.substring(0, i));
    } catch (NumberFormatException e) {
      return null;
    }
    String suffix = text.substring(i);
    BigDecimal value;
    Format format;
    switch (suffix) {
      case "" -> { value = number; format = Format.DECIMAL_SI; }
      case "n" -> { value = number.scaleByPowerOfTen(-9); format = Format.DECIMAL_SI; }
      case "u" -> { value = number.scaleByPowerOfTen(-6); format = Format.DECIMAL_SI; }
      case "m" -> { value = number.scaleByPowerOfTen(-3); format = Format.DECIMAL_SI; }
      case "k" -> { value = number.scaleByPowerOfTen(3); format = Format.DECIMAL_SI; }
      case "M" -> { value = number.scaleByPowerOfTen(6); format = Format.DECIMAL_SI; }
      case "G" -> { value = number.scaleByPowerOfTen(9); format = Format.DECIMAL_SI; }
      case "T" -> { value = number.scaleByPowerOfTen(12); format = Format.DECIMAL_SI; }
      case "P" -> { value = number.scaleByPowerOfTen(15); format = Format.DECIMAL_SI; }
      case "E" -> { value = number.scaleByPowerOfTen(18); format = Format.DECIMAL_SI; }
      case "Ki" -> { value = number.multiply(new BigDecimal(K1024)); format = Format.BINARY_SI; }
      case "Mi" -> { value = number.multiply(new BigDecimal(K1024.pow(2))); format = Format.BINARY_SI; }
      case "Gi" -> { value = number.multiply(new BigDecimal(K1024.pow(3))); format = Format.BINARY_SI; }
      case "Ti" -> { value = number.multiply(new BigDecimal(K1024.pow(4))); format = Format.BINARY_SI; }
      case "Pi" -> { value = number.multiply(new BigDecimal(K1024.pow(5))); format = Format.BINARY_SI; }
      case "Ei" -> { value = number.multiply(new BigDecimal(K1024.pow(6))); format = Format.BINARY_SI; }
      default -> {
        if ((suffix.charAt(0) != 'e' && suffix.charAt(0) != 'E') || suffix.length() < 2) {
          return null;
        }
        int exponent;
        try {
          exponent = Integer.parseInt(suffix.substring(1));
        } catch (NumberFormatException e) {
          return null;
        }
        if (Math.abs(exponent) > 100) {
          return null;
        }
        value = number.scaleByPowerOfTen(exponent);
        format = Format.DECIMAL_EXPONENT;
      }
    }
    value = roundUp(value);
    if (format == Format.BINARY_SI && value.abs().compareTo(MAX_BINARY) > 0) {
      value = value.signum() < 0 ? MAX_BINARY.negate() : MAX_BINARY; // capped, as Kubernetes does
    }
    return new Quantity(value, format);
  }

  /** True when both nodes hold quantities of the same value. */
  public static boolean sameQuantity(JsonNode a, JsonNode b) {
    return sameQuantity(a, b, false);
  }

  /**
   * True when both nodes hold quantities of the same value; with {@code milli}, of the same value
   * once rounded up to milli units, as the API server stores the values of a built-in kind's
   * resource list (core/v1 {@code SetDefaults_ResourceList}: {@code 0.0001} is stored as {@code 1m}).
   */
  public static boolean sameQuantity(JsonNode a, JsonNode b, boolean milli) {
    Quantity qa = parse(a);
    if (qa == null) {
      return false;
    }
    Quantity qb = parse(b);
    if (qb == null) {
      return false;
    }
    return milli ? toMilli(qa.value()).compareTo(toMilli(qb.value())) == 0 : qa.value().compareTo(qb.value()) == 0;
  }

  /** {@code q} rounded up (away from zero) to milli units, in the format it was written in. */
  public static Quantity toMilli(Quantity q) {
    return new Quantity(toMilli(q.value()), q.format());
  }

  private static BigDecimal toMilli(BigDecimal v) {
    return v.scale() <= 3 ? v : v.setScale(3, RoundingMode.UP);
  }

  // Quantities hold at most nano precision; finer values round up (away from zero), as Kubernetes does.
  private static BigDecimal roundUp(BigDecimal v) {
    if (v.scale() <= 9) {
      return v;
    }
    return v.setScale(9, v.signum() < 0 ? RoundingMode.FLOOR : RoundingMode.CEILING);
  }

  private static String canonical(BigDecimal value, Format format) {
    if (value.signum() == 0) {
      return "0";
    }
    Format f = format;
    if (f == Format.BINARY_SI) {
      // Small or fractional binary values are written in decimal, as Kubernetes does.
      boolean integral = value.stripTrailingZeros().scale() <= 0;
      if (!integral || value.abs().compareTo(BigDecimal.valueOf(1024)) < 0) {
        f = Format.DECIMAL_SI;
      }
    }
    if (f == Format.BINARY_SI) {
      BigInteger n = value.toBigIntegerExact();
      String[] suffixes = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
      int exp = 0;
      while (exp < 6 && n.signum() != 0 && n.mod(K1024).signum() == 0) {
        n = n.divide(K1024);
        exp++;
      }
      return n + suffixes[exp];
    }
    // Decimal: an integer mantissa times 10^(3k), with the largest k that keeps it an integer.
    BigDecimal scaled = value.divide(NANO).setScale(0, RoundingMode.UNNECESSARY); // in nano units, exact
    BigInteger mantissa = scaled.toBigIntegerExact();
    int exp3 = -9;
    BigInteger thousand = BigInteger.valueOf(1000);
    while (mantissa.signum() != 0 && mantissa.mod(thousand).signum() == 0 && exp3 < 18) {
      mantissa = mantissa.divide(thousand);
      exp3 += 3;
    }
    if (f == Format.DECIMAL_EXPONENT) {
      return exp3 == 0 ? mantissa.toString() : mantissa + "e" + exp3;
    }
    String suffix = switch (exp3) {
      case -9 -> "n";
      case -6 -> "u";
      case -3 -> "m";
      case 0 -> "";
      case 3 -> "k";
      case 6 -> "M";
      case 9 -> "G";
      case 12 -> "T";
      case 15 -> "P";
      default -> "E";
    };
    return mantissa + suffix;
  }
}
