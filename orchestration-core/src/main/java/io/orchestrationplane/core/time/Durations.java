package io.orchestrationplane.core.time;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Durations as people read them in messages: {@code 2m 30s}, {@code 1h 5m}, {@code 3d 4h},
 * {@code 450ms}, rather than {@code PT2M30S}.
 */
public final class Durations {
  private static final long[] UNITS = {86_400, 3_600, 60, 1};
  private static final String[] NAMES = {"d", "h", "m", "s"};

  private Durations() {}

  /**
   * The two largest non-zero units, the smaller one dropped when it is zero and the rest truncated:
   * {@code 150s} is {@code 2m 30s}, {@code 3605s} is {@code 1h}, {@code 90061s} is {@code 1d 1h};
   * below a second, milliseconds ({@code 450ms}); zero and negative durations are {@code 0s}.
   */
  public static String human(Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      return "0s";
    }
    long seconds = duration.getSeconds();
    if (seconds == 0) {
      long millis = duration.toMillis();
      return millis == 0 ? "<1ms" : millis + "ms";
    }
    List<String> parts = new ArrayList<>(2);
    for (int i = 0; i < UNITS.length && parts.size() < 2; i++) {
      long n = seconds / UNITS[i];
      seconds %= UNITS[i];
      if (n > 0) {
        parts.add(n + NAMES[i]);
      } else if (!parts.isEmpty()) {
        break; // "1h" rather than "1h 0m"; never skip to a smaller unit
      }
    }
    return String.join(" ", parts);
  }
}
