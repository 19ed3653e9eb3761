package io.orchestrationplane.core.reconcile.internal;

import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.reconcile.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * {@link WorkQueue} in the shape of client-go's: a FIFO of keys, a "dirty" set (keys that need a
 * run) and a "processing" set (keys handed out). A dirty key sits in the FIFO only while it is not
 * being processed; {@link #done} moves it there. One lock guards all of it; the scheduler is
 * called under it (schedule() never runs a task inline), never the other way round.
 */
public final class DefaultWorkQueue<K> implements WorkQueue<K> {
  private final class Delayed {
    final Instant due;
    Scheduler.@Nullable Task task;

    Delayed(Instant due) {
      this.due = due;
    }
  }

  private final Config config;
  private final Clock clock;
  private final Scheduler scheduler;
  private final TokenBucket bucket;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private final Condition idle = lock.newCondition();
  private final ArrayDeque<K> queue = new ArrayDeque<>();
  private final Set<K> dirty = new HashSet<>();
  private final Set<K> processing = new HashSet<>();
  // Written under the lock; concurrent maps so that the calls every reconcile makes (failures,
  // forget, a requeue already covered by a delayed add) need not take it: with more workers
  // than cores, each lock round trip a worker avoids is contention it may avoid.
  private final Map<K, Delayed> waiting = new ConcurrentHashMap<>();
  private final Map<K, Integer> failures = new ConcurrentHashMap<>();
  private volatile @Nullable ShutdownMode shutdown;

  public DefaultWorkQueue(Config config, Clock clock, Scheduler scheduler) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.bucket = new TokenBucket(clock, config.rate(), config.burst());
  }

  @Override
  public boolean add(K key) {
    Objects.requireNonNull(key, "key");
    lock.lock();
    try {
      return addLocked(key);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int addAll(Collection<? extends K> keys) {
    keys.forEach(k -> Objects.requireNonNull(k, "key"));
    lock.lock();
    try {
      int added = 0;
      for (K key : keys) {
        if (addLocked(key)) {
          added++;
        }
      }
      return added;
    } finally {
      lock.unlock();
    }
  }

  private boolean addLocked(K key) {
    if (shutdown != null) {
      return false;
    }
    if (dirty.add(key) && !processing.contains(key)) {
      queue.addLast(key);
      ready.signal();
    }
    return true;
  }

  @Override
  public boolean addAfter(K key, Duration delay) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(delay, "delay");
    if (delay.isZero() || delay.isNegative()) {
      return add(key);
    }
    if (shutdown != null) {
      return false;
    }
    Instant due = clock.instant().plus(delay);
    Delayed queued = waiting.get(key);
    if (queued != null && !queued.due.isAfter(due)) {
      // Already coming due no later. Should it fire meanwhile, the key is queued now, which is
      // also no later than asked.
      return true;
    }
    lock.lock();
    try {
      if (shutdown != null) {
        return false;
      }
      Delayed existing = waiting.get(key);
      if (existing != null) {
        if (!existing.due.isAfter(due)) {
          return true;
        }
        existing.task.cancel();
      }
      Delayed entry = new Delayed(due);
      waiting.put(key, entry);
      entry.task = scheduler.schedule(() -> fire(key, entry), delay);
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void fire(K key, Delayed entry) {
    lock.lock();
    try {
      // A later, earlier-due addAfter replaced this entry: that one will fire on its own.
      if (waiting.get(key) == entry) {
        waiting.remove(key);
        addLocked(key);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Duration addRateLimited(K key) {
    Objects.requireNonNull(key, "key");
    Duration delay;
    lock.lock();
    try {
      int failed = failures.merge(key, 1, Integer::sum);
      delay = max(backoff(failed), bucket.reserve());
    } finally {
      lock.unlock();
    }
    addAfter(key, delay);
    return delay;
  }

  // baseDelay * 2^(failed-1), capped; computed in doubles so long streaks cannot overflow.
  private Duration backoff(int failed) {
    double nanos = config.baseDelay().toNanos() * Math.pow(2, failed - 1);
    long max = config.maxDelay().toNanos();
    return nanos >= max ? config.maxDelay() : Duration.ofNanos((long) nanos);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  @Override
  public void forget(K key) {
    failures.remove(key);
  }

  @Override
  public int failures(K key) {
    return failures.getOrDefault(key, 0);
  }

  @Override
  public @Nullable K take() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (queue.isEmpty()) {
        if (shutdown == ShutdownMode.ABANDON
            || (shutdown == ShutdownMode.DRAIN && processing.isEmpty())) {
          return null;
        }
        ready.await();
      }
      return handOut();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public @Nullable K poll() {
    lock.lock();
    try {
      return queue.isEmpty() ? null : handOut();
    } finally {
      lock.unlock();
    }
  }

  private K handOut() {
    K key = queue.pollFirst();
    processing.add(key);
    dirty.remove(key);
    return key;
  }

  @Override
  public void done(K key) {
    Objects.requireNonNull(key, "key");
    lock.lock();
    try {
      if (!processing.remove(key)) {
        throw new IllegalArgumentException("done(" + key + "): key is not being processed");
      }
      if (dirty.contains(key)) {
        queue.addLast(key);
        ready.signal();
      }
      if (queue.isEmpty() && processing.isEmpty()) {
        idle.signalAll();
        if (shutdown != null) {
          ready.signalAll(); // draining takers waited for this last key
        }
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void shutdown(ShutdownMode mode) {
    Objects.requireNonNull(mode, "mode");
    List<Scheduler.Task> cancel = new ArrayList<>();
    lock.lock();
    try {
      if (shutdown == ShutdownMode.ABANDON) {
        return;
      }
      shutdown = mode;
      waiting.values().forEach(d -> cancel.add(d.task));
      waiting.clear();
      if (mode == ShutdownMode.ABANDON) {
        queue.clear();
        dirty.clear();
      }
      ready.signalAll();
      if (queue.isEmpty() && processing.isEmpty()) {
        idle.signalAll();
      }
    } finally {
      lock.unlock();
    }
    cancel.forEach(Scheduler.Task::cancel);
  }

  @Override
  public boolean isShutdown() {
    return shutdown != null;
  }

  @Override
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lockInterruptibly();
    try {
      while (!queue.isEmpty() || !processing.isEmpty()) {
        if (nanos <= 0) {
          return false;
        }
        nanos = idle.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int size() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int inFlight() {
    lock.lock();
    try {
      return processing.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int delayed() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "WorkQueue[queued=" + queue.size() + ", inFlight=" + processing.size()
          + ", delayed=" + waiting.size() + (shutdown == null ? "" : ", " + shutdown) + "]";
    } finally {
      lock.unlock();
    }
  }
}
