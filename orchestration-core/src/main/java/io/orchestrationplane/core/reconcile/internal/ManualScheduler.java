package io.orchestrationplane.core.reconcile.internal;

import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Scheduler} driven by a {@link ManualClock}: due tasks run on the thread that advances the
 * clock, in due-time order (schedule order on ties), including tasks they schedule that are
 * already due.
 */
public final class ManualScheduler implements Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(ManualScheduler.class);

  private final class Entry implements Task {
    final Instant due;
    final long seq;
    final Runnable task;
    boolean cancelled;

    Entry(Instant due, long seq, Runnable task) {
      this.due = due;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public boolean cancel() {
      synchronized (ManualScheduler.this) {
        if (cancelled) {
          return false;
        }
        cancelled = true;
        return queue.remove(this);
      }
    }
  }

  private final ManualClock clock;
  private final PriorityQueue<Entry> queue =
      new PriorityQueue<>(Comparator.<Entry, Instant>comparing(e -> e.due).thenComparingLong(e -> e.seq));
  private final AutoCloseable subscription;
  private long seq;
  private boolean closed;

  public ManualScheduler(ManualClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.subscription = clock.onAdvance(this::runDue);
  }

  @Override
  public Task schedule(Runnable task, Duration delay) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(delay, "delay");
    Instant now = clock.instant();
    Instant due = delay.isNegative() ? now : now.plus(delay);
    synchronized (this) {
      Entry entry = new Entry(due, seq++, task);
      if (closed) {
        entry.cancelled = true;
      } else {
        queue.add(entry);
      }
      return entry;
    }
  }

  // Runs outside the lock: a task may schedule more tasks or take other locks.
  private void runDue(Instant now) {
    while (true) {
      Entry next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due.isAfter(now)) {
          return;
        }
        queue.poll();
        next.cancelled = true; // ran: a later cancel() reports false
      }
      try {
        next.task.run();
      } catch (RuntimeException e) {
        LOG.warn("scheduled task failed", e);
      }
    }
  }

  /** Tasks scheduled and not yet run or cancelled. */
  public synchronized int pending() {
    return queue.size();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.forEach(e -> e.cancelled = true);
      queue.clear();
    }
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.debug("removing clock listener failed", e);
    }
  }

  @Override
  public String toString() {
    return "ManualScheduler[" + clock + "]";
  }
}
