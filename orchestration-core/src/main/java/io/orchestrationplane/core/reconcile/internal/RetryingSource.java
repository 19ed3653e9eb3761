package io.orchestrationplane.core.reconcile.internal;

import io.orchestrationplane.core.reconcile.EventSource;
import io.orchestrationplane.core.reconcile.Scheduler;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a source made by a factory and, when starting fails (an unreachable cluster, a watch
 * the credentials may not open), logs it and tries a fresh one later with exponential backoff,
 * instead of failing the controller: one bad cluster must not stop the others.
 */
public final class RetryingSource<T> implements EventSource<T> {
  private static final Logger LOG = LoggerFactory.getLogger(RetryingSource.class);

  private final Supplier<? extends EventSource<T>> factory;
  private final String description;
  private final Duration initialDelay;
  private final Duration maxDelay;
  private final Object lock = new Object();
  private @Nullable EventSource<T> current;
  private Scheduler.@Nullable Task pending;
  private boolean closed;

  public RetryingSource(Supplier<? extends EventSource<T>> factory, String description, Duration initialDelay,
      Duration maxDelay) {
    this.factory = factory;
    this.description = description;
    this.initialDelay = initialDelay;
    this.maxDelay = maxDelay;
  }

  @Override
  public void start(Context<T> context) {
    attempt(context, initialDelay);
  }

  private void attempt(Context<T> context, Duration nextDelay) {
    EventSource<T> source = factory.get();
    try {
      source.start(context);
    } catch (RuntimeException e) {
      source.close();
      synchronized (lock) {
        if (closed) {
          return;
        }
        LOG.warn("{}: {} could not start, retrying in {} ms: {}", context.controllerName(), description,
            nextDelay.toMillis(), e.toString());
        Duration after = nextDelay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : nextDelay.multipliedBy(2);
        pending = context.scheduler().schedule(() -> attempt(context, after), nextDelay);
      }
      return;
    }
    synchronized (lock) {
      if (closed) {
        source.close();
        return;
      }
      current = source;
    }
  }

  @Override
  public void close() {
    EventSource<T> toClose;
    synchronized (lock) {
      closed = true;
      if (pending != null) {
        pending.cancel();
      }
      toClose = current;
      current = null;
    }
    if (toClose != null) {
      toClose.close();
    }
  }
}
