package io.orchestrationplane.core.reconcile.internal;

import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.reconcile.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WorkQueue} in the shape of client-go's: a FIFO of keys, a "dirty" set (keys that need a
 * run) and a "processing" set (keys handed out). A dirty key sits in the FIFO only while it is not
 * being processed; {@link #done} moves it there. One lock guards all of it; the scheduler is
 * called under it (schedule() never runs a task inline), never the other way round.
 */
public final class DefaultWorkQueue<K> implements WorkQueue<K> {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultWorkQueue.class);

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
  private final WorkQueue.@Nullable Listener<K> listener;
  /** With a listener: when each dirty key was added, and when each key in flight was handed out. Guarded by the lock. */
  private final Map<K, Instant> addedAt = new HashMap<>();
  private final Map<K, Instant> startedAt = new HashMap<>();

  public DefaultWorkQueue(Config config, Clock clock, Scheduler scheduler) {
    this(config, clock, scheduler, null);
  }

  public DefaultWorkQueue(Config config, Clock clock, Scheduler scheduler, WorkQueue.@Nullable Listener<K> listener) {
    this.listener = listener;
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.bucket = new TokenBucket(clock, config.rate(), config.burst());
  }

  @Override
  public boolean add(K key) {
    Objects.requireNonNull(key, "key");
    int depth;
    lock.lock();
    try {
      if (!addLocked(key)) {
        return shutdown == null;
      }
      depth = dirty.size();
    } finally {
      lock.unlock();
    }
    tellAdded(key, depth);
    return true;
  }

  private void tellAdded(K key, int depth) {
    WorkQueue.Listener<K> l = listener;
    if (l != null) {
      try {
        l.added(key, depth);
      } catch (RuntimeException e) {
        LOG.warn("work queue listener {} failed", l, e);
      }
    }
  }

  @Override
  public int addAll(Collection<? extends K> keys) {
    keys.forEach(k -> Objects.requireNonNull(k, "key"));
    List<K> fresh = listener == null ? null : new ArrayList<>();
    int depth;
    int added = 0;
    lock.lock();
    try {
      for (K key : keys) {
        if (addLocked(key)) {
          if (fresh != null) {
            fresh.add(key);
          }
        }
        if (shutdown == null) {
          added++;
        }
      }
      depth = dirty.size();
    } finally {
      lock.unlock();
    }
    if (fresh != null) {
      int d = depth - fresh.size();
      for (K key : fresh) {
        tellAdded(key, ++d);
      }
    }
    return added;
  }

  /** Queues {@code key}; true when it became dirty (an add in client-go's sense), false for a duplicate or after shutdown. */
  private boolean addLocked(K key) {
    if (shutdown != null) {
      return false;
    }
    if (!dirty.add(key)) {
      return false;
    }
    if (listener != null) {
      addedAt.put(key, clock.instant());
    }
    if (!processing.contains(key)) {
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
    int depth = -1;
    lock.lock();
    try {
      // A later, earlier-due addAfter replaced this entry: that one will fire on its own.
      if (waiting.get(key) == entry) {
        waiting.remove(key);
        if (addLocked(key)) {
          depth = dirty.size();
        }
      }
    } finally {
      lock.unlock();
    }
    if (depth >= 0) {
      tellAdded(key, depth);
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
    WorkQueue.Listener<K> l = listener;
    if (l != null) {
      try {
        l.retried(key);
      } catch (RuntimeException e) {
        LOG.warn("work queue listener {} failed", l, e);
      }
    }
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
    K key;
    Duration waited;
    int depth;
    lock.lockInterruptibly();
    try {
      while (queue.isEmpty()) {
        if (shutdown == ShutdownMode.ABANDON
            || (shutdown == ShutdownMode.DRAIN && processing.isEmpty())) {
          return null;
        }
        ready.await();
      }
      key = handOut();
      waited = waitedLocked(key);
      depth = dirty.size();
    } finally {
      lock.unlock();
    }
    tellHandedOut(key, waited, depth);
    return key;
  }

  @Override
  public @Nullable K poll() {
    K key;
    Duration waited;
    int depth;
    lock.lock();
    try {
      if (queue.isEmpty()) {
        return null;
      }
      key = handOut();
      waited = waitedLocked(key);
      depth = dirty.size();
    } finally {
      lock.unlock();
    }
    tellHandedOut(key, waited, depth);
    return key;
  }

  private K handOut() {
    K key = queue.pollFirst();
    processing.add(key);
    dirty.remove(key);
    return key;
  }

  private @Nullable Duration waitedLocked(K key) {
    if (listener == null) {
      return null;
    }
    Instant now = clock.instant();
    startedAt.put(key, now);
    Instant added = addedAt.remove(key);
    return added == null ? Duration.ZERO : Duration.between(added, now);
  }

  private void tellHandedOut(K key, @Nullable Duration waited, int depth) {
    WorkQueue.Listener<K> l = listener;
    if (l != null && waited != null) {
      try {
        l.handedOut(key, waited, depth);
      } catch (RuntimeException e) {
        LOG.warn("work queue listener {} failed", l, e);
      }
    }
  }

  @Override
  public void done(K key) {
    Objects.requireNonNull(key, "key");
    Duration worked = null;
    lock.lock();
    try {
      if (!processing.remove(key)) {
        throw new IllegalArgumentException("done(" + key + "): key is not being processed");
      }
      if (listener != null) {
        Instant started = startedAt.remove(key);
        worked = started == null ? Duration.ZERO : Duration.between(started, clock.instant());
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
    WorkQueue.Listener<K> l = listener;
    if (l != null && worked != null) {
      try {
        l.done(key, worked);
      } catch (RuntimeException e) {
        LOG.warn("work queue listener {} failed", l, e);
      }
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
        addedAt.clear();
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
