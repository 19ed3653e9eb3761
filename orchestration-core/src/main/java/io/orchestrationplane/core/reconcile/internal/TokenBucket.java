package io.orchestrationplane.core.reconcile.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket that hands out reservations: each call takes a token, possibly one that will
 * only exist in the future, and says how long to wait for it (like Go's {@code rate.Limiter.Reserve}).
 * Time comes from the clock, so a fake clock refills it.
 */
final class TokenBucket {
  private final Clock clock;
  private final double ratePerSecond;
  private final double burst;
  private double tokens;
  private Instant last;

  TokenBucket(Clock clock, double ratePerSecond, int burst) {
    this.clock = clock;
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.tokens = burst;
    this.last = clock.instant();
  }

  synchronized Duration reserve() {
    Instant now = clock.instant();
    if (now.isAfter(last)) {
      long elapsed = nanosBetween(last, now);
      // Multiply before dividing so round rates give exact token counts.
      tokens = Math.min(burst, tokens + elapsed * ratePerSecond / 1e9);
      last = now;
    }
    tokens -= 1;
    if (tokens >= 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) Math.ceil(-tokens * 1e9 / ratePerSecond));
  }

  private static long nanosBetween(Instant from, Instant to) {
    try {
      return Duration.between(from, to).toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }
}
