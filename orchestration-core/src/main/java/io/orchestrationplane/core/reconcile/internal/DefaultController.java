package io.orchestrationplane.core.reconcile.internal;

import io.orchestrationplane.core.reconcile.Controller;
import io.orchestrationplane.core.reconcile.ControllerListener;
import io.orchestrationplane.core.reconcile.EventSource;
import io.orchestrationplane.core.reconcile.KeyStatus;
import io.orchestrationplane.core.reconcile.Outcome;
import io.orchestrationplane.core.reconcile.Reconciler;
import io.orchestrationplane.core.reconcile.Result;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.reconcile.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Controller} on platform worker threads named {@code <name>-worker-<n>}. */
public final class DefaultController<T> implements Controller<T> {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultController.class);

  private enum State { NEW, STARTED, CLOSED }

  private final String name;
  private final Reconciler<T> reconciler;
  private final int workerCount;
  private final Clock clock;
  private final Scheduler scheduler;
  private final boolean ownsScheduler;
  private final List<EventSource<T>> sources;
  private final List<ControllerListener<T>> listeners;
  private final Duration closeTimeout;
  private final WorkQueue.ShutdownMode shutdownMode;
  private final WorkQueue<T> queue;
  private final Map<T, KeyStatus<T>> statuses = new ConcurrentHashMap<>();
  private final List<Thread> workers = new ArrayList<>();
  private final Object lifecycle = new Object();
  private State state = State.NEW;

  public DefaultController(
      String name,
      Reconciler<T> reconciler,
      int workers,
      WorkQueue.Config queueConfig,
      Clock clock,
      @Nullable Scheduler scheduler,
      List<EventSource<T>> sources,
      List<ControllerListener<T>> listeners,
      Duration closeTimeout,
      WorkQueue.ShutdownMode shutdownMode) {
    this(name, reconciler, workers, queueConfig, clock, scheduler, sources, listeners, closeTimeout, shutdownMode, null);
  }

  public DefaultController(
      String name,
      Reconciler<T> reconciler,
      int workers,
      WorkQueue.Config queueConfig,
      Clock clock,
      @Nullable Scheduler scheduler,
      List<EventSource<T>> sources,
      List<ControllerListener<T>> listeners,
      Duration closeTimeout,
      WorkQueue.ShutdownMode shutdownMode,
      WorkQueue.@Nullable Listener<T> queueListener) {
    this.name = Objects.requireNonNull(name, "name");
    this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    if (workers < 0) {
      throw new IllegalArgumentException("workers must be >= 0, was " + workers);
    }
    this.workerCount = workers;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ownsScheduler = scheduler == null;
    this.scheduler = scheduler == null ? new ExecutorScheduler(name + "-scheduler") : scheduler;
    this.sources = List.copyOf(sources);
    this.listeners = List.copyOf(listeners);
    this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
    this.shutdownMode = Objects.requireNonNull(shutdownMode, "shutdownMode");
    this.queue = new DefaultWorkQueue<>(queueConfig, clock, this.scheduler, queueListener);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void start() {
    synchronized (lifecycle) {
      if (state != State.NEW) {
        throw new IllegalStateException("controller " + name + " is already " + state.name().toLowerCase(java.util.Locale.ROOT));
      }
      state = State.STARTED;
      for (int i = 0; i < workerCount; i++) {
        Thread t = new Thread(this::work, name + "-worker-" + i);
        t.setDaemon(true);
        workers.add(t);
        t.start();
      }
    }
    EventSource.Context<T> context = new SourceContext();
    for (EventSource<T> source : sources) {
      try {
        source.start(context);
      } catch (RuntimeException e) {
        LOG.warn("controller {}: event source {} failed to start; closing the controller", name, source, e);
        close();
        throw e;
      }
    }
    LOG.debug("controller {} started with {} workers and {} event sources", name, workerCount, sources.size());
  }

  private final class SourceContext implements EventSource.Context<T> {
    @Override
    public String controllerName() {
      return name;
    }

    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public Scheduler scheduler() {
      return scheduler;
    }

    @Override
    public boolean enqueue(T key) {
      return queue.add(key);
    }

    @Override
    public int enqueueAll(Collection<? extends T> keys) {
      return queue.addAll(keys);
    }

    @Override
    public boolean enqueueAfter(T key, Duration delay) {
      return queue.addAfter(key, delay);
    }
  }

  @Override
  public boolean enqueue(T key) {
    return queue.add(key);
  }

  @Override
  public int enqueueAll(Collection<? extends T> keys) {
    return queue.addAll(keys);
  }

  @Override
  public boolean enqueueAfter(T key, Duration delay) {
    return queue.addAfter(key, delay);
  }

  private void work() {
    while (true) {
      T key;
      try {
        key = queue.take();
      } catch (InterruptedException e) {
        return; // close() interrupts only after its timeout; stop taking work
      }
      if (key == null) {
        return;
      }
      try {
        process(key);
      } catch (Throwable unexpected) { // a listener that threw an Error: the worker outlives it
        if (unexpected instanceof VirtualMachineError vme && !survivable(vme)) {
          throw vme;
        }
        LOG.error("controller {}: worker survived a failure while finishing {}", name, key, unexpected);
      } finally {
        queue.done(key);
      }
    }
  }

  /**
   * Errors that one key's reconcile can cause without harming the JVM: a stack overflow (deep or
   * cyclic input) unwinds cleanly, and an allocation that failed leaves its garbage collectable.
   * They become that key's error; other virtual machine errors still end the worker.
   */
  private static boolean survivable(VirtualMachineError e) {
    return e instanceof StackOverflowError || e instanceof OutOfMemoryError;
  }

  @Override
  public int runPending() {
    if (workerCount > 0) {
      throw new IllegalStateException(
          "runPending() is for controllers built with workers(0); " + name + " has " + workerCount + " workers");
    }
    int ran = 0;
    T key;
    while ((key = queue.poll()) != null) {
      try {
        process(key);
      } finally {
        queue.done(key);
      }
      ran++;
    }
    return ran;
  }

  private void process(T key) {
    int attempt = queue.failures(key) + 1;
    Instant started = clock.instant();
    notify(l -> l.reconcileStarted(key, attempt));
    Result result;
    Throwable error = null;
    try {
      result = reconciler.reconcile(key, new ReconcileContext(attempt));
      if (result == null) {
        result = Result.retry("reconciler returned null instead of a Result");
      }
    } catch (VirtualMachineError fatal) {
      if (!survivable(fatal)) {
        throw fatal;
      }
      error = fatal;
      result = null;
    } catch (Throwable e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      error = e;
      result = null;
    }
    Instant finished = clock.instant();
    KeyStatus<T> status;
    if (error != null) {
      String reason = describe(error);
      Duration delay = queue.addRateLimited(key);
      status = new KeyStatus<>(key, Outcome.ERROR, reason, attempt, attempt, started, finished, delay, finished.plus(delay));
      LOG.warn("controller {}: reconcile of {} failed (attempt {}), retrying in {}: {}",
          name, key, attempt, format(delay), reason, error);
    } else {
      switch (result.outcome()) {
        case RETRY -> {
          String reason = result.reason().orElseThrow();
          Duration delay = queue.addRateLimited(key);
          status = new KeyStatus<>(key, Outcome.RETRY, reason, attempt, attempt, started, finished, delay, finished.plus(delay));
          LOG.debug("controller {}: reconcile of {} asked for a retry (attempt {}), retrying in {}: {}",
              name, key, attempt, format(delay), reason);
        }
        case TERMINAL -> {
          String reason = result.reason().orElseThrow();
          queue.forget(key);
          status = new KeyStatus<>(key, Outcome.TERMINAL, reason, attempt, attempt, started, finished, null, null);
          LOG.warn("controller {}: reconcile of {} failed terminally, not retrying until a new event: {}",
              name, key, reason);
        }
        case REQUEUE -> {
          Duration delay = result.requeueDelay().orElseThrow();
          queue.forget(key);
          queue.addAfter(key, delay);
          status = new KeyStatus<>(key, Outcome.REQUEUE, null, attempt, 0, started, finished, delay, finished.plus(delay));
        }
        default -> {
          queue.forget(key);
          status = new KeyStatus<>(key, Outcome.DONE, null, attempt, 0, started, finished, null, null);
        }
      }
    }
    if (result != null && result.forgetsKey()) {
      statuses.remove(key);
    } else {
      statuses.put(key, status);
    }
    Throwable thrown = error;
    KeyStatus<T> finalStatus = status;
    notify(l -> l.reconcileFinished(key, finalStatus, thrown));
    if (status.outcome() == Outcome.RETRY || status.outcome() == Outcome.ERROR) {
      notify(l -> l.retryScheduled(key, attempt + 1, finalStatus.nextRunDelay(), finalStatus.reason()));
    } else if (status.outcome() == Outcome.TERMINAL) {
      notify(l -> l.terminalError(key, finalStatus.reason()));
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + message;
  }

  private static String format(Duration d) {
    return d.toMillis() + "ms";
  }

  private void notify(Consumer<ControllerListener<T>> call) {
    for (ControllerListener<T> l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("controller {}: listener {} failed", name, l, e);
      }
    }
  }

  private final class ReconcileContext implements Reconciler.Context {
    private final int attempt;

    ReconcileContext(int attempt) {
      this.attempt = attempt;
    }

    @Override
    public String controllerName() {
      return name;
    }

    @Override
    public int attempt() {
      return attempt;
    }

    @Override
    public Clock clock() {
      return clock;
    }
  }

  @Override
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    return queue.awaitIdle(timeout);
  }

  @Override
  public Optional<KeyStatus<T>> status(T key) {
    return Optional.ofNullable(statuses.get(key));
  }

  @Override
  public Map<T, KeyStatus<T>> statuses() {
    return Map.copyOf(statuses);
  }

  @Override
  public void forget(T key) {
    statuses.remove(key);
    queue.forget(key);
  }

  @Override
  public WorkQueue<T> queue() {
    return queue;
  }

  @Override
  public void close() {
    synchronized (lifecycle) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
    }
    for (EventSource<T> source : sources) {
      try {
        source.close();
      } catch (RuntimeException e) {
        LOG.warn("controller {}: closing event source {} failed", name, source, e);
      }
    }
    queue.shutdown(shutdownMode);
    long deadline = System.nanoTime() + closeTimeout.toNanos();
    // A reconciler may close its own controller: its thread cannot wait for itself.
    List<Thread> others = workers.stream().filter(t -> t != Thread.currentThread()).toList();
    for (Thread t : others) {
      joinUntil(t, deadline);
    }
    List<Thread> stuck = others.stream().filter(Thread::isAlive).toList();
    if (!stuck.isEmpty()) {
      LOG.warn("controller {}: {} reconciles still running after the close timeout of {}; interrupting them",
          name, stuck.size(), closeTimeout);
      stuck.forEach(Thread::interrupt);
      // Only a reconciler that ignores interruption makes close() wait this long.
      long grace = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      for (Thread t : stuck) {
        joinUntil(t, grace);
      }
      stuck.stream().filter(Thread::isAlive).forEach(t ->
          LOG.warn("controller {}: worker {} ignored interruption and is still running", name, t.getName()));
    }
    if (ownsScheduler) {
      scheduler.close();
    }
    LOG.debug("controller {} closed", name);
  }

  // Waiting for threads to end is measured in real time on purpose: it bounds how long close()
  // blocks the caller, which no fake clock can speed up.
  private static void joinUntil(Thread t, long deadlineNanos) {
    long left = deadlineNanos - System.nanoTime();
    try {
      if (left > 0) {
        t.join(TimeUnit.NANOSECONDS.toMillis(left) + 1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "Controller[" + name + ", " + queue + "]";
  }
}
