package io.orchestrationplane.core.internal;

import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.ResourceStatus;
import io.orchestrationplane.core.status.WaitResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code applyAndWait}: applies an application, then checks again on the plane's scheduler, every
 * interval of the plane's clock, until every placed cluster holds it healthy and in sync, a write
 * fails, or the timeout passes. Changes held back by readiness gates are applied in the rounds
 * that follow, once their dependencies are healthy, as {@code helm upgrade --wait} waits and as
 * continuous mode would apply them. Nothing sleeps: each round is a scheduled task, so on a
 * manual scheduler the rounds run as a test advances the clock.
 *
 * <p>Thread-safe. Closing it completes every unfinished wait exceptionally and closes the
 * scheduler it created (never the caller's).
 */
public final class ReadinessWait implements AutoCloseable {
  private final Pipeline pipeline;
  private final Clock clock;
  private final @Nullable Scheduler given;
  private @Nullable Scheduler own;
  private final Set<Round> active = ConcurrentHashMap.newKeySet();
  private boolean closed;

  public ReadinessWait(Pipeline pipeline, PlaneSettings settings) {
    this.pipeline = pipeline;
    this.clock = settings.clock();
    this.given = settings.scheduler();
  }

  /**
   * Applies {@code app} now, on the calling thread (validation and admission errors are thrown
   * from here, with nothing written), and returns the wait for the rest.
   */
  public CompletableFuture<WaitResult> start(Application app, Subject subject, Origin origin, Duration timeout,
      Duration interval) {
    Objects.requireNonNull(app, "app");
    if (timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
    }
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, was " + interval);
    }
    Scheduler scheduler = scheduler();
    Instant begin = clock.instant();
    ExecutionResult first = pipeline.apply(app, subject, origin);
    Round round = new Round(app, subject, origin, begin, begin.plus(timeout), interval, scheduler, first);
    active.add(round);
    round.future.whenComplete((r, e) -> active.remove(round));
    try {
      round.check();
    } catch (RuntimeException e) {
      round.future.completeExceptionally(e);
    }
    return round.future;
  }

  private synchronized Scheduler scheduler() {
    if (closed) {
      throw new IllegalStateException("the plane is closed");
    }
    if (given != null) {
      return given;
    }
    if (own == null) {
      own = Scheduler.threaded("orchestration-plane-wait");
    }
    return own;
  }

  @Override
  public void close() {
    Scheduler toClose;
    synchronized (this) {
      closed = true;
      toClose = own;
      own = null;
    }
    for (Round r : List.copyOf(active)) {
      r.cancel();
    }
    if (toClose != null) {
      toClose.close();
    }
  }

  /** One application's wait: the last execution and the next scheduled check. */
  private final class Round implements Runnable {
    private final Application app;
    private final Subject subject;
    private final Origin origin;
    private final Instant begin;
    private final Instant deadline;
    private final Duration interval;
    private final Scheduler scheduler;
    private final CompletableFuture<WaitResult> future = new CompletableFuture<>();
    private volatile ExecutionResult result;
    private volatile Scheduler.@Nullable Task next;

    Round(Application app, Subject subject, Origin origin, Instant begin, Instant deadline, Duration interval,
        Scheduler scheduler, ExecutionResult first) {
      this.app = app;
      this.subject = subject;
      this.origin = origin;
      this.begin = begin;
      this.deadline = deadline;
      this.interval = interval;
      this.scheduler = scheduler;
      this.result = first;
    }

    @Override
    public void run() {
      if (future.isDone()) {
        return;
      }
      try {
        if (!result.isComplete()) {
          // Changes held back by readiness gates: plan again and write what may be written now.
          result = merge(result, pipeline.apply(app, subject, origin));
        }
        check();
      } catch (RuntimeException e) {
        future.completeExceptionally(e);
      }
    }

    /** Decides with the last execution and a fresh status, or schedules the next round. */
    void check() {
      Instant now = clock.instant();
      Duration waited = Duration.between(begin, now);
      if (!result.succeeded()) {
        future.complete(new WaitResult.Failed(result, waited));
        return;
      }
      ApplicationStatus status = pipeline.status(app, subject);
      if (result.isComplete() && status.isReady()) {
        future.complete(new WaitResult.Ready(result, waited));
        return;
      }
      if (!now.isBefore(deadline)) {
        future.complete(new WaitResult.TimedOut(result, waited, pending(status), status.problems()));
        return;
      }
      Duration left = Duration.between(now, deadline);
      next = scheduler.schedule(this, left.compareTo(interval) < 0 ? left : interval);
      if (future.isDone()) {
        cancel();
      }
    }

    private List<WaitResult.Pending> pending(ApplicationStatus status) {
      Map<ResourceKey, String> held = new LinkedHashMap<>();
      for (Outcome o : result.waiting()) {
        held.put(o.change().key(), "not applied yet: " + o.message());
      }
      List<WaitResult.Pending> out = new ArrayList<>();
      for (ResourceStatus r : status.resources()) {
        if (!r.desired()) {
          out.add(new WaitResult.Pending(r.key(), r.health(), "leftover, being pruned"));
        } else if (held.containsKey(r.key())) {
          out.add(new WaitResult.Pending(r.key(), r.health(), held.get(r.key())));
        } else if (!r.isSynced() && r.present()) {
          out.add(new WaitResult.Pending(r.key(), r.health(), r.state()));
        } else if (!r.health().isHealthy()) {
          out.add(new WaitResult.Pending(r.key(), r.health(), ""));
        }
      }
      return out;
    }

    void cancel() {
      Scheduler.Task t = next;
      if (t != null) {
        t.cancel();
      }
      future.completeExceptionally(new IllegalStateException("the plane was closed while waiting for "
          + app.id() + " to become ready"));
    }
  }

  /**
   * The first execution with what later rounds did in its place: an object a later round wrote,
   * failed or still held back takes that round's outcome, and one an earlier round held back takes
   * the later UNCHANGED (someone else wrote it meanwhile); the plan is the latest, the inventory
   * writes of every round, the revision the latest round that recorded one recorded.
   */
  static ExecutionResult merge(ExecutionResult before, ExecutionResult after) {
    Map<ResourceKey, Outcome> byKey = new LinkedHashMap<>();
    for (Outcome o : before.outcomes()) {
      byKey.put(o.change().key(), o);
    }
    for (Outcome o : after.outcomes()) {
      Outcome earlier = byKey.get(o.change().key());
      // A later round's UNCHANGED keeps what an earlier round wrote, but settles what it held back.
      if (o.status() != Outcome.Status.UNCHANGED || earlier == null || earlier.status() == Outcome.Status.WAITING
          || earlier.status() == Outcome.Status.SKIPPED) {
        byKey.put(o.change().key(), o);
      }
    }
    List<Outcome> inventory = new ArrayList<>(before.inventory());
    inventory.addAll(after.inventory());
    return new ExecutionResult(after.plan(), List.copyOf(byKey.values()), inventory,
        after.revision() != 0 ? after.revision() : before.revision());
  }
}
