package io.orchestrationplane.core.internal;

import io.orchestrationplane.core.access.AccessDecision;
import io.orchestrationplane.core.access.AccessDeniedException;
import io.orchestrationplane.core.access.AccessRequest;
import io.orchestrationplane.core.access.Action;
import io.orchestrationplane.core.access.Project;
import io.orchestrationplane.core.access.ProjectViolationException;
import io.orchestrationplane.core.access.internal.ProjectFence;
import io.orchestrationplane.core.admit.AdmissionDeniedException;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Executor;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.apply.PlanMismatchException;
import io.orchestrationplane.core.apply.WriteResult;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterRegistry;
import io.orchestrationplane.core.health.HealthAssessors;
import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.ApplicationCodec;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.core.observe.PlaneObserver;
import io.orchestrationplane.core.observe.PlaneRecord;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.FieldDiff;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.plan.PlanProblem;
import io.orchestrationplane.core.plan.Planner;
import io.orchestrationplane.core.plan.PolicyNotice;
import io.orchestrationplane.core.plan.PruneBreaker;
import io.orchestrationplane.core.plan.PruneConsent;
import io.orchestrationplane.core.plan.PruneRefusedException;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.release.Revision;
import io.orchestrationplane.core.release.RevisionDiff;
import io.orchestrationplane.core.release.internal.RevisionLog;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertySpec;
import io.orchestrationplane.core.render.Renderer;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Redactor;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.resource.internal.KindSets;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.ResourceStatus;
import io.orchestrationplane.core.status.Situation;
import io.orchestrationplane.core.status.StatusRules;
import io.orchestrationplane.core.validate.ApplicationValidator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stages of one plane, in order: validate → render → claim → plan → admit → execute (through
 * the execution strategy) → record. The facade calls it; so does the application reconciler,
 * through the narrow {@link ApplicationReconciler.Stages} it owns. Thread-safe.
 *
 * <p>Its caches, each with what it is keyed by and what invalidates it (docs/architecture.md,
 * "Caches"):
 * <ul>
 *   <li><b>render cache</b>: application id → what the application rendered to; valid while the
 *       submitted application is {@link Application#sameAs the same} (types and clusters are fixed
 *       at build); replaced by the next render of a changed application, dropped on removal and
 *       close.</li>
 *   <li><b>object statuses</b>: application id → the statuses derived from one plan instance at
 *       one version of the write results; invalid as soon as the planner hands out another plan
 *       or any write result is recorded.</li>
 *   <li><b>claims</b>: object → the submitted application that renders it; replaced on every
 *       submit, dropped when the application is removed.</li>
 * </ul>
 * The planner's plan reuse has its own contract (see {@link Planner}).
 */
public final class Pipeline implements ApplicationReconciler.Stages {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private final PlaneSettings settings;
  private final ClusterRegistry clusters;
  /** Every cluster's driver, in registration order (the registry is immutable). */
  private final List<ClusterDriver> drivers;
  private final ApplicationValidator validator;
  private final Renderer renderer;
  private final Planner planner;
  private final Executor executor;
  private final Redactor redactor;
  private final List<PlaneObserver> observers;
  private final RevisionLog revisions;
  /** The revision prepared when each application was last submitted (see {@link #checkRevision}). */
  private final Map<String, Submitted> submitted = new ConcurrentHashMap<>();
  private final Map<String, Set<GroupKind>> seenKinds = new ConcurrentHashMap<>();
  /**
   * The last write result of each object, as the status hands it out: a creation or an update,
   * by far the most results kept, is one shared {@code Optional} instead of one per object.
   */
  private final Map<ResourceKey, Optional<WriteResult>> lastWrites = new ConcurrentHashMap<>();
  private static final Optional<WriteResult> CREATED = Optional.of(new WriteResult.Created());
  private static final Optional<WriteResult> UPDATED = Optional.of(new WriteResult.Updated());
  private final Map<String, Rendered> renderCache = new ConcurrentHashMap<>();
  /** Bumped whenever {@link #lastWrites} changes: the object statuses below depend on it. */
  private final AtomicLong writesVersion = new AtomicLong();
  /**
   * The object statuses last derived per application. The planner returns the very same plan
   * while nothing changed, health is a function of the (immutable) live object, so the same
   * plan and results give the same statuses: a resync assesses nothing again.
   */
  private final Map<String, Observed> observed = new ConcurrentHashMap<>();
  /** Which submitted application renders each object: no two may own one. Guarded by itself. */
  private final Map<ResourceKey, String> claims = new HashMap<>();
  /** The keys each application claims (guarded by {@link #claims}), so that replacing or releasing a claim costs its own objects only. */
  private final Map<String, Set<ResourceKey>> claimedKeys = new HashMap<>();
  /** Told of the kinds an application renders, to watch them in continuous mode. */
  private volatile Consumer<Set<GroupKind>> renderedKinds = kinds -> { };

  public Pipeline(PlaneSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clusters = settings.clusters();
    this.drivers = clusters.entries().stream().map(ClusterRegistry.Entry::driver).toList();
    this.validator = new ApplicationValidator(settings.types(), clusters);
    this.renderer = new Renderer(settings.types(), settings.kinds());
    this.redactor = settings.redactor();
    this.planner = new Planner(settings.kinds(), redactor, settings.diff());
    this.executor = new Executor(clusters::require, redactor, settings.stopOnFirstFailure(), settings.writePermit());
    this.observers = new CopyOnWriteArrayList<>(settings.observers());
    this.revisions = new RevisionLog(settings.stateStore(), settings.revisionHistoryLimit(), settings.clock());
  }

  /** The object statuses derived from a plan while the write results were at a version. */
  private record Observed(Plan plan, long writesVersion, List<ResourceStatus> resources) {}

  /** What an application renders to, per target cluster; reused while the application is unchanged. */
  private record Rendered(Application app, String id, List<Planner.Target> targets, Map<String, Integer> componentOrder,
      Set<GroupKind> managedKinds, Set<String> sensitive, Map<ResourceKey, String> keys, String project,
      List<String> outside) {
    @Override
    public String toString() {
      return "Rendered[" + id + "]";
    }
  }

  public PlaneSettings settings() {
    return settings;
  }

  /** Sets what is told of the kinds each render produces (continuous mode watches them). */
  public void onRenderedKinds(Consumer<Set<GroupKind>> listener) {
    this.renderedKinds = Objects.requireNonNull(listener, "listener");
  }

  /** Adds an observer at run time; the returned handle removes it. */
  public AutoCloseable addObserver(PlaneObserver observer) {
    observers.add(Objects.requireNonNull(observer, "observer"));
    return () -> observers.remove(observer);
  }

  // ---- validate, render

  public Application load(String yamlOrJson) {
    return validator.validate(ApplicationCodec.readYaml(yamlOrJson));
  }

  public Application validate(Application app) {
    return validator.validate(app);
  }

  /** The environments an application deploys to: its own, or one {@code default} environment everywhere. */
  public static List<Environment> environments(Application app) {
    return app.environments().isEmpty() ? DEFAULT_ENVIRONMENTS : app.environments();
  }

  /** The environments of an application that declares none: one, {@code default}, on every cluster. */
  private static final List<Environment> DEFAULT_ENVIRONMENTS = List.of(Environment.builder("default").build());

  public Map<String, List<Resource>> render(Application app) {
    validator.validate(app);
    Map<String, List<Resource>> out = new LinkedHashMap<>();
    for (Environment e : environments(app)) {
      out.put(e.name(), renderer.render(app, e));
    }
    return out;
  }

  // Validation and rendering depend only on the application (the types and clusters are fixed at
  // build time), so a resync of an unchanged application reuses them and only reads the clusters.
  private Rendered rendered(String id, Application app) {
    Rendered cached = renderCache.get(id);
    if (cached != null && cached.app().sameAs(app)) {
      return cached;
    }
    validator.validate(app);
    List<Planner.Target> targets = new ArrayList<>();
    Set<String> sensitive = new LinkedHashSet<>();
    for (Environment e : environments(app)) {
      Renderer.Output output = renderer.renderAll(app, e);
      List<Resource> resources = output.resources();
      sensitive.addAll(output.sensitiveValues());
      Set<GroupKind> rendered = new LinkedHashSet<>();
      resources.forEach(r -> rendered.add(r.groupKind()));
      // one shared, unmodifiable set per distinct list of kinds, replaced only when a kind is new
      seenKinds.compute(app.id(), (k, seen) -> seen == null ? KindSets.shared(rendered) : KindSets.union(seen, rendered));
      for (String cluster : ApplicationValidator.resolve(e.placement(), clusters)) {
        targets.add(new Planner.Target(e.name(), clusters.require(cluster), resources, output.sensitiveValues(),
            app.ignoreDifferences()));
      }
    }
    // No two environments may render the same object onto the same cluster: they would fight over it.
    Map<ResourceKey, String> keys = new HashMap<>();
    List<Problem> twice = new ArrayList<>();
    for (Planner.Target t : targets) {
      for (Resource r : t.resources()) {
        String before = keys.putIfAbsent(r.key(t.cluster().name()), t.environment());
        if (before != null) {
          twice.add(Problem.at("spec.environments", r + " on cluster " + t.cluster().name()
              + " is rendered by environment '" + before + "' and by environment '" + t.environment()
              + "'; give them different namespaces or clusters"));
        }
      }
    }
    if (!twice.isEmpty()) {
      throw new ValidationException("Application '" + app.id() + "'", twice);
    }
    // The project's fence, on the rendered objects: what every type and trait emitted, before admission.
    List<String> outside = new ArrayList<>();
    String project = fence(app, targets, outside);
    // the kinds to look for leftovers in: fixed until the application changes, as only rendering adds to them
    Rendered fresh = new Rendered(app, app.id(), List.copyOf(targets), componentOrder(app),
        KindSets.shared(managedKinds(app.id())), Set.copyOf(sensitive), Map.copyOf(keys), project,
        List.copyOf(outside));
    renderCache.put(app.id(), fresh);
    renderedKinds.accept(seenKinds.getOrDefault(app.id(), Set.of()));
    return fresh;
  }

  // ---- access control, projects

  /** The name of the default project: every application's when the plane has no projects. */
  public static final String DEFAULT_PROJECT = "default";
  /** How many violations of a project one refusal lists at most. */
  private static final int MAX_VIOLATIONS = 50;

  /** The project of an application id, or empty when the plane has projects and none takes it. */
  public Optional<Project> project(String applicationId) {
    if (settings.projects() == null) {
      return Optional.empty();
    }
    return settings.projects().forNamespace(io.orchestrationplane.core.resource.Inventory.namespaceOf(applicationId));
  }

  /** The project name of an application id for access requests; throws (recording it) when it has none. */
  private String projectName(String applicationId, Subject subject, Action action) {
    if (settings.projects() == null) {
      return DEFAULT_PROJECT;
    }
    Optional<Project> p = project(applicationId);
    if (p.isEmpty()) {
      List<String> why = List.of(noProject(applicationId));
      refuse(subject, applicationId, action, "project (none)", String.join("; ", why));
      throw new ProjectViolationException(applicationId, "", why);
    }
    return p.get().name();
  }

  private String noProject(String applicationId) {
    return "namespace " + io.orchestrationplane.core.resource.Inventory.namespaceOf(applicationId) + " matches the "
        + "applicationNamespaces of no project (projects: " + String.join(", ", settings.projects().projects().stream()
        .map(Project::name).toList()) + ")";
  }

  /**
   * Asks the access control whether {@code subject} may do {@code action} with the application,
   * once for the application itself when {@code environments} is empty, else once per environment.
   * A refusal is recorded ({@code PlaneRecord.Refused}) and thrown as {@link AccessDeniedException}.
   */
  public void authorize(Subject subject, Action action, String applicationId, Collection<String> environments) {
    String project = projectName(applicationId, subject, action);
    if (environments.isEmpty()) {
      decide(new AccessRequest(subject, action, project, applicationId, null));
      return;
    }
    if (environments.size() == 1) { // the common case: no set to sort
      decide(new AccessRequest(subject, action, project, applicationId, environments.iterator().next()));
      return;
    }
    for (String environment : new java.util.TreeSet<>(environments)) {
      decide(new AccessRequest(subject, action, project, applicationId, environment));
    }
  }

  /** {@link #authorize(Subject, Action, String, Collection)} for every environment the application deploys to. */
  public void authorize(Subject subject, Action action, Application app) {
    List<Environment> environments = environments(app);
    List<String> names = new ArrayList<>(environments.size());
    for (Environment e : environments) {
      names.add(e.name());
    }
    authorize(subject, action, app.id(), names);
  }

  /** True when {@code subject} may {@code action} the application; records and throws nothing. */
  public boolean allows(Subject subject, Action action, String applicationId) {
    String project = DEFAULT_PROJECT;
    if (settings.projects() != null) {
      Optional<Project> p = project(applicationId);
      if (p.isEmpty()) {
        return false;
      }
      project = p.get().name();
    }
    return decision(new AccessRequest(subject, action, project, applicationId, null)).isAllowed();
  }

  private void decide(AccessRequest request) {
    AccessDecision decision = decision(request);
    if (!decision.isAllowed()) {
      refuse(request.subject(), request.application(), request.action(), request.describe(), decision.reason());
      throw new AccessDeniedException(request, decision.reason());
    }
  }

  private AccessDecision decision(AccessRequest request) {
    AccessDecision decision;
    try {
      decision = settings.accessControl().decide(request);
    } catch (RuntimeException e) {
      // an access control that cannot decide refuses; its message may name anything, so it is not repeated
      return AccessDecision.denied("the access control failed to decide (" + e.getClass().getSimpleName() + ")");
    }
    return decision == null ? AccessDecision.denied("the access control gave no decision") : decision;
  }

  private void refuse(Subject subject, String applicationId, Action action, String resource, String reason) {
    emit(new PlaneRecord.Refused(settings.clock().instant(), subject, applicationId, action.policyName(), resource,
        reason));
  }

  /**
   * The checks of the application's project on what it rendered: its component types, then every
   * object on every target cluster. Adds what is wrong to {@code out}; returns the project's name.
   */
  private String fence(Application app, List<Planner.Target> targets, List<String> out) {
    if (settings.projects() == null) {
      return DEFAULT_PROJECT;
    }
    Optional<Project> found = project(app.id());
    if (found.isEmpty()) {
      out.add(noProject(app.id()));
      return "";
    }
    Project project = found.get();
    ProjectFence.componentTypes(project, app, out);
    for (Planner.Target t : targets) {
      for (Resource r : t.resources()) {
        String violation = ProjectFence.violation(project, settings.kinds(), t.cluster().name(), r);
        if (violation != null && out.size() < MAX_VIOLATIONS) {
          out.add(violation);
        }
      }
    }
    return project.name();
  }

  /** Throws (recording it) when the rendered application reaches outside its project. */
  private void requireInside(Rendered r, Subject subject, Action action) {
    if (!r.outside().isEmpty()) {
      refuse(subject, r.id(), action, r.project().isEmpty() ? "project (none)" : "project " + r.project(),
          String.join("; ", r.outside()));
      throw new ProjectViolationException(r.id(), r.project(), r.outside());
    }
  }

  /** The project's fence on a plan's writes (a plan made elsewhere holds objects no render of this plane made). */
  private void requireInside(Plan plan, Subject subject) {
    if (settings.projects() == null) {
      return;
    }
    Optional<Project> found = project(plan.application());
    List<String> outside = new ArrayList<>();
    if (found.isEmpty()) {
      outside.add(noProject(plan.application()));
    } else {
      for (Change c : plan.changes()) {
        if (c.desired() != null && (c.type() == Change.Type.CREATE || c.type() == Change.Type.UPDATE)) {
          String violation = ProjectFence.violation(found.get(), settings.kinds(), c.key().cluster(), c.desired());
          if (violation != null && outside.size() < MAX_VIOLATIONS) {
            outside.add(violation);
          }
        }
      }
    }
    if (!outside.isEmpty()) {
      String project = found.map(Project::name).orElse("");
      refuse(subject, plan.application(), Action.SYNC, project.isEmpty() ? "project (none)" : "project " + project,
          String.join("; ", outside));
      throw new ProjectViolationException(plan.application(), project, outside);
    }
  }

  // ---- claims

  /** Throws when another submitted application renders one of {@code r}'s objects. */
  private void checkClaims(Rendered r) {
    List<Problem> problems = new ArrayList<>();
    synchronized (claims) {
      for (Map.Entry<ResourceKey, String> k : r.keys().entrySet()) {
        String owner = claims.get(k.getKey());
        if (owner != null && !owner.equals(r.id())) {
          problems.add(twoOwners(k, owner + " (submitted) and " + r.id()));
          if (problems.size() >= 20) {
            break;
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationException("Application '" + r.id() + "'", problems);
    }
  }

  /**
   * Validates and renders {@code app} and records its objects as its own; throws as {@link
   * #checkClaims}, or {@link ProjectViolationException} when it reaches outside its project.
   */
  public void claim(Application app, Subject subject) {
    Rendered r = rendered(app.id(), app); // validates first, unless an application sameAs this one was validated and rendered
    requireInside(r, subject, Action.SYNC);
    synchronized (claims) {
      checkClaims(r);
      unclaim(r.id());
      Set<ResourceKey> keys = Set.copyOf(r.keys().keySet());
      keys.forEach(k -> claims.put(k, r.id()));
      claimedKeys.put(r.id(), keys);
    }
  }

  /** The problem of an object two applications would own: {@code both} names them. */
  private static Problem twoOwners(Map.Entry<ResourceKey, String> key, String both) {
    return Problem.at("spec.components", key.getKey().display() + " on cluster " + key.getKey().cluster()
        + " would be owned by two applications: " + both + " (environment " + key.getValue()
        + "); rename it in one of them");
  }

  /**
   * {@link #claim} of a set of applications as one change: all are validated, rendered and fenced
   * first, then, under the lock, the objects of the set are checked against every other
   * application's and against each other's, and only when none is taken are the set's claims
   * replaced. Throws as {@link #checkClaims}, for the first application with a problem; nothing
   * is claimed then.
   */
  public void claimAll(List<Application> apps, Subject subject) {
    List<Rendered> all = new ArrayList<>(apps.size());
    for (Application app : apps) {
      Rendered r = rendered(app.id(), app);
      requireInside(r, subject, Action.SYNC);
      all.add(r);
    }
    Set<String> ids = new HashSet<>();
    all.forEach(r -> ids.add(r.id()));
    synchronized (claims) {
      Map<ResourceKey, String> ofTheSet = new HashMap<>();
      for (Rendered r : all) {
        List<Problem> problems = new ArrayList<>();
        for (Map.Entry<ResourceKey, String> k : r.keys().entrySet()) {
          String owner = claims.get(k.getKey());
          String sibling = ofTheSet.putIfAbsent(k.getKey(), r.id());
          if (owner != null && !ids.contains(owner)) {
            problems.add(twoOwners(k, owner + " (submitted) and " + r.id()));
          } else if (sibling != null && !sibling.equals(r.id())) {
            problems.add(twoOwners(k, sibling + " (submitted together with it) and " + r.id()));
          }
          if (problems.size() >= 20) {
            break;
          }
        }
        if (!problems.isEmpty()) {
          throw new ValidationException("Application '" + r.id() + "'", problems);
        }
      }
      for (Rendered r : all) {
        unclaim(r.id());
      }
      for (Rendered r : all) {
        Set<ResourceKey> keys = Set.copyOf(r.keys().keySet());
        keys.forEach(k -> claims.put(k, r.id()));
        claimedKeys.put(r.id(), keys);
      }
    }
  }

  @Override
  public void release(String applicationId) {
    synchronized (claims) {
      unclaim(applicationId);
    }
    submitted.remove(applicationId);
  }

  /** Drops {@code applicationId}'s claims; the caller holds the lock on {@link #claims}. */
  private void unclaim(String applicationId) {
    Set<ResourceKey> keys = claimedKeys.remove(applicationId);
    if (keys != null) {
      keys.forEach(k -> claims.remove(k, applicationId));
    }
  }

  // ---- plan, admit

  /** Validates, renders, fences (the project), checks claims, plans and admits. */
  public Plan plan(Application app, Subject subject) {
    return plan(app, subject, Action.PLAN);
  }

  private Plan plan(Application app, Subject subject, Action action) {
    Rendered r = rendered(app.id(), app);
    requireInside(r, subject, action);
    checkClaims(r);
    return admit(compare(r), subject);
  }

  @Override
  public Plan plan(String id, Application app, Subject subject) {
    Rendered r = rendered(id, app);
    requireInside(r, subject, Action.SYNC);
    return admit(compare(r), subject);
  }

  private Plan compare(Rendered r) {
    return planner.plan(r.id(), r.targets(), drivers, r.managedKinds(), r.componentOrder());
  }

  /** The plan that removes everything the application owns, on every cluster. */
  public Plan planDelete(Application app, Subject subject) {
    return admit(planner.plan(app.id(), List.of(), drivers, managedKinds(app.id()), componentOrder(app)), subject);
  }

  /**
   * Runs the plan's writes through the admission policies: a Deny throws {@link
   * AdmissionDeniedException} listing every violation; Warn and Audit become the plan's notices.
   * A write that mutating policies changed writes the mutated object; an update's differing
   * fields are compared again against it, so that a field the policies set, once applied, is no
   * drift: the write becomes UNCHANGED when nothing differs any more.
   */
  private Plan admit(Plan plan, Subject subject) {
    Plan admitted;
    try {
      admitted = admitOnly(plan);
    } catch (AdmissionDeniedException e) {
      emit(new PlaneRecord.Denied(settings.clock().instant(), subject, plan.application(), e.violations(),
          e.denials().stream().map(d -> new PolicyNotice(d.key(), d.policy(), "Deny", d.message())).toList()));
      throw e;
    }
    emit(new PlaneRecord.Planned(settings.clock().instant(), subject, plan.application(), admitted));
    return admitted;
  }

  private Plan admitOnly(Plan plan) {
    if (settings.policies() == null) {
      return plan;
    }
    Set<String> sensitive = sensitiveValues(plan.application());
    return settings.policies().admit(plan, clusters::require, redactor, sensitive, (change, mutated) -> {
      if (change.type() != Change.Type.UPDATE) {
        return new Change(change.type(), change.key(), change.environment(), change.component(), mutated,
            change.liveResourceVersion(), change.diffs(), change.wave(), change.live(), change.ignored(),
            change.comparison());
      }
      List<FieldDiff> diffs = planner.differences(mutated, change.live(), sensitive, List.of());
      // Compared here, client-side: a server-side dry run compared the object before mutation.
      return new Change(diffs.isEmpty() ? Change.Type.UNCHANGED : Change.Type.UPDATE, change.key(),
          change.environment(), change.component(), mutated, change.liveResourceVersion(), diffs, change.wave(),
          change.live(), change.ignored(), Change.Comparison.CLIENT_SIDE);
    });
  }

  // ---- execute

  /** Executes a plan (a detached one with the application last planned under its id). */
  public ExecutionResult apply(Plan plan, Subject subject) {
    if (plan.detached()) {
      Rendered known = renderCache.get(plan.application());
      if (known == null) {
        throw new IllegalStateException("the plan for " + plan.application() + " was read from JSON and holds no "
            + "desired objects: apply it with apply(application, plan), giving the application it was made from");
      }
      // a plan handed over is executed as it shows, deletions included: not the prune breaker's case
      return apply(known.app(), plan, subject, null, PruneConsent.CONFIRMED);
    }
    requireInside(plan, subject);
    return execute(admit(plan, subject), Executor.Gate.OPEN, subject, "", null);
  }

  /** Plans afresh and executes only if that is the reviewed plan; see {@code OrchestrationPlane.apply(app, plan)}. */
  public ExecutionResult apply(Application app, Plan reviewed, Subject subject) {
    return apply(app, reviewed, subject, Origin.code());
  }

  /**
   * {@link #apply(Application, Plan, Subject)}, recording a revision from {@code origin} when it
   * succeeds; with a null origin (a plan applied alone, {@code apply(plan)}) none is recorded.
   */
  public ExecutionResult apply(Application app, Plan reviewed, Subject subject, @Nullable Origin origin) {
    return apply(app, reviewed, subject, origin, PruneConsent.GUARDED);
  }

  /** {@link #apply(Application, Plan, Subject, Origin)}, the prune circuit breaker deciding unless {@code consent} confirms. */
  public ExecutionResult apply(Application app, Plan reviewed, Subject subject, @Nullable Origin origin,
      PruneConsent consent) {
    if (!reviewed.application().equals(app.id())) {
      throw new IllegalArgumentException("the plan is for application " + reviewed.application() + ", not " + app.id());
    }
    Plan fresh = plan(app, subject, Action.SYNC);
    if (!fresh.digest().equals(reviewed.digest())) {
      PlanMismatchException refused = ReviewedPlans.mismatch(reviewed, fresh);
      if (refused != null) {
        throw refused;
      }
    }
    guardPrune(fresh, consent, subject);
    RevisionLog.Candidate candidate = origin == null ? null : prepareRevision(app, subject, origin);
    return execute(fresh, Executor.Gate.OPEN, subject, candidate == null ? "" : candidate.digest(), candidate);
  }

  /**
   * Plans, admits and executes {@code app}; when no write failed, records the change as a
   * revision (none when its desired state is the newest revision's). A revision too large for
   * the state store is refused before anything is written.
   */
  public ExecutionResult apply(Application app, Subject subject, Origin origin) {
    return apply(app, subject, origin, PruneConsent.GUARDED);
  }

  /** {@link #apply(Application, Subject, Origin)}, the prune circuit breaker deciding unless {@code consent} confirms. */
  public ExecutionResult apply(Application app, Subject subject, Origin origin, PruneConsent consent) {
    Plan plan = plan(app, subject, Action.SYNC); // admitted just now: executed as it is (admitting it again would repeat its notices)
    guardPrune(plan, consent, subject);
    RevisionLog.Candidate candidate = prepareRevision(app, subject, origin);
    return execute(plan, Executor.Gate.OPEN, subject, candidate.digest(), candidate);
  }

  /**
   * Executes an admitted plan through the execution strategy, holding back, besides what
   * readiness gating holds, what {@code extra} holds; records the results and tells observers.
   */
  @Override
  public ExecutionResult apply(Plan plan, Executor.Gate extra, Subject subject) {
    // Continuous mode applies the desired state submitted last: its revision digest was prepared then.
    Submitted s = submitted.get(plan.application());
    guardPrune(plan, s == null ? PruneConsent.GUARDED : s.consent(), subject);
    return execute(plan, extra, subject, s == null ? "" : s.candidate().digest(), null); // recorded by accepted()
  }

  /**
   * Throws {@link PruneRefusedException}, having written nothing, when the plan deletes past the
   * plane's prune circuit breaker and {@code consent} does not confirm it. The whole change is
   * refused, not only its deletions: a desired state that lost half its objects is suspect as a
   * whole (docs/safety.md, "The prune circuit breaker").
   */
  private void guardPrune(Plan plan, PruneConsent consent, Subject subject) {
    if (consent == PruneConsent.CONFIRMED) {
      return;
    }
    Optional<PruneBreaker.Tripped> tripped = settings.pruneBreaker().check(plan);
    if (tripped.isPresent()) {
      LOG.debug("prune circuit breaker refused a change of {} for {}: {}", plan.application(), subject,
          tripped.get().message());
      throw new PruneRefusedException(tripped.get());
    }
  }

  /**
   * {@link #apply(Plan, Executor.Gate, Subject)} of the desired state whose revision digest is
   * {@code revision} (or "" for none). When {@code toRecord} is given and no write failed, the
   * revision is recorded before the observers are told that the plan was executed, and the result
   * carries its number (an observer reading the history then finds it there).
   */
  private ExecutionResult execute(Plan plan, Executor.Gate extra, Subject subject, String revision,
      RevisionLog.@Nullable Candidate toRecord) {
    Executor.Gate readiness = settings.readinessGates() ? gate(plan) : Executor.Gate.OPEN;
    Set<String> sensitive = sensitiveValues(plan.application());
    Clock clock = settings.clock();
    ExecutionResult result = settings.strategy().execute(plan, (part, hold) -> {
      Executor.Gate gate = combine(combine(extra, Objects.requireNonNull(hold, "hold")), readiness);
      return executor.execute(part, gate, sensitive, o -> emit(new PlaneRecord.Written(clock.instant(), subject,
          plan.application(), o.change().key(), o.change().type(), o.write())));
    });
    if (result == null) {
      throw new IllegalStateException("execution strategy " + settings.strategy() + " returned no result");
    }
    record(result);
    ExecutionResult told = result;
    try {
      if (toRecord != null && result.succeeded()) {
        told = result.withRevision(revisions.record(toRecord, result.plan()).map(Revision::number).orElse(0L));
      }
    } finally {
      // the writes happened: observers hear of them even when recording the revision failed
      emit(new PlaneRecord.Executed(clock.instant(), subject, plan.application(), told, revision));
    }
    return told;
  }

  private static Executor.Gate combine(Executor.Gate first, Executor.Gate then) {
    if (first == Executor.Gate.OPEN) {
      return then;
    }
    if (then == Executor.Gate.OPEN) {
      return first;
    }
    return change -> {
      Optional<String> held = first.blocked(change);
      return held.isPresent() ? held : then.blocked(change);
    };
  }

  /**
   * Readiness gating: a change of component C on cluster X waits while any object of a component
   * C depends on is not HEALTHY on X (read live, since earlier waves may just have written it).
   */
  private Executor.Gate gate(Plan plan) {
    Rendered rendered = renderCache.get(plan.application());
    if (rendered == null) {
      return Executor.Gate.OPEN;
    }
    Application app = rendered.app();
    HealthAssessors health = health();
    return change -> {
      Component component = change.component() == null ? null : app.component(change.component()).orElse(null);
      if (component == null) {
        return Optional.empty();
      }
      for (String dependency : component.dependsOn()) {
        for (Change c : plan.changes()) {
          if (c.type() == Change.Type.DELETE || !dependency.equals(c.component())
              || !c.key().cluster().equals(change.key().cluster())) {
            continue;
          }
          HealthStatus h = health.assess(clusters.require(c.key().cluster()).get(c.key()), c.key());
          if (!h.isHealthy()) {
            return Optional.of("waits for " + dependency + ": "
                + scrubbed(h, sensitiveValues(plan.application())).message());
          }
        }
      }
      return Optional.empty();
    };
  }

  // ---- revisions

  public RevisionLog revisions() {
    return revisions;
  }

  private RevisionLog.Candidate prepareRevision(Application app, Subject subject, Origin origin) {
    Rendered r = rendered(app.id(), app);
    List<RevisionLog.Placed> placed = new ArrayList<>();
    for (Planner.Target t : r.targets()) {
      placed.add(new RevisionLog.Placed(t.environment(), t.cluster().name(), t.resources()));
    }
    return revisions.prepare(app, revisions.digest(placed, r.sensitive()), subject, origin);
  }

  /**
   * Checks that a revision of {@code app} fits the state store (continuous mode records it once
   * applied) and keeps what it computed for {@link #accepted}: the digest of a submitted
   * application is computed once.
   */
  public void checkRevision(Application app, Subject subject, Origin origin) {
    checkRevision(app, subject, origin, PruneConsent.GUARDED);
  }

  /** {@link #checkRevision(Application, Subject, Origin)}, keeping whether the submitted change's deletions are confirmed. */
  public void checkRevision(Application app, Subject subject, Origin origin, PruneConsent consent) {
    prepareCheck(app, subject, origin, consent).run();
  }

  /**
   * {@link #checkRevision(Application, Subject, Origin, PruneConsent)} in two steps, for a set
   * submitted as one: the revision is prepared now (and throws now), and recorded only when the
   * returned action runs, once every application of the set passed.
   */
  public Runnable prepareCheck(Application app, Subject subject, Origin origin, PruneConsent consent) {
    Submitted s = new Submitted(app, subject, origin, prepareRevision(app, subject, origin), consent);
    return () -> submitted.put(app.id(), s);
  }

  /** A revision prepared at submit, valid for the very application instance submitted, and its prune consent. */
  private record Submitted(Application app, Subject subject, Origin origin, RevisionLog.Candidate candidate,
      PruneConsent consent) {}

  @Override
  public void accepted(Application app, Plan applied, Subject subject, Origin origin) {
    Submitted s = submitted.get(app.id());
    RevisionLog.Candidate candidate = s != null && s.app() == app && s.subject().equals(subject)
        && s.origin().equals(origin) ? s.candidate() : prepareRevision(app, subject, origin);
    revisions.record(candidate, applied);
  }

  /** What an application renders to now, per environment and cluster, without touching the caches. */
  private record Desired(List<RevisionLog.Placed> placed, Set<String> sensitive) {
    Map<ResourceKey, Resource> byKey() {
      Map<ResourceKey, Resource> out = new java.util.TreeMap<>();
      for (RevisionLog.Placed p : placed) {
        p.objects().forEach(o -> out.put(o.key(p.cluster()), o));
      }
      return out;
    }
  }

  private Desired renderNow(Application app) {
    validator.validate(app);
    List<RevisionLog.Placed> placed = new ArrayList<>();
    Set<String> sensitive = new LinkedHashSet<>();
    for (Environment e : environments(app)) {
      Renderer.Output output = renderer.renderAll(app, e);
      sensitive.addAll(output.sensitiveValues());
      for (String cluster : ApplicationValidator.resolve(e.placement(), clusters)) {
        placed.add(new RevisionLog.Placed(e.name(), cluster, output.resources()));
      }
    }
    return new Desired(placed, sensitive);
  }

  /**
   * Applies a kept revision's model again as a change on behalf of {@code subject}: validated,
   * rendered, admitted and planned like any change, recorded as a rollback of that revision.
   * Refused, with nothing written, when the model no longer renders to the revision's digest.
   */
  public ExecutionResult rollback(String id, String reference, Subject subject) {
    Revision target = revisions.resolve(id, reference);
    authorize(subject, Action.ROLLBACK, target.model());
    Desired now = renderNow(target.model());
    String digest = revisions.digest(now.placed(), now.sensitive());
    if (!digest.equals(target.digest())) {
      throw new IllegalStateException("rollback of " + id + " to revision " + target.number() + " refused, nothing "
          + "written: its model renders to " + digest + " now, not to " + target.digest() + " as it did then (the "
          + "component or trait types, or the clusters it is placed on, changed since)");
    }
    // a kept revision was an accepted desired state: going back to it deletes what later changes
    // added, by a deliberate choice of that revision (an automatic rollback must not be held)
    return apply(target.model(), subject, Origin.rollbackOf(target.number()), PruneConsent.CONFIRMED);
  }

  /** Field-level differences between the rendered desired states of two kept revisions. */
  public RevisionDiff diff(String id, long from, long to) {
    Revision a = revisions.require(id, from);
    Revision b = revisions.require(id, to);
    return compare(id, from, to, renderNow(a.model()), renderNow(b.model()));
  }

  /**
   * Field-level differences between what two versions of one application render to (numbered 0:
   * neither is a kept revision); both are validated first.
   */
  public RevisionDiff diff(Application from, Application to) {
    if (!from.id().equals(to.id())) {
      throw new IllegalArgumentException("both versions must be of one application, got " + from.id() + " and "
          + to.id());
    }
    return compare(from.id(), 0, 0, renderNow(from), renderNow(to));
  }

  private RevisionDiff compare(String id, long from, long to, Desired before, Desired after) {
    Set<String> sensitive = new LinkedHashSet<>(before.sensitive());
    sensitive.addAll(after.sensitive());
    Map<ResourceKey, Resource> left = before.byKey();
    Map<ResourceKey, Resource> right = after.byKey();
    Set<ResourceKey> keys = new java.util.TreeSet<>(left.keySet());
    keys.addAll(right.keySet());
    List<RevisionDiff.ObjectDiff> objects = new ArrayList<>();
    for (ResourceKey k : keys) {
      Resource l = left.get(k);
      Resource r = right.get(k);
      if (l == null) {
        objects.add(new RevisionDiff.ObjectDiff(k, Change.Type.CREATE, List.of()));
      } else if (r == null) {
        objects.add(new RevisionDiff.ObjectDiff(k, Change.Type.DELETE, List.of()));
      } else {
        List<FieldDiff> fields = planner.compareExactly(l, r, sensitive);
        if (!fields.isEmpty()) {
          objects.add(new RevisionDiff.ObjectDiff(k, Change.Type.UPDATE, fields));
        }
      }
    }
    return new RevisionDiff(id, from, to, objects);
  }

  // ---- remove

  /** How many plan-and-delete rounds {@link #delete} runs at most: members, then the inventory, then a check. */
  private static final int REMOVAL_ROUNDS = 4;

  @Override
  public ExecutionResult delete(Application app, Subject subject) {
    List<Outcome> outcomes = new ArrayList<>();
    List<Outcome> inventory = new ArrayList<>();
    Plan plan = planDelete(app, subject);
    for (int round = 1; plan.hasChanges() && round < REMOVAL_ROUNDS; round++) {
      ExecutionResult r = execute(plan, Executor.Gate.OPEN, subject, "", null);
      outcomes.addAll(r.outcomes());
      inventory.addAll(r.inventory());
      if (!r.succeeded()) {
        break;
      }
      plan = planDelete(app, subject);
    }
    ExecutionResult result = new ExecutionResult(plan, outcomes, inventory);
    if (isRemoved(result)) {
      seenKinds.remove(app.id());
      renderCache.remove(app.id());
      observed.remove(app.id());
    }
    return result;
  }

  /**
   * True when a {@link #delete} removed everything: every write succeeded, and its last plan found
   * every cluster readable, nothing left to delete and nothing still being deleted.
   */
  public static boolean isRemoved(ExecutionResult deletion) {
    Plan last = deletion.plan();
    return deletion.succeeded() && !last.hasChanges() && last.problems().isEmpty() && last.deleting().isEmpty();
  }

  @Override
  public boolean removed(ExecutionResult deletion) {
    return isRemoved(deletion);
  }

  // ---- status

  /** A status computed now by planning against the clusters (a read-only dry run). */
  public ApplicationStatus status(Application app, Subject subject) {
    Rendered rendered = rendered(app.id(), app);
    if (!rendered.outside().isEmpty()) {
      // reads nothing of what it may not reach: the status is the refusal
      String message = new ProjectViolationException(app.id(), rendered.project(), rendered.outside()).getMessage();
      StatusRules.Verdict v = StatusRules.decide(new Situation.Denied(message), 0, null, settings.clock().instant());
      return new ApplicationStatus(app.id(), 0, v.phase(), v.conditions(), List.of(), List.of(), message,
          ApplicationStatus.healthOf(List.of()), List.of());
    }
    Plan compared = compare(rendered);
    Plan plan = compared;
    String denied = "";
    try {
      plan = admitOnly(compared);
    } catch (AdmissionDeniedException e) {
      denied = e.getMessage();
    }
    List<ResourceStatus> resources = resourceStatuses(plan);
    var health = ApplicationStatus.healthOf(resources);
    boolean synced = plan.problems().isEmpty() && resources.stream().allMatch(ResourceStatus::isSynced);
    Situation situation;
    if (!denied.isEmpty()) {
      situation = new Situation.Denied(denied);
    } else if (!synced) {
      situation = new Situation.OutOfSync(plan.summary());
    } else if (health.health() == io.orchestrationplane.core.health.Health.HEALTHY) {
      situation = new Situation.Converged();
    } else {
      boolean degraded = health.health() == io.orchestrationplane.core.health.Health.DEGRADED
          || resources.stream().anyMatch(ResourceStatus::lastWriteFailed);
      situation = new Situation.Unhealthy(health.message(), degraded);
    }
    StatusRules.Verdict v = StatusRules.decide(situation, 0, null, settings.clock().instant());
    return new ApplicationStatus(app.id(), 0, v.phase(), v.conditions(), resources, plan.problems(), denied, health,
        plan.notices());
  }

  @Override
  public List<ResourceStatus> resourceStatuses(Plan plan) {
    long version = writesVersion.get();
    Observed last = observed.get(plan.application());
    if (last != null && last.plan() == plan && last.writesVersion() == version) {
      return last.resources();
    }
    List<ResourceStatus> resources = List.copyOf(assessStatuses(plan));
    observed.put(plan.application(), new Observed(plan, version, resources));
    return resources;
  }

  private List<ResourceStatus> assessStatuses(Plan plan) {
    List<ResourceStatus> resources = new ArrayList<>();
    HealthAssessors health = health();
    Set<String> sensitive = sensitiveValues(plan.application());
    for (Change c : plan.changes()) {
      boolean desired = c.type() != Change.Type.DELETE;
      boolean present = c.type() != Change.Type.CREATE;
      boolean inSync = c.type() == Change.Type.UNCHANGED;
      HealthStatus h = scrubbed(present ? health.assess(c.live()) : HealthStatus.missing(c.key()), sensitive);
      resources.add(new ResourceStatus(c.key(), c.environment(), desired, present, inSync, c.diffs(),
          lastWrites.getOrDefault(c.key(), Optional.empty()), h));
    }
    // Objects meant for a cluster that could not be read: their state is UNKNOWN, not missing.
    Rendered rendered = renderCache.get(plan.application());
    for (PlanProblem problem : plan.problems()) {
      if (!problem.subject().isEmpty() || rendered == null) {
        continue;
      }
      for (Planner.Target t : rendered.targets()) {
        if (t.cluster().name().equals(problem.cluster())) {
          for (Resource r : t.resources()) {
            ResourceKey key = r.key(problem.cluster());
            resources.add(new ResourceStatus(key, t.environment(), true, false, false, List.of(),
                lastWrites.getOrDefault(key, Optional.empty()),
                HealthStatus.unknown("cluster " + problem.cluster() + " is unreachable")));
          }
        }
      }
    }
    return resources;
  }

  /**
   * {@code h}, with any sensitive value of the application its message quotes replaced by a keyed
   * digest: an assessor may quote what an object holds (a connection string in a ConfigMap, say),
   * and the health of a Secret is withheld by {@link HealthAssessors} already, but values of
   * sensitive properties rendered into other kinds only the plane knows.
   */
  private HealthStatus scrubbed(HealthStatus h, Set<String> sensitive) {
    if (sensitive.isEmpty()) {
      return h;
    }
    String message = redactor.scrub(h.message(), sensitive,
        "the health message is withheld: it could quote a secret value of the application");
    return message.equals(h.message()) ? h : new HealthStatus(h.health(), message);
  }

  /** Remembers the last write result of each object (a deleted object's is forgotten). */
  private void record(ExecutionResult result) {
    for (Outcome o : result.outcomes()) {
      WriteResult w = o.write();
      if (w instanceof WriteResult.Deleted) {
        lastWrites.remove(o.change().key());
      } else if (!(w instanceof WriteResult.Unchanged) && !(w instanceof WriteResult.Skipped)) {
        lastWrites.put(o.change().key(), w instanceof WriteResult.Created ? CREATED
            : w instanceof WriteResult.Updated ? UPDATED : Optional.of(w));
      }
    }
    if (!result.outcomes().isEmpty()) {
      writesVersion.incrementAndGet(); // after the change: a reader never keeps old results under the new version
    }
  }

  @Override
  public List<FieldDiff> stillDiffering(Change change, @Nullable Resource stored) {
    if (stored == null || change.desired() == null) {
      return List.of();
    }
    String id = change.desired().label(Ownership.APPLICATION_LABEL);
    return planner.differences(change.desired(), stored, sensitiveValues(id == null ? "" : id), List.of());
  }

  @Override
  public HealthAssessors health() {
    return settings.kinds().health();
  }

  // ---- secrets

  @Override
  public String scrub(String applicationId, @Nullable Application app, @Nullable String message) {
    if (message == null) {
      return "";
    }
    Set<String> secrets = new LinkedHashSet<>();
    Rendered r = renderCache.get(applicationId);
    if (r != null) {
      secrets.addAll(r.sensitive());
      for (Planner.Target t : r.targets()) {
        for (Resource res : t.resources()) {
          if (Redactor.isSecret(res)) {
            secrets.addAll(Redactor.secretValues(res, Set.of()));
          }
        }
      }
    }
    if (app != null) {
      secrets.addAll(sensitiveProperties(app));
    }
    return redactor.scrub(message, secrets, "(message withheld: it could quote a secret value of the application)");
  }

  /** The values of every property the application's types mark sensitive, as written (overrides included). */
  private Set<String> sensitiveProperties(Application app) {
    Set<String> out = new LinkedHashSet<>();
    for (Component c : app.components()) {
      settings.types().component(c.type()).ifPresent(t -> collectSensitive(t.schema(), c.properties(), out));
      for (Environment e : app.environments()) {
        settings.types().component(c.type()).ifPresent(t -> collectSensitive(t.schema(), e.overridesFor(c.name()), out));
      }
      for (io.orchestrationplane.core.model.Trait trait : c.traits()) {
        settings.types().trait(trait.type()).ifPresent(t -> collectSensitive(t.schema(), trait.properties(), out));
      }
    }
    return out;
  }

  private static void collectSensitive(PropertySchema schema, Map<String, Object> values, Set<String> out) {
    for (PropertySpec spec : schema.properties()) {
      if (spec.sensitive() && values.get(spec.name()) != null) {
        ArrayDeque<Object> todo = new ArrayDeque<>();
        todo.push(values.get(spec.name()));
        while (!todo.isEmpty()) {
          Object v = todo.pop();
          if (v instanceof Map<?, ?> m) {
            m.values().forEach(x -> { if (x != null) todo.push(x); });
          } else if (v instanceof Collection<?> col) {
            col.forEach(x -> { if (x != null) todo.push(x); });
          } else if (!String.valueOf(v).isEmpty()) {
            out.add(String.valueOf(v));
          }
        }
      }
    }
  }

  /** The values of the application's sensitive properties, as last rendered. */
  private Set<String> sensitiveValues(String applicationId) {
    Rendered r = renderCache.get(applicationId);
    return r == null ? Set.of() : r.sensitive();
  }

  // ---- observers

  /** Tells every observer; one that throws is logged and skipped. */
  public void emit(PlaneRecord record) {
    for (PlaneObserver o : observers) {
      try {
        o.observe(record);
      } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
        LOG.warn("plane observer {} failed on {}", o, record.getClass().getSimpleName(), e); // never stops the plane
      }
    }
  }

  @Override
  public void emit(PlaneEvent event) {
    emit((PlaneRecord) event);
  }

  // ---- kinds

  /** The kinds to search for {@code applicationId}'s leftovers: the catalogue's pruned ones and what it rendered. */
  public Set<GroupKind> managedKinds(String applicationId) {
    Set<GroupKind> kinds = new LinkedHashSet<>(settings.kinds().pruned());
    kinds.addAll(seenKinds.getOrDefault(applicationId, Set.of()));
    return kinds;
  }

  /** The kinds applications rendered, for continuous mode's watches. */
  public Set<GroupKind> renderedKinds(Collection<String> applicationIds) {
    Set<GroupKind> out = new LinkedHashSet<>();
    applicationIds.forEach(id -> out.addAll(seenKinds.getOrDefault(id, Set.of())));
    return out;
  }

  /** Drops every cache (the plane is closing). */
  public void clear() {
    seenKinds.clear();
    renderCache.clear();
    observed.clear();
    submitted.clear();
  }

  /**
   * Rank of each component: 0 for those without dependencies, else one more than its deepest
   * dependency. Iterative (a chain of any length is fine); a component on a cycle (which
   * validation rejects) or depending on an unknown one counts that edge as rank 0.
   */
  static Map<String, Integer> componentOrder(Application app) {
    Map<String, Component> byName = new HashMap<>();
    app.components().forEach(c -> byName.putIfAbsent(c.name(), c));
    Map<String, Integer> rank = new HashMap<>();
    Set<String> inProgress = new HashSet<>();
    ArrayDeque<String> stack = new ArrayDeque<>();
    for (Component c : app.components()) {
      if (rank.containsKey(c.name())) {
        continue;
      }
      stack.push(c.name());
      while (!stack.isEmpty()) {
        String name = stack.peek();
        if (rank.containsKey(name)) {
          stack.pop();
          continue;
        }
        Component comp = byName.get(name);
        boolean ready = true;
        if (inProgress.add(name)) {
          for (String dep : comp.dependsOn()) {
            if (byName.containsKey(dep) && !rank.containsKey(dep) && !inProgress.contains(dep)) {
              stack.push(dep);
              ready = false;
            }
          }
        }
        if (ready) {
          int r = 0;
          for (String dep : comp.dependsOn()) {
            Integer known = rank.get(dep);
            r = Math.max(r, known == null ? 0 : known + 1);
          }
          rank.put(name, r);
          inProgress.remove(name);
          stack.pop();
        }
      }
    }
    return Map.copyOf(rank); // kept with the rendered application: a third of a HashMap's size
  }

  /** How long an application may stay unhealthy after a change. */
  public Duration progressDeadline() {
    return settings.progressDeadline();
  }
}
