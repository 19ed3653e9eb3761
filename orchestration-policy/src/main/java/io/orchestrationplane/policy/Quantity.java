package io.orchestrationplane.policy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Objects;

/**
 * A Kubernetes resource quantity ({@code 100m}, {@code 1.5Gi}, {@code 2e3}) as Kubernetes' CEL {@code quantity}
 * library sees it ({@code kubernetes.Quantity} in CEL), parsed as apimachinery's {@code resource.ParseQuantity}
 * parses: exact for up to 18 significant digits; otherwise rounded up to a multiple of 1n (10⁻⁹), and binary
 * quantities ({@code Ki} ... {@code Ei}) are capped at 2⁶³−1 in magnitude, as the API server does. Immutable; equal
 * when numerically equal.
 *
 * <p>The scale of {@link #value} is the scale apimachinery keeps: the digits as written ({@code 1.0} has scale 1,
 * {@code 1000m} scale 3, {@code 5k} scale −3), the smaller scale of two operands after {@link #add}, and 9 for a
 * value apimachinery holds as an arbitrary-precision decimal (more than 18 digits, finer than 1n, a fraction of a
 * binary suffix). {@link #isInteger} reads it as apimachinery's {@code AsInt64} does.
 *
 * @param value the exact value
 * @param text the text it was parsed from (or a plain decimal rendering for computed quantities)
 */
public record Quantity(BigDecimal value, String text) implements Comparable<Quantity> {
  /** Kubernetes' message for text that is not a quantity. */
  static final String FORMAT_WRONG =
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  private static final String SUFFIX_WRONG = "unable to parse quantity's suffix";
  private static final String NUMERIC_WRONG = "unable to parse numeric part of quantity";
  private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final Map<String, Integer> DECIMAL = Map.of("n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6,
      "G", 9, "T", 12, "P", 15, "E", 18);
  private static final Map<String, Integer> BINARY = Map.of("Ki", 10, "Mi", 20, "Gi", 30, "Ti", 40, "Pi", 50,
      "Ei", 60);

  public Quantity {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(text, "text");
  }

  /**
   * Parses a quantity.
   *
   * @throws IllegalArgumentException with Kubernetes' message ({@code quantities must match the regular expression
   *     ...}, {@code unable to parse quantity's suffix})
   */
  public static Quantity parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new IllegalArgumentException(FORMAT_WRONG);
    }
    int end = text.length();
    int pos = 0;
    boolean positive = true;
    if (text.charAt(0) == '-' || text.charAt(0) == '+') {
      positive = text.charAt(0) == '+';
      pos++;
    }
    while (pos < end && text.charAt(pos) == '0') {
      pos++;
    }
    if (pos >= end) {
      return new Quantity(BigDecimal.ZERO, text);
    }
    int numStart = pos;
    while (pos < end && isDigit(text.charAt(pos))) {
      pos++;
    }
    String num = text.substring(numStart, pos);
    String denom = "";
    if (pos < end && text.charAt(pos) == '.') {
      int denomStart = ++pos;
      while (pos < end && isDigit(text.charAt(pos))) {
        pos++;
      }
      denom = text.substring(denomStart, pos);
    }
    int suffixStart = pos;
    while (pos < end && "eEinumkKMGTP".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    if (pos < end && (text.charAt(pos) == '-' || text.charAt(pos) == '+')) {
      pos++;
    }
    while (pos < end && isDigit(text.charAt(pos))) {
      pos++;
    }
    if (pos < end) {
      throw new IllegalArgumentException(FORMAT_WRONG);
    }
    String suffix = text.substring(suffixStart);
    Integer decimal = DECIMAL.get(suffix);
    Integer binary = BINARY.get(suffix);
    if (decimal == null && binary == null) {
      if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')
          && suffix.substring(1).matches("[+-]?[0-9]+")) {
        String digits = suffix.substring(1);
        try {
          long e = Long.parseLong(digits.startsWith("+") ? digits.substring(1) : digits);
          if (Math.abs(e) > 100_000) {
            // Go truncates such exponents to 32 bits; far outside any resource amount, refused here (docs/policy.md).
            throw new IllegalArgumentException(NUMERIC_WRONG);
          }
          decimal = (int) e;
        } catch (NumberFormatException ex) {
          throw new IllegalArgumentException(SUFFIX_WRONG);
        }
      } else {
        throw new IllegalArgumentException(SUFFIX_WRONG);
      }
    }
    // Go counts an all-zero numerator as the one digit "0".
    String digits = num.isEmpty() ? "0" : num;
    int numLength = digits.length();
    BigDecimal magnitude = new BigDecimal(new BigInteger(digits + denom), denom.length());
    BigDecimal amount;
    boolean exact;
    if (binary != null) {
      amount = new BigDecimal(magnitude.unscaledValue().shiftLeft(binary), magnitude.scale());
      int precision = 15 - numLength - (int) ((float) binary * 3 / 10) - 1;
      exact = denom.isEmpty() && precision >= 0 && amount.compareTo(MAX) <= 0;
    } else {
      amount = magnitude.scaleByPowerOfTen(decimal);
      exact = 18 - (numLength + denom.length()) >= 0 && decimal - denom.length() >= -9;
    }
    if (!exact) {
      // Go's inf.Dec path: rounded up to 1n; only binary quantities are capped (quantity.go "a simple cap").
      amount = amount.setScale(9, RoundingMode.UP);
      if (binary != null && amount.compareTo(MAX) > 0) {
        amount = MAX.setScale(9);
      }
    }
    return new Quantity(positive ? amount : amount.negate(), text);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Whether {@link #parse} accepts the text. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** An integer quantity. */
  public static Quantity of(long value) {
    return new Quantity(BigDecimal.valueOf(value), Long.toString(value));
  }

  /** -1, 0 or 1. */
  public long sign() {
    return value.signum();
  }

  /**
   * Whether {@link #asInteger} succeeds, as apimachinery's {@code Quantity.AsInt64}: the value is held without a
   * fractional scale and fits in 64 bits. A quantity written with a fraction or a sub-unit suffix ({@code 1.0},
   * {@code 1000m}) or held as an arbitrary-precision decimal ({@code 0.5Gi}, 19 digits or more) is not an integer,
   * as the API server answers.
   */
  public boolean isInteger() {
    return value.scale() <= 0 && value.toBigInteger().bitLength() < 64;
  }

  /**
   * The value as a long.
   *
   * @throws IllegalArgumentException {@code cannot convert value to integer} when fractional or out of range
   */
  public long asInteger() {
    if (!isInteger()) {
      throw new IllegalArgumentException("cannot convert value to integer");
    }
    return value.toBigIntegerExact().longValueExact();
  }

  /** The value as the nearest double. */
  public double asApproximateFloat() {
    return value.doubleValue();
  }

  /** The exact sum. */
  public Quantity add(Quantity other) {
    BigDecimal sum = value.add(other.value);
    return new Quantity(sum, sum.stripTrailingZeros().toPlainString());
  }

  /** The exact difference. */
  public Quantity subtract(Quantity other) {
    BigDecimal diff = value.subtract(other.value);
    return new Quantity(diff, diff.stripTrailingZeros().toPlainString());
  }

  @Override public int compareTo(Quantity o) {
    return value.compareTo(o.value);
  }

  @Override public boolean equals(Object o) {
    return o instanceof Quantity q && value.compareTo(q.value) == 0;
  }

  @Override public int hashCode() {
    return value.signum() == 0 ? 0 : value.stripTrailingZeros().hashCode();
  }

  /** The text it was parsed from. */
  @Override public String toString() {
    return text;
  }
}
