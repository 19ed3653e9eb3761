package io.orchestrationplane.core.reconcile;

import io.orchestrationplane.core.reconcile.internal.DefaultController;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link Reconciler} over a {@link WorkQueue}: event sources queue keys, workers take
 * them and reconcile, and the result decides what happens next (nothing, a requeue, a retry
 * with backoff, or a terminal error shown in {@link #status}). A reconciler that throws is logged
 * and retried; the controller never dies from it.
 *
 * <pre>{@code
 * try (Controller<String> teams = Controller.builder("teams", new TeamReconciler(cluster))
 *     .eventSource(EventSources.watch(cluster, List.of(new GroupKind("", "Namespace")),
 *         EventSources.byLabel("team", team -> team)))
 *     .eventSource(EventSources.resync(() -> teamDirectory.names()))
 *     .build()) {
 *   teams.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>For deterministic tests build with {@code workers(0)}, a {@link
 * io.orchestrationplane.core.time.ManualClock} and {@link Scheduler#manual}, then call {@link
 * #runPending()} to reconcile on the calling thread and advance the clock to bring retries,
 * requeues and resyncs due.
 *
 * @param <T> the key type; keys are compared with {@code equals}/{@code hashCode}
 */
public interface Controller<T> extends AutoCloseable {

  /** A builder for a controller called {@code name} running {@code reconciler}. */
  static <T> Builder<T> builder(String name, Reconciler<T> reconciler) {
    return new Builder<>(name, reconciler);
  }

  /** The name given to the builder; also the prefix of the controller's thread names. */
  String name();

  /**
   * Starts the workers and event sources. May be called once, not after {@link #close()}. If an
   * event source fails to start, the controller is closed and the failure rethrown.
   */
  void start();

  /** Queues {@code key} for a reconcile; false once the controller is closing. */
  boolean enqueue(T key);

  /** Queues every key, in order, as one operation; returns how many were queued. */
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

  /**
   * Reconciles queued keys on the calling thread until none is ready (follow-ups included;
   * retries and requeues wait for the scheduler) and returns how many reconciles ran. Only for
   * a controller built with {@code workers(0)}.
   *
   * @throws IllegalStateException when the controller has worker threads
   */
  int runPending();

  /**
   * Waits until no key is queued or being reconciled (scheduled retries and requeues do not
   * count); false when {@code timeout} passed first. For tests and benchmarks with workers.
   */
  boolean awaitIdle(Duration timeout) throws InterruptedException;

  /** The last finished reconcile of {@code key}, or empty before its first (or after forget). */
  Optional<KeyStatus<T>> status(T key);

  /** A snapshot of the status of every key reconciled and not forgotten. */
  Map<T, KeyStatus<T>> statuses();

  /** Drops {@code key}'s status and backoff, e.g. when its application was removed. */
  void forget(T key);

  /** The queue the controller works from (for its counters; adding goes through {@link #enqueue}). */
  WorkQueue<T> queue();

  /**
   * Stops intake (closes the event sources, shuts the queue down), lets in-flight reconciles
   * finish within the close timeout, interrupts any still running after it, and stops the
   * worker threads and the scheduler the controller created. Idempotent; never exits the JVM.
   */
  @Override
  void close();

  /** Builds a {@link Controller}; every setter rejects a bad value at once. */
  final class Builder<T> {
    private final String name;
    private final Reconciler<T> reconciler;
    private int workers = 2 * Runtime.getRuntime().availableProcessors();
    private WorkQueue.Config queueConfig = WorkQueue.Config.defaults();
    private Clock clock = Clock.systemUTC();
    private @Nullable Scheduler scheduler;
    private final List<EventSource<T>> eventSources = new ArrayList<>();
    private final List<ControllerListener<T>> listeners = new ArrayList<>();
    private Duration closeTimeout = Duration.ofSeconds(30);
    private WorkQueue.ShutdownMode shutdownMode = WorkQueue.ShutdownMode.ABANDON;
    private WorkQueue.@Nullable Listener<T> queueListener;

    private Builder(String name, Reconciler<T> reconciler) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("controller name must not be blank");
      }
      this.name = name;
      this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    }

    /**
     * Worker threads (default 2 × available processors); 0 means no threads: reconcile with
     * {@link Controller#runPending()} on the calling thread.
     */
    public Builder<T> workers(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("workers must be >= 0, was " + value);
      }
      this.workers = value;
      return this;
    }

    /** Backoff and token bucket limits (default {@link WorkQueue.Config#defaults()}). */
    public Builder<T> queue(WorkQueue.Config value) {
      this.queueConfig = Objects.requireNonNull(value, "queue config");
      return this;
    }

    /** The clock for statuses, backoff and the token bucket (default system UTC). */
    public Builder<T> clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The scheduler for delayed work. The caller keeps ownership and closes it. By default the
     * controller creates {@link Scheduler#threaded} (thread {@code <name>-scheduler}) and closes
     * it in {@link Controller#close()}.
     */
    public Builder<T> scheduler(Scheduler value) {
      this.scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    /** Adds an event source, started with the controller. */
    public Builder<T> eventSource(EventSource<T> value) {
      eventSources.add(Objects.requireNonNull(value, "eventSource"));
      return this;
    }

    /** Adds a listener for per-key reconcile events. */
    public Builder<T> listener(ControllerListener<T> value) {
      listeners.add(Objects.requireNonNull(value, "listener"));
      return this;
    }

    /** Tells {@code value} of the work queue's traffic (adds, hand-outs, work done, retries), for metrics. */
    public Builder<T> queueListener(WorkQueue.Listener<T> value) {
      this.queueListener = Objects.requireNonNull(value, "queueListener");
      return this;
    }

    /** How long {@link Controller#close()} lets in-flight reconciles finish (default 30 s). */
    public Builder<T> closeTimeout(Duration value) {
      Objects.requireNonNull(value, "closeTimeout");
      if (value.isNegative()) {
        throw new IllegalArgumentException("closeTimeout must not be negative, was " + value);
      }
      this.closeTimeout = value;
      return this;
    }

    /**
     * Whether {@link Controller#close()} reconciles the keys still queued (DRAIN, within the
     * close timeout) or drops them (ABANDON, the default).
     */
    public Builder<T> onClose(WorkQueue.ShutdownMode value) {
      this.shutdownMode = Objects.requireNonNull(value, "shutdownMode");
      return this;
    }

    /** The controller, not yet started. */
    public Controller<T> build() {
      return new DefaultController<>(
          name, reconciler, workers, queueConfig, clock, scheduler,
          List.copyOf(eventSources), List.copyOf(listeners), closeTimeout, shutdownMode, queueListener);
    }
  }
}
