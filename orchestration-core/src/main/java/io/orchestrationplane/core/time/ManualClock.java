package io.orchestrationplane.core.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A clock that moves only when told to, for deterministic tests and simulations: nothing reads
 * wall time, so ten minutes pass in a microsecond. Thread-safe.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
 * clock.advance(Duration.ofMinutes(10)); // listeners (schedulers) run what came due
 * }</pre>
 */
public final class ManualClock extends Clock {
  private final Object lock = new Object();
  private final ZoneId zone;
  private final List<Consumer<Instant>> listeners;
  private Instant now;

  private ManualClock(Instant start, ZoneId zone, List<Consumer<Instant>> listeners) {
    this.now = Objects.requireNonNull(start, "start");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.listeners = listeners;
  }

  /** A clock standing at {@code start}, in UTC. */
  public static ManualClock at(Instant start) {
    return new ManualClock(start, ZoneOffset.UTC, new CopyOnWriteArrayList<>());
  }

  /** A clock standing at 2026-01-01T00:00:00Z. */
  public static ManualClock create() {
    return at(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Override
  public Instant instant() {
    synchronized (lock) {
      return now;
    }
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId other) {
    // Shares time and listeners: it is the same clock seen from another zone.
    return new ManualClock(instant(), other, listeners) {
      @Override
      public Instant instant() {
        return ManualClock.this.instant();
      }
    };
  }

  /**
   * Moves time forward and then tells every listener the new time, in registration order.
   * Negative durations are rejected: time never runs backwards.
   */
  public Instant advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("cannot advance by a negative duration: " + by);
    }
    Instant after;
    synchronized (lock) {
      now = now.plus(by);
      after = now;
    }
    for (Consumer<Instant> l : listeners) {
      l.accept(after);
    }
    return after;
  }

  /** Registers a listener called after every {@link #advance}; returns a handle that removes it. */
  public AutoCloseable onAdvance(Consumer<Instant> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public String toString() {
    return "ManualClock[" + instant() + "]";
  }
}
