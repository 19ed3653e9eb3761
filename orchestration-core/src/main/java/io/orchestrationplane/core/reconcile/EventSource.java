package io.orchestrationplane.core.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;

/**
 * Tells a controller which keys need a reconcile: cluster watches, timers, desired-state changes.
 * Built-ins are in {@code io.orchestrationplane.core.reconcile.EventSources}. A controller
 * starts each of its sources once, in {@code start()}, and closes them first in {@code close()};
 * a source must stop enqueueing when closed.
 *
 * <pre>{@code
 * EventSource<String> everyMinute = new EventSource<>() {
 *   private Scheduler.Task task;
 *   public void start(Context<String> ctx) {
 *     task = ctx.scheduler().schedule(() -> ctx.enqueue("tick"), Duration.ofMinutes(1));
 *   }
 *   public void close() { if (task != null) task.cancel(); }
 * };
 * }</pre>
 *
 * @param <T> the controller's key type
 */
public interface EventSource<T> extends AutoCloseable {

  /** Begins delivering keys to {@code context}. Called once. */
  void start(Context<T> context);

  /** Stops delivering keys and releases what {@link #start} acquired. Idempotent. */
  @Override
  void close();

  /** What a started source may use. */
  interface Context<T> {
    /** The controller's name, e.g. for log messages or a per-controller random seed. */
    String controllerName();

    /** The controller's clock. */
    Clock clock();

    /** The controller's scheduler: wait through it, never by sleeping. */
    Scheduler scheduler();

    /** Queues {@code key} for a reconcile; false once the controller is closing. */
    boolean enqueue(T key);

    /**
     * Queues every key, in order, as one operation (see {@code WorkQueue.addAll}); returns how
     * many were queued, 0 once the controller is closing.
     */
    default int enqueueAll(Collection<? extends T> keys) {
      int queued = 0;
      for (T key : keys) {
        if (enqueue(key)) {
          queued++;
        }
      }
      return queued;
    }

    /** Queues {@code key} after {@code delay}; false once the controller is closing. */
    boolean enqueueAfter(T key, Duration delay);
  }
}
