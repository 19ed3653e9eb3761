package io.orchestrationplane.core.time;

import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#toString()}'s text, made without a {@code DateTimeFormatter} for the years 1000
 * to 9999: {@code 2026-12-03T17:20:05Z}, with 3, 6 or 9 fraction digits when the nanoseconds need
 * them. The plane writes an instant into every audit record and every workflow transition, where
 * the formatter's generality was a measurable share of the cost; other years go to {@code
 * toString} itself, so the text is always the same.
 */
public final class InstantText {
  private static final long YEAR_1000 = LocalDate.of(1000, 1, 1).toEpochDay() * 86_400L;
  private static final long YEAR_10000 = LocalDate.of(10000, 1, 1).toEpochDay() * 86_400L;

  private InstantText() {}

  /** Exactly {@code instant.toString()}. */
  public static String of(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds < YEAR_1000 || seconds >= YEAR_10000) {
      return instant.toString();
    }
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
    int ofDay = (int) Math.floorMod(seconds, 86_400L);
    int nano = instant.getNano();
    char[] out = new char[30];
    put(out, 0, date.getYear(), 4);
    out[4] = '-';
    put(out, 5, date.getMonthValue(), 2);
    out[7] = '-';
    put(out, 8, date.getDayOfMonth(), 2);
    out[10] = 'T';
    put(out, 11, ofDay / 3_600, 2);
    out[13] = ':';
    put(out, 14, ofDay / 60 % 60, 2);
    out[16] = ':';
    put(out, 17, ofDay % 60, 2);
    int n = 19;
    if (nano != 0) {
      out[n++] = '.';
      if (nano % 1_000_000 == 0) {
        put(out, n, nano / 1_000_000, 3);
        n += 3;
      } else if (nano % 1_000 == 0) {
        put(out, n, nano / 1_000, 6);
        n += 6;
      } else {
        put(out, n, nano, 9);
        n += 9;
      }
    }
    out[n++] = 'Z';
    return new String(out, 0, n);
  }

  /** Writes {@code value} as {@code width} decimal digits, zero-padded, at {@code at}. */
  private static void put(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
