package io.orchestrationplane.gitops.internal;

import io.orchestrationplane.core.reconcile.Scheduler;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task now and then every interval on a {@link Scheduler} (the plane's manual scheduler
 * in tests, so polls come due as the clock advances). A task that throws is logged and the
 * next poll is still scheduled: no input stops the poller. Thread-safe.
 */
public final class Poller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Poller.class);
  private final Scheduler scheduler;
  private final Duration interval;
  private final Runnable task;
  private final String name;
  private Scheduler.@Nullable Task next;
  private boolean stopped = true;

  public Poller(String name, Scheduler scheduler, Duration interval, Runnable task) {
    this.name = name;
    this.scheduler = scheduler;
    this.interval = interval;
    this.task = task;
  }

  /** Schedules the first poll as soon as possible; a second call does nothing. */
  public synchronized void start() {
    if (!stopped) {
      return;
    }
    stopped = false;
    next = scheduler.schedule(this::run, Duration.ZERO);
  }

  private void run() {
    synchronized (this) {
      if (stopped) {
        return;
      }
    }
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError) {
        throw e;
      }
      LOG.warn("{}: poll failed ({}); next poll in {}", name, e.getClass().getSimpleName(), interval);
    } finally {
      synchronized (this) {
        if (!stopped) {
          next = scheduler.schedule(this::run, interval);
        }
      }
    }
  }

  public synchronized boolean isStarted() {
    return !stopped;
  }

  @Override
  public synchronized void close() {
    stopped = true;
    if (next != null) {
      next.cancel();
      next = null;
    }
  }
}
