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
  /** Time and listeners, shared by the views of this clock in other zones. */
  private static final class State {
    final List<Consumer<Instant>> listeners = new CopyOnWriteArrayList<>();
    volatile Instant now; // read by every worker on every reconcile: a volatile read, no lock

    State(Instant now) {
      this.now = now;
    }
  }

  private final State state;
  private final ZoneId zone;

  private ManualClock(State state, ZoneId zone) {
    this.state = state;
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  /** A clock standing at {@code start}, in UTC. */
  public static ManualClock at(Instant start) {
    return new ManualClock(new State(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  /** A clock standing at 2026-01-01T00:00:00Z. */
  public static ManualClock create() {
    return at(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Override
  public Instant instant() {
    return state.now;
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** The same clock (same time, same listeners) seen from another zone. */
  @Override
  public ManualClock withZone(ZoneId other) {
    return new ManualClock(state, other);
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
    synchronized (state) {
      state.now = state.now.plus(by);
      after = state.now;
    }
    for (Consumer<Instant> l : state.listeners) {
      l.accept(after);
    }
    return after;
  }

  /** Registers a listener called after every {@link #advance}; returns a handle that removes it. */
  public AutoCloseable onAdvance(Consumer<Instant> listener) {
    Objects.requireNonNull(listener, "listener");
    state.listeners.add(listener);
    return () -> state.listeners.remove(listener);
  }

  @Override
  public String toString() {
    return "ManualClock[" + instant() + "]";
  }
}
