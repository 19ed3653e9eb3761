package io.orchestrationplane.testkit.internal;

import io.orchestrationplane.core.reconcile.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scheduler that remembers when each pending task comes due, so a test fixture can advance a
 * manual clock straight to the plane's next retry, requeue or resync instead of guessing.
 */
public final class TrackingScheduler implements Scheduler {
  private record Due(Instant at, long seq) {}

  private static final Comparator<Due> ORDER = Comparator.comparing(Due::at).thenComparingLong(Due::seq);

  private final Scheduler delegate;
  private final Clock clock;
  private final TreeSet<Due> pending = new TreeSet<>(ORDER);
  private final AtomicLong sequence = new AtomicLong();

  public TrackingScheduler(Scheduler delegate, Clock clock) {
    this.delegate = delegate;
    this.clock = clock;
  }

  @Override
  public Task schedule(Runnable task, Duration delay) {
    Due due = new Due(clock.instant().plus(delay.isNegative() ? Duration.ZERO : delay), sequence.incrementAndGet());
    synchronized (pending) {
      pending.add(due);
    }
    Task inner = delegate.schedule(() -> {
      forget(due);
      task.run();
    }, delay);
    return () -> {
      boolean cancelled = inner.cancel();
      if (cancelled) {
        forget(due);
      }
      return cancelled;
    };
  }

  /** When the earliest pending task comes due, if any is pending. */
  public Optional<Instant> nextDue() {
    synchronized (pending) {
      return pending.isEmpty() ? Optional.empty() : Optional.of(pending.first().at());
    }
  }

  private void forget(Due due) {
    synchronized (pending) {
      pending.remove(due);
    }
  }

  @Override
  public void close() {
    delegate.close();
    synchronized (pending) {
      pending.clear();
    }
  }
}
