package io.orchestrationplane.delivery;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A five-field Unix cron expression, {@code minute hour day-of-month month day-of-week}, as
 * crontab(5) and Argo CD's sync windows read it: each field {@code *}, a number, a range
 * {@code a-b}, a step {@code *}{@code /n} or {@code a-b/n}, or a comma list of those; months
 * {@code 1-12} or {@code JAN}-{@code DEC}; days of week {@code 0-7} (0 and 7 are Sunday) or
 * {@code SUN}-{@code SAT}. As in crontab, when both day-of-month and day-of-week are restricted
 * (neither starts with {@code *}) a day matches if either does. No seconds, years, {@code L},
 * {@code W}, {@code #} or {@code ?}. Matching is on local date-times; {@link ChangeWindow} puts a
 * time zone on them.
 */
public final class CronSchedule {
  private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("JAN", 1), Map.entry("FEB", 2),
      Map.entry("MAR", 3), Map.entry("APR", 4), Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7),
      Map.entry("AUG", 8), Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
  private static final Map<String, Integer> DAYS = Map.of("SUN", 0, "MON", 1, "TUE", 2, "WED", 3, "THU", 4,
      "FRI", 5, "SAT", 6);
  /** How far back or ahead a search goes: longer than any schedule's gap (Feb 29 recurs within 8 years). */
  private static final int SEARCH_DAYS = 366 * 9;

  private final String expression;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean domRestricted;
  private final boolean dowRestricted;

  private CronSchedule(String expression, BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months,
      BitSet daysOfWeek, boolean domRestricted, boolean dowRestricted) {
    this.expression = expression;
    this.minutes = minutes;
    this.hours = hours;
    this.daysOfMonth = daysOfMonth;
    this.months = months;
    this.daysOfWeek = daysOfWeek;
    this.domRestricted = domRestricted;
    this.dowRestricted = dowRestricted;
  }

  /**
   * Parses an expression; throws {@link IllegalArgumentException} naming the field and the
   * character position (1-based) of what is wrong.
   */
  public static CronSchedule parse(String expression) {
    Objects.requireNonNull(expression, "expression");
    String[] fields = expression.trim().split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException("cron expression '" + expression + "' has " + fields.length
          + " fields; expected 5: minute hour day-of-month month day-of-week");
    }
    BitSet dow = field(expression, fields[4], "day-of-week", 0, 7, DAYS);
    if (dow.get(7)) {
      dow.set(0);
      dow.clear(7);
    }
    return new CronSchedule(expression.trim(), field(expression, fields[0], "minute", 0, 59, Map.of()),
        field(expression, fields[1], "hour", 0, 23, Map.of()), field(expression, fields[2], "day-of-month", 1, 31, Map.of()),
        field(expression, fields[3], "month", 1, 12, MONTHS), dow, !fields[2].startsWith("*"), !fields[4].startsWith("*"));
  }

  private static BitSet field(String expression, String text, String name, int min, int max, Map<String, Integer> names) {
    BitSet bits = new BitSet(max + 1);
    for (String part : text.split(",", -1)) {
      String range = part;
      int step = 1;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        range = part.substring(0, slash);
        step = number(expression, part.substring(slash + 1), name, 1, max, Map.of());
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max;
      } else if (range.indexOf('-') > 0) {
        int dash = range.indexOf('-');
        from = number(expression, range.substring(0, dash), name, min, max, names);
        to = number(expression, range.substring(dash + 1), name, min, max, names);
        if (to < from) {
          throw bad(expression, name, "range '" + range + "' runs backwards");
        }
      } else {
        from = number(expression, range, name, min, max, names);
        to = slash >= 0 ? max : from;
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String expression, String text, String name, int min, int max, Map<String, Integer> names) {
    Integer named = names.get(text.toUpperCase(Locale.ROOT));
    if (named != null) {
      return named;
    }
    try {
      int v = Integer.parseInt(text);
      if (v < min || v > max) {
        throw bad(expression, name, text + " is outside " + min + "-" + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw bad(expression, name, "'" + text + "' is not a number" + (names.isEmpty() ? "" : " or a name like "
          + names.keySet().stream().sorted().findFirst().orElseThrow()));
    }
  }

  private static IllegalArgumentException bad(String expression, String field, String message) {
    return new IllegalArgumentException("cron expression '" + expression + "', field " + field + ": " + message);
  }

  /** The expression as written (trimmed). */
  public String expression() {
    return expression;
  }

  /** Whether the schedule fires at this minute (seconds ignored). */
  public boolean matches(LocalDateTime time) {
    return dayMatches(time.toLocalDate()) && hours.get(time.getHour()) && minutes.get(time.getMinute());
  }

  private boolean dayMatches(LocalDate date) {
    if (!months.get(date.getMonthValue())) {
      return false;
    }
    boolean dom = daysOfMonth.get(date.getDayOfMonth());
    boolean dow = daysOfWeek.get(date.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : date.getDayOfWeek().getValue());
    if (domRestricted && dowRestricted) {
      return dom || dow;
    }
    return dom && dow;
  }

  /** The latest firing at or before {@code time} (to the minute), within about nine years. */
  public Optional<LocalDateTime> latestAtOrBefore(LocalDateTime time) {
    LocalDate day = time.toLocalDate();
    for (int i = 0; i < SEARCH_DAYS; i++, day = day.minusDays(1)) {
      if (!dayMatches(day)) {
        continue;
      }
      int fromHour = i == 0 ? time.getHour() : 23;
      for (int h = hours.previousSetBit(fromHour); h >= 0; h = hours.previousSetBit(h - 1)) {
        int fromMinute = i == 0 && h == time.getHour() ? time.getMinute() : 59;
        int m = minutes.previousSetBit(fromMinute);
        if (m >= 0) {
          return Optional.of(LocalDateTime.of(day, LocalTime.of(h, m)));
        }
      }
    }
    return Optional.empty();
  }

  /** The earliest firing strictly after {@code time} (to the minute), within about nine years. */
  public Optional<LocalDateTime> nextAfter(LocalDateTime time) {
    LocalDateTime start = time.withSecond(0).withNano(0).plusMinutes(1);
    LocalDate day = start.toLocalDate();
    for (int i = 0; i < SEARCH_DAYS; i++, day = day.plusDays(1)) {
      if (!dayMatches(day)) {
        continue;
      }
      int fromHour = i == 0 ? start.getHour() : 0;
      for (int h = hours.nextSetBit(fromHour); h >= 0 && h <= 23; h = hours.nextSetBit(h + 1)) {
        int fromMinute = i == 0 && h == start.getHour() ? start.getMinute() : 0;
        int m = minutes.nextSetBit(fromMinute);
        if (m >= 0 && m <= 59) {
          return Optional.of(LocalDateTime.of(day, LocalTime.of(h, m)));
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CronSchedule c && c.expression.equals(expression);
  }

  @Override
  public int hashCode() {
    return expression.hashCode();
  }

  @Override
  public String toString() {
    return expression;
  }
}
