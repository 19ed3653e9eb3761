package io.orchestrationplane.policy.internal;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Kubernetes resource quantity ({@code 100m}, {@code 1.5Gi}, {@code 2e3}), exact (BigDecimal). */
public record Quantity(BigDecimal value, String text) implements Comparable<Quantity> {
  private static final Pattern SYNTAX =
      Pattern.compile("([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?");
  private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
      Map.entry("Ki", BigDecimal.valueOf(1024L)), Map.entry("Mi", BigDecimal.valueOf(1024L * 1024)),
      Map.entry("Gi", BigDecimal.valueOf(1024L * 1024 * 1024)),
      Map.entry("Ti", BigDecimal.valueOf(1024L * 1024 * 1024 * 1024)),
      Map.entry("Pi", BigDecimal.valueOf(1024L * 1024 * 1024 * 1024 * 1024)),
      Map.entry("Ei", BigDecimal.valueOf(1024L * 1024 * 1024 * 1024 * 1024 * 1024)),
      Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")),
      Map.entry("m", new BigDecimal("1e-3")), Map.entry("k", new BigDecimal("1e3")),
      Map.entry("M", new BigDecimal("1e6")), Map.entry("G", new BigDecimal("1e9")),
      Map.entry("T", new BigDecimal("1e12")), Map.entry("P", new BigDecimal("1e15")),
      Map.entry("E", new BigDecimal("1e18")));

  /** Parses a quantity; throws {@link IllegalArgumentException} naming the text. */
  public static Quantity parse(String text) {
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("quantities must match the regular expression "
          + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': '" + text + "'");
    }
    BigDecimal number = new BigDecimal(m.group(1));
    String suffix = m.group(2);
    if (suffix != null) {
      if (suffix.startsWith("e") || suffix.startsWith("E")) {
        number = number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
      } else {
        number = number.multiply(SUFFIXES.get(suffix));
      }
    }
    return new Quantity(number, text);
  }

  public static boolean isValid(String text) {
    return SYNTAX.matcher(text).matches();
  }

  public long sign() {
    return value.signum();
  }

  public boolean isInteger() {
    if (value.signum() == 0) {
      return true;
    }
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() <= 0 && stripped.toBigInteger().bitLength() < 64;
  }

  /** The value as a long; throws when fractional or out of range. */
  public long asInteger() {
    if (!isInteger()) {
      throw new IllegalArgumentException("cannot convert value to integer: " + text);
    }
    return value.toBigIntegerExact().longValueExact();
  }

  public double asApproximateFloat() {
    return value.doubleValue();
  }

  public Quantity add(Quantity other) {
    BigDecimal sum = value.add(other.value);
    return new Quantity(sum, sum.stripTrailingZeros().toPlainString());
  }

  public Quantity subtract(Quantity other) {
    BigDecimal diff = value.subtract(other.value);
    return new Quantity(diff, diff.stripTrailingZeros().toPlainString());
  }

  public static Quantity of(long value) {
    return new Quantity(BigDecimal.valueOf(value), Long.toString(value));
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

  @Override public String toString() {
    return text;
  }

}
