package io.orchestrationplane.core.reconcile;

import io.orchestrationplane.core.reconcile.internal.ExecutorScheduler;
import io.orchestrationplane.core.reconcile.internal.ManualScheduler;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;

/**
 * Runs a task after a delay: the one way the runtime waits. Two implementations: {@link
 * #threaded(String)} (one daemon thread, real time) and {@link #manual(ManualClock)} (tasks
 * come due when a test advances the clock and run on the advancing thread), so nothing in the
 * runtime sleeps and tests see ten minutes pass in microseconds.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.create();
 * Scheduler scheduler = Scheduler.manual(clock);
 * scheduler.schedule(() -> System.out.println("due"), Duration.ofSeconds(5));
 * clock.advance(Duration.ofSeconds(5)); // prints "due" on this thread
 * }</pre>
 */
public interface Scheduler extends AutoCloseable {

  /** A scheduled task; cancelling one that already ran or was cancelled does nothing. */
  @FunctionalInterface
  interface Task {
    /** Prevents the task from running if it has not started; true when this call stopped it. */
    boolean cancel();
  }

  /**
   * Runs {@code task} once {@code delay} has passed (a zero or negative delay means "as soon as
   * possible"). A task that throws is logged and does not stop the scheduler. After {@link
   * #close()} nothing runs and the returned task is already cancelled.
   */
  Task schedule(Runnable task, Duration delay);

  /** Stops the scheduler: pending tasks never run and its thread, if any, ends. Idempotent. */
  @Override
  void close();

  /**
   * A scheduler on one daemon thread named {@code threadName}, measuring delays in real time.
   */
  static Scheduler threaded(String threadName) {
    return new ExecutorScheduler(threadName);
  }

  /**
   * A deterministic scheduler driven by {@code clock}: a task runs, on the thread calling
   * {@link ManualClock#advance}, once the clock reaches its due time. Tasks due at the same time
   * run in the order they were scheduled; a task scheduled with no delay runs at the next
   * advance (advancing by {@link Duration#ZERO} is enough).
   */
  static Scheduler manual(ManualClock clock) {
    return new ManualScheduler(clock);
  }
}
