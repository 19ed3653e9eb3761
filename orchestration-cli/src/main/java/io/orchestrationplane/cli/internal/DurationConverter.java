package io.orchestrationplane.cli.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Reads {@code 500ms}, {@code 90s}, {@code 5m}, {@code 1h} or an ISO-8601 duration ({@code PT5M});
 * never negative, never longer than {@link #MAX} (a longer one is no timeout, and one the clock
 * cannot add to the time would fail only after the apply had written).
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  /** The longest duration taken. */
  static final Duration MAX = Duration.ofDays(365);

  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    Matcher m = SHORT.matcher(value.trim());
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    } else {
      try {
        d = Duration.parse(value.trim());
      } catch (DateTimeParseException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (500ms, 90s, 5m, 1h or PT5M)");
      }
    }
    if (d.isNegative()) {
      throw new CommandLine.TypeConversionException("'" + value + "' is negative");
    }
    if (d.compareTo(MAX) > 0) {
      throw new CommandLine.TypeConversionException("'" + value + "' is longer than a year (365 days)");
    }
    return d;
  }
}
