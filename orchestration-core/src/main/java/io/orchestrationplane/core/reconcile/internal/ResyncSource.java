package io.orchestrationplane.core.reconcile.internal;

import io.orchestrationplane.core.reconcile.EventSource;
import io.orchestrationplane.core.reconcile.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues every known key each period. Intervals are {@code period × (1 − jitter × r)}: shortened,
 * never lengthened, so one period of time always holds exactly one resync, and the next one is
 * scheduled from the moment the last ran.
 */
public final class ResyncSource<T> implements EventSource<T> {
  private static final Logger LOG = LoggerFactory.getLogger(ResyncSource.class);

  private final Duration period;
  private final double jitter;
  private final Supplier<? extends Collection<? extends T>> keys;
  private @Nullable Random random;
  private @Nullable Context<T> context;
  private Scheduler.@Nullable Task next;
  private boolean closed;

  public ResyncSource(
      Duration period, double jitter, @Nullable Random random, Supplier<? extends Collection<? extends T>> keys) {
    Objects.requireNonNull(period, "period");
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("resync period must be positive, was " + period);
    }
    if (!(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException("resync jitter must be in [0, 1), was " + jitter);
    }
    this.period = period;
    this.jitter = jitter;
    this.random = random;
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  @Override
  public synchronized void start(Context<T> context) {
    if (this.context != null || closed) {
      throw new IllegalStateException("resync source was already started");
    }
    this.context = context;
    if (random == null) {
      // Seeded from the controller's name: reproducible, yet controllers do not resync in step.
      random = new Random(context.controllerName().hashCode());
    }
    scheduleNext();
  }

  private void scheduleNext() {
    long nanos = period.toNanos();
    long interval = nanos - (long) (nanos * jitter * random.nextDouble());
    next = context.scheduler().schedule(this::resync, Duration.ofNanos(Math.max(1, interval)));
  }

  private void resync() {
    Context<T> ctx;
    synchronized (this) {
      if (closed) {
        return;
      }
      ctx = context;
    }
    try {
      List<T> all = new ArrayList<>();
      for (T key : keys.get()) {
        if (key != null) {
          all.add(key);
        }
      }
      int queued = ctx.enqueueAll(all);
      LOG.debug("controller {}: resync queued {} keys", ctx.controllerName(), queued);
    } catch (RuntimeException e) {
      LOG.warn("controller {}: listing keys for resync failed; trying again next period", ctx.controllerName(), e);
    }
    synchronized (this) {
      if (!closed) {
        scheduleNext();
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (next != null) {
      next.cancel();
      next = null;
    }
  }

  @Override
  public String toString() {
    return "ResyncSource[every " + period + ", jitter " + jitter + "]";
  }
}
