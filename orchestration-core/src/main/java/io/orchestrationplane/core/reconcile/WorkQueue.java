package io.orchestrationplane.core.reconcile;

import io.orchestrationplane.core.reconcile.internal.DefaultWorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A queue of keys to reconcile, with the guarantees a control loop needs:
 *
 * <ul>
 *   <li>FIFO: keys are handed out in the order they were first added;
 *   <li>a key already waiting is not queued twice (pending duplicates collapse);
 *   <li>a key handed out by {@link #take()}/{@link #poll()} is not handed out again until
 *       {@link #done} is called for it, so no two workers process one key at once;
 *   <li>a key added while it is processed is queued once more when {@link #done} is called (any
 *       number of such adds coalesce into one follow-up);
 *   <li>{@link #addAfter} queues a key later; of several delayed adds for a key the earliest wins;
 *   <li>{@link #addRateLimited} queues a key after the larger of its exponential backoff and the
 *       overall token bucket's wait; {@link #forget} resets the key's backoff.
 * </ul>
 *
 * The token bucket limits only rate-limited adds (retries), not {@link #add}: a storm of
 * failures is held to {@link Config#rate()} retries per second, while fresh events are never
 * delayed. Thread-safe.
 *
 * <pre>{@code
 * WorkQueue<String> queue = WorkQueue.create(WorkQueue.Config.defaults(), clock, scheduler);
 * queue.add("shop.api");
 * String key = queue.take();
 * try { reconcile(key); queue.forget(key); }
 * catch (RuntimeException e) { queue.addRateLimited(key); }
 * finally { queue.done(key); }
 * }</pre>
 */
public interface WorkQueue<K> {

  /** What {@link #shutdown} does with keys not yet processed. */
  enum ShutdownMode {
    /** Queued keys (and follow-ups of keys in flight) are still handed out; then takers get null. */
    DRAIN,
    /** Queued keys are dropped; takers get null at once; in-flight keys just finish. */
    ABANDON
  }

  /** A queue with the given limits, reading time from {@code clock} and waiting via {@code scheduler}. */
  static <K> WorkQueue<K> create(Config config, Clock clock, Scheduler scheduler) {
    return new DefaultWorkQueue<>(config, clock, scheduler);
  }

  /** {@link #create(Config, Clock, Scheduler)}, telling {@code listener} of the queue's traffic. */
  static <K> WorkQueue<K> create(Config config, Clock clock, Scheduler scheduler, Listener<K> listener) {
    return new DefaultWorkQueue<>(config, clock, scheduler, listener);
  }

  /**
   * Told of a queue's traffic, as client-go's workqueue tells its metrics provider: a key queued
   * (a duplicate of a key already waiting is not an add), handed out after waiting, done after
   * being worked on, and a rate-limited retry. {@code depth} counts the keys waiting to be handed
   * out, a key added while it is worked on included (client-go's depth). Called after the queue's
   * lock is released, on the thread that caused it, with durations read from the queue's clock;
   * keep it quick. A listener that throws is logged and ignored. Every method has an empty default.
   */
  interface Listener<K> {
    /** {@code key} was queued (or marked to run again once its current run is done). */
    default void added(K key, int depth) {}

    /** {@code key} was handed out after waiting {@code queued} since it was added. */
    default void handedOut(K key, Duration queued, int depth) {}

    /** {@code key} was done after {@code worked} since it was handed out. */
    default void done(K key, Duration worked) {}

    /** A failure of {@code key} was counted and a rate-limited retry queued. */
    default void retried(K key) {}
  }

  /**
   * Queues {@code key} unless it is already queued (or, when it is being processed, marks it for
   * one follow-up run). Returns false only when the queue is shut down and the key was dropped.
   */
  boolean add(K key);

  /**
   * {@link #add} for each key, in order, as one operation: a resync or a start that queues
   * thousands of keys takes the queue's lock once instead of contending with the workers for
   * every key. Returns how many were queued (all of them unless the queue is shut down).
   */
  default int addAll(Collection<? extends K> keys) {
    int added = 0;
    for (K key : keys) {
      if (add(key)) {
        added++;
      }
    }
    return added;
  }

  /**
   * Queues {@code key} once {@code delay} has passed (at once when not positive). If the key
   * already has a delayed add coming due no later, this one is dropped. Returns false when shut
   * down.
   */
  boolean addAfter(K key, Duration delay);

  /**
   * Counts a failure of {@code key} and queues it after {@code max(backoff, token-bucket wait)},
   * where backoff is {@code baseDelay * 2^(failures-1)} capped at {@code maxDelay}. Returns the
   * delay (computed even when the queue is shut down and nothing is queued).
   */
  Duration addRateLimited(K key);

  /** Resets {@code key}'s failure count, so its next backoff starts at {@code baseDelay}. */
  void forget(K key);

  /** Failures counted for {@code key} since it was last forgotten. */
  int failures(K key);

  /**
   * Hands out the next key, waiting for one. Returns {@code null} when the queue is shut down
   * (with {@link ShutdownMode#ABANDON} at once; with {@link ShutdownMode#DRAIN} once every
   * queued key and follow-up has been handed out and finished).
   */
  @Nullable K take() throws InterruptedException;

  /** Hands out the next key without waiting, or {@code null} when none is queued. */
  @Nullable K poll();

  /**
   * Marks {@code key} as processed; if it was added meanwhile it is queued again.
   *
   * @throws IllegalArgumentException when {@code key} is not being processed
   */
  void done(K key);

  /**
   * Stops intake: later adds are dropped and pending delayed adds are cancelled. Queued keys are
   * drained or abandoned as {@code mode} says. Calling it again may turn DRAIN into ABANDON.
   */
  void shutdown(ShutdownMode mode);

  /** True once {@link #shutdown} was called. */
  boolean isShutdown();

  /**
   * Waits until no key is queued or being processed (delayed adds not yet due do not count).
   * Returns false when {@code timeout} passed first. For tests, benchmarks and draining.
   */
  boolean awaitIdle(Duration timeout) throws InterruptedException;

  /** Keys queued and ready to be handed out. */
  int size();

  /** Keys handed out and not yet done. */
  int inFlight();

  /** Keys waiting for a delayed or rate-limited add to come due. */
  int delayed();

  /**
   * The queue's limits: per-key exponential backoff from {@code baseDelay} doubling up to
   * {@code maxDelay} (defaults 5 ms and 5 min), and an overall token bucket of {@code rate}
   * retries per second with room for {@code burst} at once (defaults 10/s and 100).
   *
   * <pre>{@code
   * WorkQueue.Config config = WorkQueue.Config.custom()
   *     .baseDelay(Duration.ofMillis(10)).maxDelay(Duration.ofMinutes(1))
   *     .rate(50).burst(200)
   *     .build();
   * }</pre>
   */
  record Config(Duration baseDelay, Duration maxDelay, double rate, int burst) {
    /** 5 ms. */
    public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(5);
    /** 5 minutes. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(5);
    /** 10 retries per second. */
    public static final double DEFAULT_RATE = 10;
    /** 100 retries at once. */
    public static final int DEFAULT_BURST = 100;

    private static final Config DEFAULTS =
        new Config(DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY, DEFAULT_RATE, DEFAULT_BURST);

    /** Checks every value; prefer {@link #custom()}. */
    public Config {
      Objects.requireNonNull(baseDelay, "baseDelay");
      Objects.requireNonNull(maxDelay, "maxDelay");
      if (baseDelay.isZero() || baseDelay.isNegative()) {
        throw new IllegalArgumentException("baseDelay must be positive, was " + baseDelay);
      }
      if (maxDelay.compareTo(baseDelay) < 0) {
        throw new IllegalArgumentException(
            "maxDelay must be >= baseDelay (" + baseDelay + "), was " + maxDelay);
      }
      if (!(rate > 0) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException("rate must be a positive finite number of retries per second, was " + rate);
      }
      if (burst < 1) {
        throw new IllegalArgumentException("burst must be >= 1, was " + burst);
      }
    }

    /** 5 ms doubling to 5 min; 10 retries/s, burst 100. */
    public static Config defaults() {
      return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder custom() {
      return new Builder(DEFAULTS);
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
      return new Builder(this);
    }

    /** Builds a {@link Config}; each setter rejects a bad value at once. */
    public static final class Builder {
      private Duration baseDelay;
      private Duration maxDelay;
      private double rate;
      private int burst;

      private Builder(Config from) {
        this.baseDelay = from.baseDelay;
        this.maxDelay = from.maxDelay;
        this.rate = from.rate;
        this.burst = from.burst;
      }

      /** The first retry's backoff; positive. */
      public Builder baseDelay(Duration value) {
        Objects.requireNonNull(value, "baseDelay");
        if (value.isZero() || value.isNegative()) {
          throw new IllegalArgumentException("baseDelay must be positive, was " + value);
        }
        this.baseDelay = value;
        return this;
      }

      /** The longest backoff; checked against baseDelay in {@link #build()}. */
      public Builder maxDelay(Duration value) {
        Objects.requireNonNull(value, "maxDelay");
        if (value.isZero() || value.isNegative()) {
          throw new IllegalArgumentException("maxDelay must be positive, was " + value);
        }
        this.maxDelay = value;
        return this;
      }

      /** Token bucket refill, in retries per second; positive and finite. */
      public Builder rate(double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
          throw new IllegalArgumentException("rate must be a positive finite number of retries per second, was " + value);
        }
        this.rate = value;
        return this;
      }

      /** Token bucket size: how many retries may go at once; at least 1. */
      public Builder burst(int value) {
        if (value < 1) {
          throw new IllegalArgumentException("burst must be >= 1, was " + value);
        }
        this.burst = value;
        return this;
      }

      /** The config; fails when maxDelay is below baseDelay. */
      public Config build() {
        return new Config(baseDelay, maxDelay, rate, burst);
      }
    }
  }
}
