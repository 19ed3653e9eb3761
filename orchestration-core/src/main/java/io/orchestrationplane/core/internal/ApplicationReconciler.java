package io.orchestrationplane.core.internal;

import io.orchestrationplane.core.admit.AdmissionDeniedException;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Executor;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.apply.StalePlanException;
import io.orchestrationplane.core.health.ApplicationHealth;
import io.orchestrationplane.core.health.Health;
import io.orchestrationplane.core.health.HealthAssessors;
import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.DriftPolicy;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.FieldDiff;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.plan.PlanProblem;
import io.orchestrationplane.core.reconcile.ControllerListener;
import io.orchestrationplane.core.reconcile.Reconciler;
import io.orchestrationplane.core.reconcile.Result;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Condition;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.core.status.ResourceStatus;
import io.orchestrationplane.core.status.Situation;
import io.orchestrationplane.core.status.StatusRules;
import java.time.Clock;
import io.orchestrationplane.core.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The plane's own reconciler, keyed by application id: plan → execute for every environment of
 * one application, then record status and emit events. It gathers facts into a {@link
 * Situation}; {@link StatusRules} alone decides the phase and conditions. It reaches the
 * pipeline only through {@link Stages}, the narrow interface it owns. Thread-safe: one
 * application is reconciled by one worker at a time (the controller guarantees it).
 */
public final class ApplicationReconciler implements Reconciler<String>, ControllerListener<String> {

  /** What the reconciler needs from the pipeline: nothing else of the plane is reachable. */
  public interface Stages {
    /** Validates, renders, plans and admits a submitted application. */
    Plan plan(String id, Application app, Subject subject);

    /** Executes an admitted plan, holding back what {@code extra} holds. */
    ExecutionResult apply(Plan plan, Executor.Gate extra, Subject subject);

    /** Deletes everything the application owns; see {@link #removed}. */
    ExecutionResult delete(Application app, Subject subject);

    /** True when a deletion removed everything. */
    boolean removed(ExecutionResult deletion);

    /** The object statuses of a plan (the same list while nothing changed). */
    List<ResourceStatus> resourceStatuses(Plan plan);

    /** What still differs between a written change and what the cluster stored. */
    List<FieldDiff> stillDiffering(Change change, @Nullable Resource stored);

    /** {@code message} without the application's secret values. */
    String scrub(String id, @Nullable Application app, @Nullable String message);

    HealthAssessors health();

    /** Forgets what a removed application claimed. */
    void release(String id);

    void emit(PlaneEvent event);

    /** Records a submitted application's desired state, now applied, as a revision (none when it is the newest). */
    void accepted(Application app, Plan applied, Subject subject, Origin origin);
  }

  /** How many removed applications' REMOVED statuses are kept. */
  private static final int REMEMBERED_REMOVALS = 10_000;

  /** How soon a removal that waits for objects still being deleted looks again (watch events come sooner). */
  private static final Duration REMOVAL_RECHECK = Duration.ofSeconds(5);

  /** One submitted application: its desired state, generation, drift policy, who submitted it and from what. */
  private record Entry(Application app, long generation, DriftPolicy policy, boolean removing, Subject subject,
      Origin origin) {}

  private final Stages plane;
  private final WriteGuard guard;
  private final Clock clock;
  private final Duration progressDeadline;
  private final io.orchestrationplane.core.cluster.WritePermit permit;
  private final Map<String, Entry> desired = new ConcurrentHashMap<>();
  private final Map<String, Long> appliedGeneration = new ConcurrentHashMap<>();
  private final Map<String, ApplicationStatus> statuses = new ConcurrentHashMap<>();
  /** The REMOVED statuses of the most recently removed applications, until submitted again. */
  private final Map<String, ApplicationStatus> removed = Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ApplicationStatus> eldest) {
          return size() > REMEMBERED_REMOVALS;
        }
      });
  private final Map<String, Instant> unhealthySince = new ConcurrentHashMap<>();
  /** Per application, since when each of its clusters has been unreadable (reset by a plan that read it). */
  private final Map<String, Map<String, Instant>> unreachableSince = new ConcurrentHashMap<>();
  /** The newest generation reconciled at least once (its deadline clock started then). */
  private final Map<String, Long> seenGeneration = new ConcurrentHashMap<>();
  /** The plan behind the status last recorded for an unchanged application, with that status. */
  private final Map<String, Settled> settledFrom = new ConcurrentHashMap<>();

  private record Settled(Plan plan, @Nullable ApplicationStatus status) {}

  public ApplicationReconciler(Stages plane, PlaneSettings settings) {
    this.plane = plane;
    this.guard = new WriteGuard(settings.maxCorrections(), settings.correctionWindow(),
        settings.minCorrectionInterval());
    this.clock = settings.clock();
    this.progressDeadline = settings.progressDeadline();
    this.permit = settings.writePermit();
  }

  /** Adds or updates an application; returns its generation (bumped only when it changed). */
  public long submit(Application app, DriftPolicy policy, Subject subject) {
    return submit(app, policy, subject, Origin.code());
  }

  /** Adds or updates an application coming from {@code origin}; returns its generation (bumped only when it changed). */
  public long submit(Application app, DriftPolicy policy, Subject subject, Origin origin) {
    Entry entry = desired.compute(app.id(), (id, old) -> {
      if (old == null) {
        return new Entry(app, 1, policy, false, subject, origin);
      }
      boolean same = !old.removing() && old.app().sameAs(app) && old.policy() == policy;
      return same ? old : new Entry(app, old.generation() + 1, policy, false, subject, origin);
    });
    removed.remove(app.id());
    statuses.computeIfAbsent(app.id(), id -> status(id, entry.generation(), new Situation.Pending(), List.of(), null, ""));
    emit(entry, PlaneEvent.Type.SUBMITTED, "generation " + entry.generation());
    return entry.generation();
  }

  /** Marks an application for removal; true when it is (now) being removed. */
  public boolean remove(Application app, Subject subject) {
    String id = app.id();
    Entry marked = desired.compute(id, (k, old) -> old == null
        ? new Entry(app, 1, DriftPolicy.CORRECT, true, subject, Origin.code())
        : new Entry(old.app(), old.generation() + 1, old.policy(), true, subject, old.origin()));
    removed.remove(id);
    record(id, marked.generation(), new Situation.Removing("pruning every object", false), List.of(), null, "");
    return true;
  }

  /** True while the application is submitted (and not being removed). */
  public boolean isSubmitted(String id) {
    Entry e = desired.get(id);
    return e != null && !e.removing();
  }

  /** For whom the plane acts on {@code id}: who submitted (or removed) it, or {@code otherwise} when it is not known. */
  public Subject subjectOf(String id, Subject otherwise) {
    Entry e = desired.get(id);
    return e == null ? otherwise : e.subject();
  }

  /** Submitted application ids, sorted so that start and resync queue them in a stable order. */
  public List<String> submitted() {
    return desired.keySet().stream().sorted().toList();
  }

  public Optional<ApplicationStatus> status(String id) {
    ApplicationStatus s = statuses.get(id);
    return Optional.ofNullable(s != null ? s : removed.get(id));
  }

  public Map<String, ApplicationStatus> statuses() {
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
    } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError | OutOfMemoryError failure) {
      Entry e = desired.get(id);
      String message = "reconcile failed: " + failure.getClass().getSimpleName()
          + (failure.getMessage() == null ? "" : ": " + plane.scrub(id, e == null ? null : e.app(), failure.getMessage()));
      if (message.length() > 2000) {
        message = message.substring(0, 2000) + "...";
      }
      if (e != null) {
        record(id, e.generation(), new Situation.ReconcileError(message, e.removing()), List.of(), null, message);
        emit(e, PlaneEvent.Type.APPLY_FAILED, message);
      }
      return Result.retry(message);
    }
  }

  private Result reconcileOnce(String id, Context ctx) {
    Entry e = desired.get(id);
    if (e == null) {
      return Result.forget();
    }
    if (permit.refusal(id).isPresent()) {
      // another replica may own this application (a shard it holds): neither read nor write, and
      // keep the status as it was; OrchestrationPlane.requeue brings it back when the permit allows
      return Result.done();
    }
    if (e.removing()) {
      return prune(id, e);
    }
    Plan plan;
    try {
      plan = plane.plan(id, e.app(), e.subject());
    } catch (ValidationException ex) {
      String message = plane.scrub(id, e.app(), ex.getMessage()); // a type's own message may quote a value
      record(id, e.generation(), new Situation.Invalid(message), List.of(), null, message);
      emit(e, PlaneEvent.Type.INVALID, message);
      return Result.terminal(message);
    } catch (AdmissionDeniedException ex) {
      // terminal: retrying cannot help until the application or the policies change (a
      // resync re-evaluates, so a relaxed policy is picked up)
      record(id, e.generation(), new Situation.Denied(ex.getMessage()), List.of(), null, ex.getMessage());
      emit(e, PlaneEvent.Type.DENIED, ex.getMessage());
      return Result.terminal(ex.getMessage());
    }
    boolean newGeneration = e.generation() > appliedGeneration.getOrDefault(id, 0L);
    if (e.generation() > seenGeneration.getOrDefault(id, 0L)) {
      seenGeneration.put(id, e.generation());
      unhealthySince.remove(id); // a new desired state gets a full progress deadline, once
    }
    if (!plan.hasChanges()) {
      if (newGeneration) {
        plane.accepted(e.app(), plan, e.subject(), e.origin());
      }
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
        record(id, e.generation(), new Situation.DriftReported(message), plane.resourceStatuses(plan), plan, "");
        if (before == null || !message.equals(before.condition(Condition.DEGRADED).map(Condition::message).orElse(""))) {
          emit(e, PlaneEvent.Type.DRIFT_DETECTED, message);
        }
        return Result.done();
      }
      emit(e, PlaneEvent.Type.DRIFT_DETECTED, drift);
    }
    if (newGeneration) {
      guard.forget(id); // a new desired state: earlier fights and loops say nothing about it
    }
    Map<ResourceKey, WriteGuard.Hold> holds = new ConcurrentHashMap<>();
    Instant now = clock.instant();
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
      result = plane.apply(plan, guarded, e.subject());
    } catch (io.orchestrationplane.core.plan.PruneRefusedException ex) {
      // terminal like a denial: only a confirmed submit (or a desired state that deletes less)
      // lets it through; a resync looks again
      record(id, e.generation(), new Situation.PruneRefused(ex.getMessage()), plane.resourceStatuses(plan), plan,
          ex.getMessage());
      emit(e, PlaneEvent.Type.APPLY_FAILED, ex.getMessage());
      return Result.terminal(ex.getMessage());
    } catch (StalePlanException ex) {
      String message = "live state changed while planning: " + String.join("; ", ex.stale());
      record(id, e.generation(), new Situation.StalePlan(message), plane.resourceStatuses(plan), plan, message);
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
      record(id, e.generation(), new Situation.ApplyFailed(message, (int) result.writes(), plan.writes().size()),
          plane.resourceStatuses(plan), plan, message);
      emit(e, PlaneEvent.Type.APPLY_FAILED, message);
      return Result.retry(message);
    }
    if (newGeneration) {
      plane.accepted(e.app(), result.plan(), e.subject(), e.origin()); // before marking it applied: a failure retries
    }
    if (result.waiting().isEmpty()) {
      appliedGeneration.put(id, e.generation());
    }
    if (result.writes() > 0) {
      emit(e, newGeneration ? PlaneEvent.Type.APPLIED : PlaneEvent.Type.DRIFT_CORRECTED,
          plan.summary() + (newGeneration ? "" : " (" + drift + ")"));
    }
    return settled(id, e, plan, applied(plan, result), result.waiting(), ctx.attempt());
  }

  /**
   * When the write guard held back corrections: a fight or a write loop makes the application
   * DEGRADED naming the object, the fields and the other writer; a correction held only for its
   * rate is retried when it may be written. Null when nothing was held.
   */
  private @Nullable Result held(String id, Entry e, Plan plan, ExecutionResult result, Map<ResourceKey, WriteGuard.Hold> holds,
      Instant now) {
    if (holds.isEmpty()) {
      return null;
    }
    Instant next = null;
    List<String> problems = new ArrayList<>();
    WriteGuard.Kind kind = null;
    for (Outcome o : result.outcomes()) {
      WriteGuard.Hold h = holds.get(o.change().key());
      if (h == null || o.status() != Outcome.Status.WAITING) {
        continue;
      }
      next = next == null || h.until().isBefore(next) ? h.until() : next;
      if (h.kind() != WriteGuard.Kind.RATE) {
        problems.add(h.message());
        kind = kind == null ? h.kind() : kind;
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
    String message = plane.scrub(id, null, String.join("; ", problems));
    ApplicationStatus before = statuses.get(id);
    Situation situation = kind == WriteGuard.Kind.FIGHT ? new Situation.FightingWriter(message)
        : new Situation.WriteLoop(message);
    record(id, e.generation(), situation, plane.resourceStatuses(plan), plan, message);
    if (before == null || !message.equals(before.condition(Condition.DEGRADED).map(Condition::message).orElse(""))) {
      emit(e, PlaneEvent.Type.DEGRADED, message);
    }
    return Result.requeueAfter(wait);
  }

  /** The other field managers that last wrote the object, from its managedFields: {@code kubectl-edit, hpa}. */
  private static String otherWriters(@Nullable Resource live) {
    if (live == null) {
      return "";
    }
    Set<String> managers = new TreeSet<>();
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
  private @Nullable Result unchanged(String id, Entry e, Plan plan, List<ResourceStatus> resources) {
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
    Duration left = progressDeadline.minus(Duration.between(since, clock.instant()));
    return left.isNegative() || left.isZero() ? null : Result.requeueAfter(left);
  }

  /**
   * Since when each cluster the plan could not read has been unreadable for this application: the
   * first plan that met it, kept while plans keep meeting it, forgotten by the first plan that
   * read it again.
   */
  private Map<String, Instant> outages(String id, List<PlanProblem> problems) {
    Set<String> down = problems.stream().filter(p -> p.subject().isEmpty()).map(PlanProblem::cluster)
        .collect(Collectors.toSet());
    if (down.isEmpty()) {
      unreachableSince.remove(id);
      return Map.of();
    }
    Instant now = clock.instant();
    Map<String, Instant> since = unreachableSince.computeIfAbsent(id, k -> new ConcurrentHashMap<>());
    since.keySet().retainAll(down);
    down.forEach(c -> since.putIfAbsent(c, now));
    return Map.copyOf(since);
  }

  /**
   * A plan problem as status says it; an unreadable cluster says for how long: {@code dr: cluster
   * unreachable for 2m 30s (since 2026-01-01T00:00:00Z), nothing planned there (...)}.
   */
  private static String describe(PlanProblem p, @Nullable Instant since, Instant now) {
    String text = p.toString();
    String marker = p.cluster() + ": cluster unreachable";
    if (!p.subject().isEmpty() || since == null || !now.isAfter(since) || !text.startsWith(marker)) {
      return text;
    }
    return marker + " for " + Durations.human(Duration.between(since, now)) + " (since " + since + ")"
        + text.substring(marker.length());
  }

  /**
   * Nothing failed: READY when every object is in sync and healthy; otherwise PROGRESSING until the
   * progress deadline, then DEGRADED naming the component, the object and the cause.
   */
  private Result settled(String id, Entry e, Plan plan, List<ResourceStatus> resources, List<Outcome> waiting,
      int attempt) {
    List<PlanProblem> problems = plan.problems();
    Map<String, Instant> outages = outages(id, problems);
    if (!problems.isEmpty()) {
      Instant at = clock.instant();
      String message = problems.stream().map(p -> describe(p, outages.get(p.cluster()), at))
          .collect(Collectors.joining("; "));
      boolean unreadable = problems.stream().allMatch(p -> p.subject().isEmpty());
      ApplicationStatus before = statuses.get(id);
      StatusRules.Verdict v = StatusRules.decide(new Situation.PlanProblems(message, unreadable, attempt),
          e.generation(), before, clock.instant());
      if (v.phase() == Phase.READY) {
        // One failed read of a converged application (a throttled or briefly unreachable API
        // server during a resync) is not a change of state: it stays READY, says what happened,
        // and retries; only repeated failures make it DEGRADED.
        put(id, e, new ApplicationStatus(id, e.generation(), v.phase(), v.conditions(), before.resources(),
            List.of(), message, healthOf(id, before.resources()), List.of()));
        return Result.retry(message);
      }
      record(id, e.generation(), v, resources, plan, message);
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
      record(id, e.generation(), new Situation.Converged(), resources, plan, "");
      if (before == null || before.phase() != Phase.READY) {
        emit(e, PlaneEvent.Type.CONVERGED, resources.size() + " objects in sync and healthy");
      }
      return Result.done();
    }
    Instant now = clock.instant();
    Instant since = unhealthySince.computeIfAbsent(id, k -> now);
    Duration elapsed = Duration.between(since, now);
    String component;
    String cause;
    if (!waiting.isEmpty()) {
      component = waiting.get(0).change().component();
      cause = waiting.get(0).change().key().display() + " " + waiting.get(0).message();
    } else {
      component = health.culprit().map(c -> componentOf(plan, c.key())).orElse(null);
      cause = health.message();
    }
    int end = cause.length();
    while (end > 0 && cause.charAt(end - 1) == '.') { // "...are available..." reads on: "... after 2m"
      end--;
    }
    String blocking = (component == null ? "" : component + ": ") + cause.substring(0, end);
    ApplicationStatus before = statuses.get(id);
    ApplicationStatus next = record(id, e.generation(),
        new Situation.Progressing(blocking, !waiting.isEmpty(), elapsed, progressDeadline), resources, plan, "");
    if (next.phase() == Phase.DEGRADED) {
      if (before == null || before.phase() != Phase.DEGRADED) {
        emit(e, PlaneEvent.Type.DEGRADED, next.condition(Condition.DEGRADED).map(Condition::message).orElse(""));
      }
      return Result.done(); // health changes arrive as watch events; resync is the backstop
    }
    return Result.requeueAfter(progressDeadline.minus(elapsed));
  }

  private static @Nullable String componentOf(Plan plan, ResourceKey key) {
    return plan.change(key).map(Change::component).orElse(null);
  }

  /**
   * Removal: deletes everything the application owns and its inventory, and forgets the
   * application only once every cluster confirmed that nothing is left. Until then it stays
   * REMOVING, saying which cluster or object holds it up, and is retried.
   */
  private Result prune(String id, Entry e) {
    ExecutionResult result;
    try {
      result = plane.delete(e.app(), e.subject());
    } catch (AdmissionDeniedException ex) {
      record(id, e.generation(), new Situation.RemovalDenied(ex.getMessage()), List.of(), null, ex.getMessage());
      return Result.terminal(ex.getMessage());
    } catch (StalePlanException ex) {
      String message = "live state changed while pruning: " + String.join("; ", ex.stale());
      record(id, e.generation(), new Situation.Removing(message, false), List.of(), null, message);
      return Result.retry(message);
    }
    Plan left = result.plan();
    if (plane.removed(result)) {
      if (!desired.remove(id, e)) {
        return Result.done(); // submitted again while pruning: the queued follow-up applies it
      }
      settledFrom.remove(id);
      appliedGeneration.remove(id);
      seenGeneration.remove(id);
      unhealthySince.remove(id);
      unreachableSince.remove(id);
      String kept = left.kept().isEmpty() ? "" : "; kept (marked " + Ownership.KEEP_ON_REMOVE_ANNOTATION + "): "
          + left.kept().stream().map(k -> k.display() + " (cluster " + k.cluster() + ")").collect(Collectors.joining(", "));
      record(id, e.generation(), new Situation.Removed("every object removed from every cluster" + kept), List.of(),
          left, "");
      removed.put(id, statuses.remove(id));
      guard.forget(id);
      plane.release(id);
      emit(e, PlaneEvent.Type.REMOVED, result.writes() + " objects pruned" + kept);
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
    record(id, e.generation(), new Situation.Removing(message, blocked), plane.resourceStatuses(left), left,
        blocked ? message : "");
    return next;
  }

  @Override
  public void retryScheduled(String id, int attempt, Duration delay, String reason) {
    String message = reason + ", retrying in " + Durations.human(delay);
    statuses.computeIfPresent(id, (k, s) -> new ApplicationStatus(s.application(), s.observedGeneration(), s.phase(),
        StatusRules.retrying(s, message), s.resources(), s.problems(), message, s.health(), s.notices()));
    Entry e = desired.get(id);
    Subject subject = e == null ? Subject.local() : e.subject();
    plane.emit(new PlaneEvent(clock.instant(), id, PlaneEvent.Type.STATUS_CHANGED, "retrying in "
        + Durations.human(delay), subject));
    plane.emit(new PlaneEvent(clock.instant(), id, PlaneEvent.Type.RETRY_SCHEDULED, "attempt " + attempt + ": "
        + message, subject));
  }

  /** The objects after a successful execution: written ones in sync, waiting ones as planned. */
  private List<ResourceStatus> applied(Plan plan, ExecutionResult result) {
    Map<ResourceKey, Outcome> outcomes = new LinkedHashMap<>();
    result.outcomes().forEach(o -> outcomes.put(o.change().key(), o));
    HealthAssessors health = plane.health();
    List<ResourceStatus> out = new ArrayList<>();
    for (Change c : plan.changes()) {
      if (c.type() == Change.Type.DELETE) {
        continue;
      }
      Outcome o = outcomes.get(c.key());
      if (o != null && o.status() == Outcome.Status.WAITING) {
        boolean present = c.type() != Change.Type.CREATE;
        out.add(new ResourceStatus(c.key(), c.environment(), true, present, false, c.diffs(), Optional.of(o.write()),
            present ? health.assess(c.live()) : HealthStatus.missing(c.key())));
        continue;
      }
      boolean written = o != null && o.status() == Outcome.Status.APPLIED;
      Resource live = written && o.result() != null ? o.result() : c.live();
      out.add(new ResourceStatus(c.key(), c.environment(), true, true, true, List.of(),
          written ? Optional.of(o.write()) : Optional.empty(), live == null ? HealthStatus.missing(c.key())
              : health.assess(live)));
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

  private void emit(Entry e, PlaneEvent.Type type, @Nullable String message) {
    plane.emit(new PlaneEvent(clock.instant(), e.app().id(), type, message, e.subject()));
  }

  /** The status {@code situation} gives, built without recording it. */
  private ApplicationStatus status(String id, long generation, Situation situation, List<ResourceStatus> resources,
      @Nullable Plan plan, String lastError) {
    StatusRules.Verdict v = StatusRules.decide(situation, generation, statuses.get(id), clock.instant());
    return new ApplicationStatus(id, generation, v.phase(), v.conditions(), resources,
        plan == null ? List.of() : plan.problems(), lastError, healthOf(id, resources),
        plan == null ? List.of() : plan.notices());
  }

  /** Records the status {@code situation} gives; {@code plan} (may be null) gives the problems and policy notices. */
  private ApplicationStatus record(String id, long generation, Situation situation, List<ResourceStatus> resources,
      @Nullable Plan plan, @Nullable String lastError) {
    return record(id, generation, StatusRules.decide(situation, generation, statuses.get(id), clock.instant()),
        resources, plan, lastError);
  }

  private ApplicationStatus record(String id, long generation, StatusRules.Verdict v, List<ResourceStatus> resources,
      @Nullable Plan plan, @Nullable String lastError) {
    ApplicationStatus next = new ApplicationStatus(id, generation, v.phase(), v.conditions(), resources,
        plan == null ? List.of() : plan.problems(), lastError, healthOf(id, resources),
        plan == null ? List.of() : plan.notices());
    Entry e = desired.get(id);
    put(id, e, next);
    return next;
  }

  private void put(String id, @Nullable Entry e, ApplicationStatus next) {
    ApplicationStatus before = statuses.put(id, next);
    if (!next.equals(before)) {
      plane.emit(new PlaneEvent(clock.instant(), id, PlaneEvent.Type.STATUS_CHANGED, next.phase().toString(),
          e == null ? Subject.local() : e.subject()));
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
}
