package io.orchestrationplane.core;

import io.orchestrationplane.core.admit.AdmissionDeniedException;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Executor;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.apply.StalePlanException;
import io.orchestrationplane.core.health.ApplicationHealth;
import io.orchestrationplane.core.health.Health;
import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.FieldDiff;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.plan.PlanProblem;
import io.orchestrationplane.core.reconcile.ControllerListener;
import io.orchestrationplane.core.reconcile.Reconciler;
import io.orchestrationplane.core.reconcile.Result;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Condition;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.core.status.ResourceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The plane's own reconciler, keyed by application id: validate → render → plan → execute for
 * every environment of one application, then record status and emit events. One reconciler
 * among those users write; it runs on the same {@code Controller}.
 */
final class ApplicationReconciler implements Reconciler<String>, ControllerListener<String> {

  /** How many removed applications' REMOVED statuses are kept. */
  private static final int REMEMBERED_REMOVALS = 10_000;

  /** Consecutive failed reads of a converged application that leave it READY. */
  private static final int STAY_READY_ATTEMPTS = 3;

  /** One submitted application: its desired state, generation and drift policy. */
  private record Entry(Application app, long generation, DriftPolicy policy, boolean removing) {}

  private final OrchestrationPlane plane;
  private final WriteGuard guard;
  private final Map<String, Entry> desired = new ConcurrentHashMap<>();
  private final Map<String, Long> appliedGeneration = new ConcurrentHashMap<>();
  private final Map<String, ApplicationStatus> statuses = new ConcurrentHashMap<>();
  /** The REMOVED statuses of the most recently removed applications, until submitted again. */
  private final Map<String, ApplicationStatus> removed = java.util.Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ApplicationStatus> eldest) {
          return size() > REMEMBERED_REMOVALS;
        }
      });
  private final Map<String, Instant> unhealthySince = new ConcurrentHashMap<>();
  /** The newest generation reconciled at least once (its deadline clock started then). */
  private final Map<String, Long> seenGeneration = new ConcurrentHashMap<>();
  /** The plan behind the status last recorded for an unchanged application, with that status. */
  private final Map<String, Settled> settledFrom = new ConcurrentHashMap<>();

  private record Settled(Plan plan, ApplicationStatus status) {}

  ApplicationReconciler(OrchestrationPlane plane, WriteGuard guard) {
    this.plane = plane;
    this.guard = guard;
  }

  long submit(Application app, DriftPolicy policy) {
    Entry entry = desired.compute(app.id(), (id, old) -> {
      if (old == null) {
        return new Entry(app, 1, policy, false);
      }
      boolean same = !old.removing() && old.app().sameAs(app) && old.policy() == policy;
      return same ? old : new Entry(app, old.generation() + 1, policy, false);
    });
    removed.remove(app.id());
    statuses.computeIfAbsent(app.id(), id -> pending(id, entry.generation()));
    plane.emit(app.id(), PlaneEvent.Type.SUBMITTED, "generation " + entry.generation());
    return entry.generation();
  }

  boolean remove(Application app) {
    String id = app.id();
    Entry marked = desired.compute(id, (k, old) -> old == null ? new Entry(app, 1, DriftPolicy.CORRECT, true)
        : new Entry(old.app(), old.generation() + 1, old.policy(), true));
    removed.remove(id);
    if (marked != null) {
      record(id, marked.generation(), Phase.REMOVING, conds(id, false, "Removing", "pruning every object",
          true, "Removing", "pruning every object", false, "Removing", ""), List.of(), null, "");
    }
    return marked != null;
  }

  /** Submitted application ids, sorted so that start and resync queue them in a stable order. */
  List<String> submitted() {
    return desired.keySet().stream().sorted().toList();
  }

  Optional<ApplicationStatus> status(String id) {
    ApplicationStatus s = statuses.get(id);
    return Optional.ofNullable(s != null ? s : removed.get(id));
  }

  Map<String, ApplicationStatus> statuses() {
    return Map.copyOf(statuses);
  }

  /**
   * Reconciles one application. A failure of any kind, a bug in a custom type or an input that
   * overflows the stack included, becomes this application's DEGRADED status and a retry: the
   * worker and every other application go on.
   */
  @Override
  public Result reconcile(String id, Context ctx) {
    try {
      return reconcileOnce(id, ctx);
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError failure) {
      Entry e = desired.get(id);
      String message = "reconcile failed: " + failure.getClass().getSimpleName()
          + (failure.getMessage() == null ? "" : ": " + plane.scrub(id, e == null ? null : e.app(), failure.getMessage()));
      if (message.length() > 2000) {
        message = message.substring(0, 2000) + "...";
      }
      if (e != null) {
        record(id, e.generation(), e.removing() ? Phase.REMOVING : Phase.DEGRADED, conds(id, false, "ReconcileError",
            message, false, "ReconcileError", "", true, "ReconcileError", message), List.of(), null, message);
        plane.emit(id, PlaneEvent.Type.APPLY_FAILED, message);
      }
      return Result.retry(message);
    }
  }

  private Result reconcileOnce(String id, Context ctx) {
    Entry e = desired.get(id);
    if (e == null) {
      return Result.forget();
    }
    if (e.removing()) {
      return prune(id, e);
    }
    Plan plan;
    try {
      plan = plane.plan(id, e.app());
    } catch (ValidationException ex) {
      String message = plane.scrub(id, e.app(), ex.getMessage()); // a type's own message may quote a value
      record(id, e.generation(), Phase.DEGRADED, conds(id, false, "InvalidSpec", message, false, "InvalidSpec", "",
          true, "InvalidSpec", message), List.of(), null, message);
      plane.emit(id, PlaneEvent.Type.INVALID, message);
      return Result.terminal(message);
    } catch (AdmissionDeniedException ex) {
      // terminal: retrying cannot help until the application or the policies change (a
      // resync re-evaluates, so a relaxed policy is picked up)
      record(id, e.generation(), Phase.DEGRADED, conds(id, false, "AdmissionDenied", ex.getMessage(), false,
          "AdmissionDenied", "", true, "AdmissionDenied", ex.getMessage()), List.of(), null, ex.getMessage());
      plane.emit(id, PlaneEvent.Type.DENIED, ex.getMessage());
      return Result.terminal(ex.getMessage());
    }
    boolean newGeneration = e.generation() > appliedGeneration.getOrDefault(id, 0L);
    if (e.generation() > seenGeneration.getOrDefault(id, 0L)) {
      seenGeneration.put(id, e.generation());
      unhealthySince.remove(id); // a new desired state gets a full progress deadline, once
    }
    if (!plan.hasChanges()) {
      appliedGeneration.put(id, e.generation());
      List<ResourceStatus> resources = plane.resourceStatuses(plan);
      Result unchanged = unchanged(id, e, plan, resources);
      if (unchanged != null) {
        return unchanged;
      }
      Result result = settled(id, e, plan, resources, List.of(), ctx.attempt());
      settledFrom.put(id, new Settled(plan, statuses.get(id)));
      return result;
    }
    String drift = driftSummary(plan);
    if (!newGeneration) {
      if (e.policy() == DriftPolicy.REPORT) {
        String message = drift + "; drift policy is report, nothing written";
        ApplicationStatus before = statuses.get(id);
        record(id, e.generation(), Phase.DEGRADED, conds(id, false, "Drifted", message, false, "Drifted", "",
            true, "Drifted", message), plane.resourceStatuses(plan), plan, "");
        if (before == null || !message.equals(before.condition(Condition.DEGRADED).map(Condition::message).orElse(""))) {
          plane.emit(id, PlaneEvent.Type.DRIFT_DETECTED, message);
        }
        return Result.done();
      }
      plane.emit(id, PlaneEvent.Type.DRIFT_DETECTED, drift);
    }
    if (newGeneration) {
      guard.forget(id); // a new desired state: earlier fights and loops say nothing about it
    }
    Map<ResourceKey, WriteGuard.Hold> holds = new ConcurrentHashMap<>();
    Instant now = plane.clock().instant();
    Executor.Gate guarded = newGeneration ? Executor.Gate.OPEN : change -> {
      WriteGuard.Hold hold = guard.check(change, now);
      if (hold == null) {
        return Optional.empty();
      }
      holds.put(change.key(), hold);
      return Optional.of(hold.message());
    };
    ExecutionResult result;
    try {
      result = plane.apply(plan, guarded);
    } catch (StalePlanException ex) {
      String message = "live state changed while planning: " + String.join("; ", ex.stale());
      record(id, e.generation(), Phase.PROGRESSING, conds(id, false, "Progressing", message, true, "StalePlan", message,
          false, "StalePlan", ""), plane.resourceStatuses(plan), plan, message);
      return Result.retry(message);
    }
    for (Outcome o : result.outcomes()) {
      if (o.status() == Outcome.Status.APPLIED || o.status() == Outcome.Status.DELETED) {
        guard.written(id, o.change(), !newGeneration, plane.stillDiffering(o.change(), o.result()),
            otherWriters(o.change().live()), now);
      }
    }
    Result held = held(id, e, plan, result, holds, now);
    if (held != null) {
      return held;
    }
    Optional<Outcome> failure = result.failure();
    if (failure.isPresent()) {
      String message = failure.get().message();
      record(id, e.generation(), Phase.DEGRADED, conds(id, false, "ApplyFailed", message, true, "Applying",
          result.writes() + " of " + plan.writes().size() + " changes written", true, "ApplyFailed", message),
          plane.resourceStatuses(plan), plan, message);
      plane.emit(id, PlaneEvent.Type.APPLY_FAILED, message);
      return Result.retry(message);
    }
    if (result.waiting().isEmpty()) {
      appliedGeneration.put(id, e.generation());
    }
    if (result.writes() > 0) {
      plane.emit(id, newGeneration ? PlaneEvent.Type.APPLIED : PlaneEvent.Type.DRIFT_CORRECTED,
          plan.summary() + (newGeneration ? "" : " (" + drift + ")"));
    }
    return settled(id, e, plan, applied(plan, result, plane), result.waiting(), ctx.attempt());
  }

  /**
   * When the write guard held back corrections: a fight or a write loop makes the application
   * DEGRADED naming the object, the fields and the other writer; a correction held only for its
   * rate is retried when it may be written. Null when nothing was held.
   */
  private Result held(String id, Entry e, Plan plan, ExecutionResult result, Map<ResourceKey, WriteGuard.Hold> holds,
      Instant now) {
    if (holds.isEmpty()) {
      return null;
    }
    Instant next = null;
    List<String> problems = new ArrayList<>();
    String reason = null;
    for (Outcome o : result.outcomes()) {
      WriteGuard.Hold h = holds.get(o.change().key());
      if (h == null || o.status() != Outcome.Status.WAITING) {
        continue;
      }
      next = next == null || h.until().isBefore(next) ? h.until() : next;
      if (h.kind() != WriteGuard.Kind.RATE) {
        problems.add(h.message());
        reason = reason == null ? (h.kind() == WriteGuard.Kind.FIGHT ? "FightingWriter" : "WriteLoop") : reason;
      }
    }
    if (next == null) {
      return null;
    }
    Duration wait = Duration.between(now, next);
    wait = wait.isNegative() || wait.isZero() ? Duration.ofMillis(1) : wait;
    if (problems.isEmpty()) {
      return Result.requeueAfter(wait);
    }
    String message = plane.scrub(id, String.join("; ", problems));
    ApplicationStatus before = statuses.get(id);
    record(id, e.generation(), Phase.DEGRADED, conds(id, false, reason, message, false, reason, "", true, reason, message),
        plane.resourceStatuses(plan), plan, message);
    if (before == null || !message.equals(before.condition(Condition.DEGRADED).map(Condition::message).orElse(""))) {
      plane.emit(id, PlaneEvent.Type.DEGRADED, message);
    }
    return Result.requeueAfter(wait);
  }

  /** The other field managers that last wrote the object, from its managedFields: {@code kubectl-edit, hpa}. */
  private static String otherWriters(Resource live) {
    if (live == null) {
      return "";
    }
    java.util.Set<String> managers = new java.util.TreeSet<>();
    for (tools.jackson.databind.JsonNode entry : live.json().path("metadata").path("managedFields")) {
      String m = entry.path("manager").asString("");
      if (!m.isEmpty() && !m.equals(Ownership.MANAGER)) {
        managers.add(m);
      }
    }
    return managers.isEmpty() ? "" : "field managers: " + String.join(", ", managers);
  }

  /**
   * The verdict of the last reconcile when nothing it rested on has changed: the very same plan
   * (the planner hands it back while the clusters list the same objects) and object statuses,
   * the status it recorded still in place, and for PROGRESSING the deadline still ahead. Recording
   * that verdict again would change nothing and emit nothing, so a resync of a converged
   * application stops here. Null when anything differs: then the full path decides.
   */
  private Result unchanged(String id, Entry e, Plan plan, List<ResourceStatus> resources) {
    Settled last = settledFrom.get(id);
    ApplicationStatus current = statuses.get(id);
    if (last == null || last.plan() != plan || last.status() != current || current.resources() != resources
        || current.observedGeneration() != e.generation() || !plan.problems().isEmpty()) {
      return null;
    }
    if (current.phase() == Phase.READY) {
      return Result.done();
    }
    Instant since = unhealthySince.get(id);
    if (current.phase() != Phase.PROGRESSING || since == null) {
      return null; // DEGRADED says for how long, which changes with every reconcile
    }
    Duration left = plane.progressDeadline().minus(Duration.between(since, plane.clock().instant()));
    return left.isNegative() || left.isZero() ? null : Result.requeueAfter(left);
  }

  /**
   * Nothing failed: READY when every object is in sync and healthy; otherwise PROGRESSING until the
   * progress deadline, then DEGRADED naming the component, the object and the cause.
   */
  private Result settled(String id, Entry e, Plan plan, List<ResourceStatus> resources, List<Outcome> waiting,
      int attempt) {
    List<PlanProblem> problems = plan.problems();
    if (!problems.isEmpty()) {
      String message = problems.stream().map(PlanProblem::toString).collect(Collectors.joining("; "));
      ApplicationStatus before = statuses.get(id);
      boolean unreadable = problems.stream().allMatch(p -> p.subject().isEmpty());
      if (unreadable && attempt < STAY_READY_ATTEMPTS && before != null && before.phase() == Phase.READY
          && before.observedGeneration() == e.generation()) {
        // One failed read of a converged application (a throttled or briefly unreachable API
        // server during a resync) is not a change of state: it stays READY, says what happened,
        // and retries; only repeated failures make it DEGRADED.
        record(id, e.generation(), Phase.READY, before.conditions(), before.resources(), null, message);
        return Result.retry(message);
      }
      record(id, e.generation(), Phase.DEGRADED, conds(id, false, "PlanProblems", message, false, "Blocked", "",
          true, "PlanProblems", message), resources, plan, message);
      return Result.retry(message);
    }
    ApplicationHealth health = healthOf(id, resources);
    boolean synced = true;
    for (ResourceStatus r : resources) {
      synced &= !r.desired() || r.isSynced();
    }
    if (waiting.isEmpty() && synced && health.health() == Health.HEALTHY) {
      unhealthySince.remove(id);
      ApplicationStatus before = statuses.get(id);
      record(id, e.generation(), Phase.READY, conds(id, true, "InSync", "every object is present, in sync and healthy",
          false, "Converged", "", false, "InSync", ""), resources, plan, "");
      if (before == null || before.phase() != Phase.READY) {
        plane.emit(id, PlaneEvent.Type.CONVERGED, resources.size() + " objects in sync and healthy");
      }
      return Result.done();
    }
    Instant now = plane.clock().instant();
    Instant since = unhealthySince.computeIfAbsent(id, k -> now);
    Duration elapsed = Duration.between(since, now);
    Duration deadline = plane.progressDeadline();
    String component;
    String cause;
    if (!waiting.isEmpty()) {
      component = waiting.get(0).change().component();
      cause = waiting.get(0).change().key().display() + " " + waiting.get(0).message();
    } else {
      component = health.culprit().map(c -> componentOf(plan, c.key())).orElse(null);
      cause = health.message();
    }
    String blocking = (component == null ? "" : component + ": ") + (cause.endsWith(".") ? cause.substring(0, cause.length() - 1) : cause);
    if (elapsed.compareTo(deadline) >= 0) {
      String message = blocking + " after " + human(elapsed);
      ApplicationStatus before = statuses.get(id);
      record(id, e.generation(), Phase.DEGRADED, conds(id, false, "ProgressDeadlineExceeded", message, false,
          "ProgressDeadlineExceeded", "", true, "ProgressDeadlineExceeded", message), resources, plan, message);
      if (before == null || before.phase() != Phase.DEGRADED) {
        plane.emit(id, PlaneEvent.Type.DEGRADED, message);
      }
      return Result.done(); // health changes arrive as watch events; resync is the backstop
    }
    String reason = waiting.isEmpty() ? "Unhealthy" : "WaitingForDependencies";
    record(id, e.generation(), Phase.PROGRESSING, conds(id, false, reason, blocking, true, reason, blocking,
        false, reason, ""), resources, plan, "");
    return Result.requeueAfter(deadline.minus(elapsed));
  }

  private static String componentOf(Plan plan, ResourceKey key) {
    return plan.change(key).map(Change::component).orElse(null);
  }

  /** {@code 10m}, {@code 90s}, {@code 1h5m}. */
  static String human(Duration d) {
    long s = d.getSeconds();
    if (s < 60) {
      return s + "s";
    }
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long rest = s % 60;
    return (h > 0 ? h + "h" : "") + (m > 0 ? m + "m" : "") + (rest > 0 && h == 0 ? rest + "s" : "");
  }

  /** How soon a removal that waits for objects still being deleted looks again (watch events come sooner). */
  private static final Duration REMOVAL_RECHECK = Duration.ofSeconds(5);

  /**
   * Removal: deletes everything the application owns and its inventory, and forgets the
   * application only once every cluster confirmed that nothing is left. Until then it stays
   * REMOVING, saying which cluster or object holds it up, and is retried.
   */
  private Result prune(String id, Entry e) {
    ExecutionResult result;
    try {
      result = plane.delete(e.app());
    } catch (AdmissionDeniedException ex) {
      record(id, e.generation(), Phase.REMOVING, conds(id, false, "Removing", ex.getMessage(), false, "Removing", "",
          true, "AdmissionDenied", ex.getMessage()), List.of(), null, ex.getMessage());
      return Result.terminal(ex.getMessage());
    } catch (StalePlanException ex) {
      String message = "live state changed while pruning: " + String.join("; ", ex.stale());
      record(id, e.generation(), Phase.REMOVING, conds(id, false, "Removing", message, true, "Removing", message,
          false, "Removing", ""), List.of(), null, message);
      return Result.retry(message);
    }
    Plan left = result.plan();
    if (OrchestrationPlane.isRemoved(result)) {
      if (!desired.remove(id, e)) {
        return Result.done(); // submitted again while pruning: the queued follow-up applies it
      }
      settledFrom.remove(id);
      appliedGeneration.remove(id);
      seenGeneration.remove(id);
      unhealthySince.remove(id);
      String kept = left.kept().isEmpty() ? "" : "; kept (marked " + Ownership.KEEP_ON_REMOVE_ANNOTATION + "): "
          + left.kept().stream().map(k -> k.display() + " (cluster " + k.cluster() + ")").collect(Collectors.joining(", "));
      String message = "every object removed from every cluster" + kept;
      record(id, e.generation(), Phase.REMOVED, conds(id, false, "Removed", message, false, "Removed", "",
          false, "Removed", ""), List.of(), left, "");
      removed.put(id, statuses.remove(id));
      guard.forget(id);
      plane.release(id);
      plane.emit(id, PlaneEvent.Type.REMOVED, result.writes() + " objects pruned" + kept);
      return Result.forget();
    }
    String message;
    Result next;
    Optional<Outcome> failure = result.failure();
    if (failure.isPresent()) {
      message = failure.get().message();
      next = Result.retry(message);
    } else if (!left.problems().isEmpty()) {
      message = left.problems().stream().map(PlanProblem::toString).collect(Collectors.joining("; "));
      next = Result.retry(message);
    } else {
      message = "waiting for " + left.deleting().size() + (left.deleting().size() == 1 ? " object" : " objects")
          + " to be deleted: " + left.deleting().stream().map(k -> k.display() + " (cluster " + k.cluster() + ")")
              .collect(Collectors.joining(", "));
      next = Result.requeueAfter(REMOVAL_RECHECK);
    }
    boolean blocked = failure.isPresent() || !left.problems().isEmpty();
    record(id, e.generation(), Phase.REMOVING, conds(id, false, "Removing", message, true, "Removing", message,
        blocked, blocked ? "RemovalBlocked" : "Removing", blocked ? message : ""), plane.resourceStatuses(left), left,
        blocked ? message : "");
    return next;
  }

  @Override
  public void retryScheduled(String id, int attempt, Duration delay, String reason) {
    statuses.computeIfPresent(id, (k, s) -> {
      String message = reason + ", retrying in " + delay.toMillis() + "ms";
      List<Condition> conditions = new ArrayList<>();
      for (Condition c : s.conditions()) {
        boolean blocking = (c.type().equals(Condition.DEGRADED) && c.isTrue())
            || (c.type().equals(Condition.READY) && !c.isTrue());
        conditions.add(blocking ? new Condition(c.type(), c.state(), c.reason(), message, c.lastTransitionTime()) : c);
      }
      return new ApplicationStatus(s.application(), s.observedGeneration(), s.phase(), conditions, s.resources(),
          s.problems(), message, s.health(), s.notices());
    });
    plane.emit(id, PlaneEvent.Type.STATUS_CHANGED, "retrying in " + delay.toMillis() + "ms");
    plane.emit(id, PlaneEvent.Type.RETRY_SCHEDULED, "attempt " + attempt + ": " + reason + ", retrying in "
        + delay.toMillis() + "ms");
  }

  /** The objects after a successful execution: written ones in sync, waiting ones as planned. */
  private static List<ResourceStatus> applied(Plan plan, ExecutionResult result, OrchestrationPlane plane) {
    Map<ResourceKey, Outcome> outcomes = new LinkedHashMap<>();
    result.outcomes().forEach(o -> outcomes.put(o.change().key(), o));
    List<ResourceStatus> out = new ArrayList<>();
    for (Change c : plan.changes()) {
      if (c.type() == Change.Type.DELETE) {
        continue;
      }
      Outcome o = outcomes.get(c.key());
      if (o != null && o.status() == Outcome.Status.WAITING) {
        boolean present = c.type() != Change.Type.CREATE;
        out.add(new ResourceStatus(c.key(), c.environment(), true, present, false, c.diffs(),
            "waiting: " + o.message(), present ? plane.health().assess(c.live()) : HealthStatus.missing(c.key())));
        continue;
      }
      boolean written = o != null && o.status() == Outcome.Status.APPLIED;
      String last = !written ? "" : c.type() == Change.Type.CREATE ? "created" : "updated";
      Resource live = written ? o.result() : c.live();
      out.add(new ResourceStatus(c.key(), c.environment(), true, true, true, List.of(), last,
          plane.health().assess(live)));
    }
    return out;
  }

  private static String driftSummary(Plan plan) {
    List<String> parts = new ArrayList<>();
    for (Change c : plan.writes()) {
      String what = switch (c.type()) {
        case CREATE -> "missing";
        case DELETE -> "leftover";
        default -> c.diffs().stream().map(FieldDiff::path).collect(Collectors.joining(", "));
      };
      parts.add(c.key().display() + " (cluster " + c.key().cluster() + "): " + what);
    }
    return parts.size() + (parts.size() == 1 ? " object differs: " : " objects differ: ") + String.join("; ", parts);
  }

  private ApplicationStatus pending(String id, long generation) {
    Instant now = plane.clock().instant();
    return new ApplicationStatus(id, generation, Phase.PENDING,
        List.of(new Condition(Condition.READY, Condition.State.UNKNOWN, "Pending", "not reconciled yet", now)),
        List.of(), List.of(), "", ApplicationHealth.of(List.of()), List.of());
  }

  /** Records a status; {@code plan} (may be null) gives the problems and policy notices. */
  private void record(String id, long generation, Phase phase, List<Condition> conditions,
      List<ResourceStatus> resources, Plan plan, String lastError) {
    ApplicationStatus next = new ApplicationStatus(id, generation, phase, conditions, resources,
        plan == null ? List.of() : plan.problems(), lastError, healthOf(id, resources),
        plan == null ? List.of() : plan.notices());
    ApplicationStatus before = statuses.put(id, next);
    if (!next.equals(before)) {
      plane.emit(id, PlaneEvent.Type.STATUS_CHANGED, phase.toString());
    }
  }

  /**
   * The health of these object statuses: the recorded one when they are the very list recorded
   * last (the plane hands out the same list while nothing changed), so that comparing the next
   * status with the last one is a matter of identity.
   */
  private ApplicationHealth healthOf(String id, List<ResourceStatus> resources) {
    ApplicationStatus before = statuses.get(id);
    return before != null && before.resources() == resources ? before.health() : ApplicationStatus.healthOf(resources);
  }

  /** Ready, Progressing and Degraded, keeping each one's transition time while its state holds. */
  private List<Condition> conds(String id, boolean ready, String readyReason, String readyMessage,
      boolean progressing, String progressingReason, String progressingMessage,
      boolean degraded, String degradedReason, String degradedMessage) {
    ApplicationStatus before = statuses.get(id);
    Instant now = plane.clock().instant();
    return List.of(
        condition(before, Condition.READY, ready, readyReason, readyMessage, now),
        condition(before, Condition.PROGRESSING, progressing, progressingReason, progressingMessage, now),
        condition(before, Condition.DEGRADED, degraded, degradedReason, degradedMessage, now));
  }

  private static Condition condition(ApplicationStatus before, String type, boolean holds, String reason,
      String message, Instant now) {
    Condition.State state = holds ? Condition.State.TRUE : Condition.State.FALSE;
    Instant since = before == null ? now : before.condition(type)
        .filter(c -> c.state() == state).map(Condition::lastTransitionTime).orElse(now);
    return new Condition(type, state, reason, message, since);
  }
}
