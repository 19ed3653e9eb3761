package io.orchestrationplane.core.reconcile.internal;

import io.orchestrationplane.core.reconcile.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Scheduler} on one daemon thread of a {@link ScheduledThreadPoolExecutor}. */
public final class ExecutorScheduler implements Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorScheduler.class);
  private static final Task CANCELLED = () -> false;

  private final String threadName;
  private final ScheduledThreadPoolExecutor executor;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  public ExecutorScheduler(String threadName) {
    Objects.requireNonNull(threadName, "threadName");
    if (threadName.isBlank()) {
      throw new IllegalArgumentException("threadName must not be blank");
    }
    this.threadName = threadName;
    this.executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      threads.add(t);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
  }

  @Override
  public Task schedule(Runnable task, Duration delay) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(delay, "delay");
    long nanos = delay.isNegative() ? 0 : saturatedNanos(delay);
    try {
      ScheduledFuture<?> future = executor.schedule(() -> runLogged(task), nanos, TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    } catch (RejectedExecutionException closed) {
      return CANCELLED;
    }
  }

  private void runLogged(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.warn("scheduled task on {} failed", threadName, e);
    }
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    if (threads.contains(Thread.currentThread())) {
      return; // closed from one of its own tasks: the thread ends once that task returns
    }
    try {
      // The thread only runs short enqueue tasks; waiting for it keeps "close leaves no threads".
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("scheduler thread {} did not stop within 10s", threadName);
      }
      // A terminated executor's thread may still be unwinding; join it so none is left behind.
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(10));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "ExecutorScheduler[" + threadName + "]";
  }
}
