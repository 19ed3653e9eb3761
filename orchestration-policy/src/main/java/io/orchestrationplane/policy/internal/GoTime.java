package io.orchestrationplane.policy.internal;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Durations and timestamps with the range and errors of cel-go, which holds a duration as Go's {@code time.Duration}
 * (a signed 64-bit count of nanoseconds, about ±292 years) and a timestamp between the years 1 and 9999. Parsing is
 * Go's {@code time.ParseDuration}; a result out of range is {@code duration overflow} or {@code timestamp overflow}.
 */
final class GoTime {
  private GoTime() {}

  /** Seconds since the epoch of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z (cel-go's minUnixTime, maxUnixTime). */
  private static final long MIN_UNIX = -62_135_596_800L;
  private static final long MAX_UNIX = 253_402_300_799L;

  private static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(63);
  private static final BigInteger TEN = BigInteger.TEN;

  /** Go's duration units, in nanoseconds (both micro signs). */
  private static final Map<String, Long> UNITS = Map.of("ns", 1L, "us", 1_000L, "\u00b5s", 1_000L, "\u03bcs", 1_000L,
      "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

  private static final String DURATION_CONVERSION = "type conversion error from 'string' to 'google.protobuf.Duration'";

  /**
   * {@code duration(string)} as cel-go: Go's {@code time.ParseDuration} ({@code 1h30m}, {@code -1.5h}, {@code .5s},
   * {@code 0}), refusing what does not fit in 64 bits of nanoseconds.
   */
  static Duration parseDuration(String text) {
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw new KubeFunctions.Failure(DURATION_CONVERSION);
    }
    BigInteger total = BigInteger.ZERO;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '.' && (c < '0' || c > '9')) {
        throw new KubeFunctions.Failure(DURATION_CONVERSION);
      }
      int start = i;
      BigInteger whole = BigInteger.ZERO;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        whole = whole.multiply(TEN).add(BigInteger.valueOf(s.charAt(i) - '0'));
        if (whole.compareTo(TWO_63) > 0) {
          throw new KubeFunctions.Failure(DURATION_CONVERSION);
        }
        i++;
      }
      boolean pre = i > start;
      boolean post = false;
      long fraction = 0;
      double scale = 1;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        int fractionStart = i;
        boolean overflow = false;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          // Go's leadingFraction: digits past 63 bits are read but ignored
          int digit = s.charAt(i) - '0';
          if (!overflow) {
            if (fraction > (Long.MAX_VALUE - digit) / 10) {
              overflow = true;
            } else {
              fraction = fraction * 10 + digit;
              scale *= 10;
            }
          }
          i++;
        }
        post = i > fractionStart;
      }
      if (!pre && !post) {
        throw new KubeFunctions.Failure(DURATION_CONVERSION);
      }
      int unitStart = i;
      while (i < s.length() && s.charAt(i) != '.' && (s.charAt(i) < '0' || s.charAt(i) > '9')) {
        i++;
      }
      Long unit = UNITS.get(s.substring(unitStart, i));
      if (unit == null) {
        throw new KubeFunctions.Failure(DURATION_CONVERSION);
      }
      BigInteger v = whole.multiply(BigInteger.valueOf(unit));
      if (v.compareTo(TWO_63) > 0) {
        throw new KubeFunctions.Failure(DURATION_CONVERSION);
      }
      if (fraction > 0) {
        // float64 arithmetic, as Go's: uint64(float64(f) * (float64(unit) / scale))
        v = v.add(BigInteger.valueOf((long) ((double) fraction * ((double) unit / scale))));
        if (v.compareTo(TWO_63) > 0) {
          throw new KubeFunctions.Failure(DURATION_CONVERSION);
        }
      }
      total = total.add(v);
      if (total.compareTo(TWO_63) > 0) {
        throw new KubeFunctions.Failure(DURATION_CONVERSION);
      }
    }
    if (!negative && total.compareTo(TWO_63) == 0) {
      throw new KubeFunctions.Failure(DURATION_CONVERSION);
    }
    return Duration.ofNanos(negative ? total.negate().longValue() : total.longValue());
  }

  /** The nanoseconds of {@code d}, or {@code duration overflow} when they do not fit in 64 bits. */
  private static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      throw new KubeFunctions.Failure("duration overflow");
    }
  }

  static Duration add(Duration a, Duration b) {
    try {
      return Duration.ofNanos(Math.addExact(nanos(a), nanos(b)));
    } catch (ArithmeticException e) {
      throw new KubeFunctions.Failure("duration overflow");
    }
  }

  static Duration subtract(Duration a, Duration b) {
    try {
      return Duration.ofNanos(Math.subtractExact(nanos(a), nanos(b)));
    } catch (ArithmeticException e) {
      throw new KubeFunctions.Failure("duration overflow");
    }
  }

  /** {@code t + d}: {@code timestamp overflow} outside the years 1 to 9999. */
  static Instant add(Instant t, Duration d) {
    return timestamp(t.plusNanos(nanos(d)));
  }

  static Instant subtract(Instant t, Duration d) {
    long n = nanos(d);
    return timestamp(n == Long.MIN_VALUE ? t.plusNanos(Long.MAX_VALUE).plusNanos(1) : t.minusNanos(n));
  }

  /** {@code a - b}: {@code duration overflow} when the difference does not fit in 64 bits of nanoseconds. */
  static Duration subtract(Instant a, Instant b) {
    return Duration.ofNanos(nanos(Duration.between(b, a)));
  }

  private static final String TIMESTAMP_CONVERSION =
      "type conversion error from 'string' to 'google.protobuf.Timestamp'";

  /**
   * {@code timestamp(string)} as cel-go: Go's {@code time.Parse(time.RFC3339, s)}, which wants an upper-case
   * {@code T} and {@code Z}, reads a fraction of any length after a dot or a comma (beyond nanoseconds it is
   * truncated) and offsets up to 24:60; then {@code timestamp overflow} outside the years 1 to 9999.
   */
  static Instant parseTimestamp(String s) {
    int[] at = {0};
    int year = fixed(s, at, 4);
    literal(s, at, '-');
    int month = fixed(s, at, 2);
    literal(s, at, '-');
    int day = fixed(s, at, 2);
    literal(s, at, 'T');
    int hour = digits(s, at, 1, 2);
    literal(s, at, ':');
    int minute = fixed(s, at, 2);
    literal(s, at, ':');
    int second = fixed(s, at, 2);
    int nanos = 0;
    int i = at[0];
    if (i + 1 < s.length() && (s.charAt(i) == '.' || s.charAt(i) == ',') && isDigit(s, i + 1)) {
      int j = i + 1;
      int scale = 100_000_000;
      while (j < s.length() && isDigit(s, j)) {
        nanos += (s.charAt(j) - '0') * scale;
        scale /= 10;
        j++;
      }
      at[0] = j;
    }
    long offset;
    if (at[0] < s.length() && s.charAt(at[0]) == 'Z') {
      offset = 0;
      at[0]++;
    } else {
      if (at[0] + 6 > s.length() || s.charAt(at[0] + 3) != ':') {
        throw new KubeFunctions.Failure(TIMESTAMP_CONVERSION);
      }
      char sign = s.charAt(at[0]);
      at[0]++;
      int offsetHours = fixed(s, at, 2);
      at[0]++;
      int offsetMinutes = fixed(s, at, 2);
      if ((sign != '+' && sign != '-') || offsetHours > 24 || offsetMinutes > 60) {
        throw new KubeFunctions.Failure(TIMESTAMP_CONVERSION);
      }
      offset = (offsetHours * 60L + offsetMinutes) * 60 * (sign == '-' ? -1 : 1);
    }
    if (at[0] != s.length() || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59
        || day < 1 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      throw new KubeFunctions.Failure(TIMESTAMP_CONVERSION);
    }
    long local = java.time.LocalDateTime.of(year, month, day, hour, minute, second)
        .toEpochSecond(java.time.ZoneOffset.UTC);
    return timestamp(Instant.ofEpochSecond(local - offset, nanos));
  }

  private static boolean isDigit(String s, int i) {
    return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
  }

  /** Exactly {@code n} digits at {@code at[0]}, which moves past them. */
  private static int fixed(String s, int[] at, int n) {
    return digits(s, at, n, n);
  }

  /** From {@code min} to {@code max} digits at {@code at[0]}, which moves past them. */
  private static int digits(String s, int[] at, int min, int max) {
    int value = 0;
    int n = 0;
    while (n < max && isDigit(s, at[0] + n)) {
      value = value * 10 + (s.charAt(at[0] + n) - '0');
      n++;
    }
    if (n < min) {
      throw new KubeFunctions.Failure(TIMESTAMP_CONVERSION);
    }
    at[0] += n;
    return value;
  }

  private static void literal(String s, int[] at, char c) {
    if (at[0] >= s.length() || s.charAt(at[0]) != c) {
      throw new KubeFunctions.Failure(TIMESTAMP_CONVERSION);
    }
    at[0]++;
  }

  /** {@code timestamp(int)}: seconds since the epoch, {@code timestamp overflow} outside the years 1 to 9999. */
  static Instant ofEpochSecond(long seconds) {
    if (seconds < MIN_UNIX || seconds > MAX_UNIX) {
      throw new KubeFunctions.Failure("timestamp overflow");
    }
    return Instant.ofEpochSecond(seconds);
  }

  private static Instant timestamp(Instant t) {
    if (t.getEpochSecond() < MIN_UNIX || t.getEpochSecond() > MAX_UNIX) {
      throw new KubeFunctions.Failure("timestamp overflow");
    }
    return t;
  }
}
