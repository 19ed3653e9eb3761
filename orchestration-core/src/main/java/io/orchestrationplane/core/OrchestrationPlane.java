package io.orchestrationplane.core;

import io.orchestrationplane.core.admit.AdmissionDeniedException;
import io.orchestrationplane.core.admit.PolicyGate;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Executor;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterRegistry;
import io.orchestrationplane.core.health.ApplicationHealth;
import io.orchestrationplane.core.health.Health;
import io.orchestrationplane.core.health.HealthAssessors;
import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.ApplicationCodec;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.core.observe.PlaneListener;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.plan.PlanProblem;
import io.orchestrationplane.core.plan.Planner;
import io.orchestrationplane.core.reconcile.Controller;
import io.orchestrationplane.core.reconcile.EventSources;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.reconcile.WorkQueue;
import io.orchestrationplane.core.render.ComponentType;
import io.orchestrationplane.core.render.Renderer;
import io.orchestrationplane.core.render.TraitType;
import io.orchestrationplane.core.render.TypeRegistry;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Kinds;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Redactor;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Condition;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.core.status.ResourceStatus;
import io.orchestrationplane.core.validate.ApplicationValidator;
import io.orchestrationplane.policy.PolicyEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facade users start from: validate, render, plan, apply, delete and report the status of
 * applications on a set of clusters.
 *
 * <pre>{@code
 * try (OrchestrationPlane plane = OrchestrationPlane.builder()
 *     .cluster(InMemoryCluster.create("prod"))
 *     .build()) {
 *   Plan plan = plane.plan(app);        // a dry run: nothing is written
 *   System.out.println(plan.toText());
 *   plane.apply(app);                   // plan + execute
 *   plane.status(app).isInSync();       // true
 * }
 * }</pre>
 *
 * <p>Continuous mode: {@link #start()} runs the plane's own {@link io.orchestrationplane.core.reconcile.Reconciler} on a {@link
 * io.orchestrationplane.core.reconcile.Controller}; {@link #submit} adds or updates an application, {@link #remove} prunes it, and
 * watch events, periodic resyncs and backoff retries keep every cluster converged. Drift is
 * corrected (or only reported, per {@link DriftPolicy}); a converged application costs no writes.
 *
 * <pre>{@code
 * plane.start();
 * plane.submit(app);                    // returns the new generation
 * plane.status(app).isReady();          // as of the last reconcile
 * plane.remove(app);                    // prunes everything it owns
 * }</pre>
 *
 * <p>Thread-safe. It does not own the cluster drivers it is given: closing the plane stops the
 * controller and leaves the drivers open.
 */
public final class OrchestrationPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OrchestrationPlane.class);

  /**
   * Kinds the built-in types render, and Namespaces; always searched for leftovers to prune. Every
   * other kind an application wrote is found through its inventory on each cluster. Insertion-ordered
   * (not Set.of, whose iteration order changes from one JVM run to the next) so the sequence of
   * cluster calls, and thus a seeded fault-injection run, is the same every time.
   */
  private static final Set<GroupKind> BUILT_IN_KINDS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
      new GroupKind("apps", "Deployment"), new GroupKind("", "Service"), new GroupKind("batch", "Job"),
      new GroupKind("batch", "CronJob"), new GroupKind("networking.k8s.io", "Ingress"),
      new GroupKind("autoscaling", "HorizontalPodAutoscaler"), new GroupKind("", "PersistentVolumeClaim"),
      new GroupKind("networking.k8s.io", "NetworkPolicy"), new GroupKind("", "ConfigMap"), new GroupKind("", "Secret"),
      new GroupKind("", "Namespace"))));

  private final ClusterRegistry clusters;
  /** Every cluster's driver, in registration order (the registry is immutable). */
  private final List<ClusterDriver> drivers;
  private final Clock clock;
  private final TypeRegistry types;
  private final ApplicationValidator validator;
  private final Renderer renderer;
  private final Planner planner;
  private final Executor executor;
  private final Redactor redactor;
  private final io.orchestrationplane.core.cluster.WritePermit writePermit;
  private final Map<String, Set<GroupKind>> seenKinds = new ConcurrentHashMap<>();
  private final Map<ResourceKey, String> lastResults = new ConcurrentHashMap<>();
  private final Map<String, Rendered> renderCache = new ConcurrentHashMap<>();
  /** Bumped whenever {@link #lastResults} changes: the object statuses below depend on it. */
  private final AtomicLong resultsVersion = new AtomicLong();
  /**
   * The object statuses last derived per application. The planner returns the very same plan
   * while nothing changed, health is a function of the (immutable) live object, so the same
   * plan and results give the same statuses: a resync assesses nothing again.
   */
  private final Map<String, Observed> observed = new ConcurrentHashMap<>();
  private final Builder settings;
  private final List<PlaneListener> listeners;
  private volatile boolean closed;
  private final ApplicationReconciler reconciler;
  private volatile Controller<String> controller;
  /** Kinds watched on every cluster while started; kinds rendered later get watches of their own. */
  private final Set<GroupKind> watchedKinds = ConcurrentHashMap.newKeySet();
  private final List<AutoCloseable> laterWatches = new CopyOnWriteArrayList<>();

  private OrchestrationPlane(Builder b) {
    this.clusters = b.clusters.build();
    this.drivers = clusters.entries().stream().map(ClusterRegistry.Entry::driver).toList();
    this.clock = b.clock;
    TypeRegistry.Builder types = b.types;
    this.types = types.build();
    this.validator = new ApplicationValidator(this.types, clusters);
    this.renderer = new Renderer(this.types);
    this.redactor = b.redactor != null ? b.redactor : Redactor.random();
    this.planner = new Planner(this.types.kinds(), redactor, b.diff);
    this.writePermit = b.writePermit;
    this.executor = new Executor(clusters::require, redactor, b.stopOnFirstFailure, b.writePermit);
    this.settings = b;
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
    this.reconciler = new ApplicationReconciler(this, new WriteGuard(b.maxCorrections, b.correctionWindow,
        b.minCorrectionInterval));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link OrchestrationPlane}. */
  public static final class Builder {
    private final ClusterRegistry.Builder clusters = ClusterRegistry.builder();
    private Clock clock = Clock.systemUTC();
    private TypeRegistry.Builder types = TypeRegistry.builder();
    private final List<PlaneListener> listeners = new CopyOnWriteArrayList<>();
    private int workers = 2 * Runtime.getRuntime().availableProcessors();
    private Scheduler scheduler;
    private WorkQueue.Config queue = WorkQueue.Config.defaults();
    private Duration resyncPeriod = EventSources.DEFAULT_RESYNC_PERIOD;
    private Duration closeTimeout = Duration.ofSeconds(30);
    private HealthAssessors health = HealthAssessors.defaults();
    private boolean readinessGates = true;
    private Duration progressDeadline = Duration.ofMinutes(10);
    private PolicyGate policies;
    private Redactor redactor;
    private io.orchestrationplane.core.plan.DiffSettings diff = io.orchestrationplane.core.plan.DiffSettings.defaults();
    private boolean stopOnFirstFailure;
    private io.orchestrationplane.core.cluster.WritePermit writePermit = io.orchestrationplane.core.cluster.WritePermit.ALWAYS;
    private int maxCorrections = 5;
    private Duration correctionWindow = Duration.ofMinutes(10);
    private Duration minCorrectionInterval = Duration.ofSeconds(1);

    /** Registers a cluster without labels. */
    public Builder cluster(ClusterDriver driver) {
      clusters.add(driver);
      return this;
    }

    /** Registers a cluster with placement labels. */
    public Builder cluster(ClusterDriver driver, Map<String, String> labels) {
      clusters.add(driver, labels);
      return this;
    }

    /** Registers every cluster of a registry. */
    public Builder clusters(ClusterRegistry registry) {
      registry.entries().forEach(e -> clusters.add(e.driver(), e.labels()));
      return this;
    }

    /** The clock used for timestamps and, in continuous mode, for scheduling. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Replaces the type registry (the default holds the built-ins). */
    public Builder types(TypeRegistry.Builder value) {
      this.types = Objects.requireNonNull(value, "types");
      return this;
    }

    /** Adds (or replaces) a component type. */
    public Builder componentType(ComponentType type) {
      types.component(type);
      return this;
    }

    /** Adds (or replaces) a trait type. */
    public Builder traitType(TraitType type) {
      types.trait(type);
      return this;
    }

    /** Observes continuous mode (submissions, writes, drift, failures, convergence). */
    public Builder listener(PlaneListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Worker threads of continuous mode (default 2 × available processors). 0 means none: call
     * {@link OrchestrationPlane#runPending()} to reconcile on the calling thread (deterministic tests).
     */
    public Builder workers(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("workers must not be negative, was " + value);
      }
      this.workers = value;
      return this;
    }

    /**
     * The scheduler for retries, requeues and resyncs; the caller keeps ownership. By default the
     * plane creates a threaded one and closes it; tests pass {@code Scheduler.manual(clock)}.
     */
    public Builder scheduler(Scheduler value) {
      this.scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    /** Backoff and rate limit of retries (defaults: 5 ms doubling to 5 min; 10/s, burst 100). */
    public Builder queue(WorkQueue.Config value) {
      this.queue = Objects.requireNonNull(value, "queue");
      return this;
    }

    /** How often every application is reconciled even without events (default 10 min, jittered). */
    public Builder resyncPeriod(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("resyncPeriod must be positive, was " + value);
      }
      this.resyncPeriod = value;
      return this;
    }

    /** How long {@link OrchestrationPlane#close()} lets in-flight reconciles finish (default 30 s). */
    public Builder closeTimeout(Duration value) {
      if (value == null || value.isNegative()) {
        throw new IllegalArgumentException("closeTimeout must not be negative, was " + value);
      }
      this.closeTimeout = value;
      return this;
    }

    /** How objects' health is assessed (default: the built-in assessors). */
    public Builder health(HealthAssessors value) {
      this.health = Objects.requireNonNull(value, "health");
      return this;
    }

    /**
     * Whether a component is applied only once every component it depends on is HEALTHY (default
     * true). Held-back changes are WAITING in the result; continuous mode retries them when the
     * dependency's health changes. Turn off to apply everything in order at once.
     */
    public Builder readinessGates(boolean value) {
      this.readinessGates = value;
      return this;
    }

    /**
     * How long an application may stay unhealthy after a change before it is DEGRADED with the
     * reason (default 10 minutes), in continuous mode.
     */
    public Builder progressDeadline(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("progressDeadline must be positive, was " + value);
      }
      this.progressDeadline = value;
      return this;
    }

    /**
     * Admission: every planned write is evaluated by these policies (Kubernetes
     * ValidatingAdmissionPolicy semantics) as the plane's service account; a Deny stops the plan.
     */
    public Builder policies(PolicyEngine engine) {
      return policies(PolicyGate.of(engine));
    }

    /** Admission through a gate configured by hand (another user identity, say). */
    public Builder policies(PolicyGate gate) {
      this.policies = Objects.requireNonNull(gate, "gate");
      return this;
    }

    /**
     * The key of the digests that stand in for secret values in plans, status, events and
     * messages (HMAC-SHA256; at least 16 bytes). Planes sharing a key show the same digests (golden
     * files, plan and apply in separate CI steps); by default each plane has a random key.
     */
    public Builder redactionKey(byte[] key) {
      this.redactor = Redactor.withKey(Objects.requireNonNull(key, "key"));
      return this;
    }

    /** How the planner decides what differs (ignore rules, list merge keys of custom kinds, server-side diff). */
    public Builder diff(io.orchestrationplane.core.plan.DiffSettings value) {
      this.diff = Objects.requireNonNull(value, "diff");
      return this;
    }

    /**
     * Whether the first failed write stops the other clusters too (default false: a failure stops
     * only the rest of its own cluster, and the others converge).
     */
    public Builder stopOnFirstFailure(boolean value) {
      this.stopOnFirstFailure = value;
      return this;
    }

    /**
     * How hard continuous mode corrects drift of one object (defaults: 5 corrections in 10 minutes,
     * at least 1 second apart). An object corrected {@code maxCorrections} times within
     * {@code window} is being fought over by another writer: the plane stops correcting it until
     * the window has passed or its desired state changes, and reports DEGRADED naming the fight.
     */
    public Builder driftCorrectionLimits(int maxCorrections, Duration window, Duration minInterval) {
      if (maxCorrections < 2) {
        throw new IllegalArgumentException("maxCorrections must be at least 2, was " + maxCorrections);
      }
      if (window == null || window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("window must be positive, was " + window);
      }
      if (minInterval == null || minInterval.isNegative()) {
        throw new IllegalArgumentException("minInterval must not be negative, was " + minInterval);
      }
      this.maxCorrections = maxCorrections;
      this.correctionWindow = window;
      this.minCorrectionInterval = minInterval;
      return this;
    }

    /**
     * Asked before every write; a write it refuses fails, unwritten (default: always allowed). A
     * highly available plane passes its {@code LeaderElection}, so that a replica that lost its
     * lease stops writing at once.
     */
    public Builder writePermit(io.orchestrationplane.core.cluster.WritePermit value) {
      this.writePermit = Objects.requireNonNull(value, "writePermit");
      return this;
    }

    public OrchestrationPlane build() {
      return new OrchestrationPlane(this);
    }
  }

  public ClusterRegistry clusters() {
    return clusters;
  }

  /** What the plane asks before every write. */
  public io.orchestrationplane.core.cluster.WritePermit writePermit() {
    return writePermit;
  }

  public TypeRegistry types() {
    return types;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Decodes and validates an application from YAML or JSON; problems carry field paths, lines and
   * columns.
   */
  public Application load(String yamlOrJson) {
    return validator.validate(ApplicationCodec.readYaml(yamlOrJson));
  }

  /** Validates an application, throwing a {@code ValidationException} that lists every problem. */
  public Application validate(Application app) {
    return validator.validate(app);
  }

  /** The environments an application deploys to: its own, or one {@code default} environment everywhere. */
  public static List<Environment> environments(Application app) {
    return app.environments().isEmpty() ? List.of(Environment.builder("default").build()) : app.environments();
  }

  /** Validates and renders every environment, without touching a cluster. */
  public Map<String, List<Resource>> render(Application app) {
    validator.validate(app);
    Map<String, List<Resource>> out = new LinkedHashMap<>();
    for (Environment e : environments(app)) {
      out.put(e.name(), renderer.render(app, e));
    }
    return out;
  }

  /**
   * Validates, renders and compares with the clusters: a dry run that writes nothing. Throws
   * {@code ValidationException} naming both owners when an object it renders belongs to another
   * submitted application.
   */
  public Plan plan(Application app) {
    Rendered r = rendered(app);
    checkClaims(r);
    return admit(compare(r));
  }

  /** Which submitted application renders each object: no two may own one. Guarded by itself. */
  private final Map<ResourceKey, String> claims = new HashMap<>();

  /** Throws when another submitted application renders one of {@code r}'s objects. */
  private void checkClaims(Rendered r) {
    List<io.orchestrationplane.core.model.Problem> problems = new ArrayList<>();
    synchronized (claims) {
      for (Map.Entry<ResourceKey, String> k : r.keys().entrySet()) {
        String owner = claims.get(k.getKey());
        if (owner != null && !owner.equals(r.id())) {
          problems.add(io.orchestrationplane.core.model.Problem.at("spec.components", k.getKey().display()
              + " on cluster " + k.getKey().cluster() + " would be owned by two applications: " + owner
              + " (submitted) and " + r.id() + " (environment " + k.getValue() + "); rename it in one of them"));
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

  /** Records {@code r}'s objects as its own, replacing what it claimed before; throws as {@link #checkClaims}. */
  private void claim(Rendered r) {
    synchronized (claims) {
      checkClaims(r);
      claims.values().removeIf(r.id()::equals);
      r.keys().keySet().forEach(k -> claims.put(k, r.id()));
    }
  }

  /** Forgets what a removed application claimed. */
  void release(String applicationId) {
    synchronized (claims) {
      claims.values().removeIf(applicationId::equals);
    }
  }

  /** {@link #plan(Application)} for the reconciler, which knows the id already. */
  Plan plan(String id, Application app) {
    return admit(compare(rendered(id, app)));
  }

  /** The plan before admission: what status reports, since reading state writes nothing. */
  private Plan compare(Application app) {
    return compare(rendered(app));
  }

  private Plan compare(Rendered r) {
    return planner.plan(r.id(), r.targets(), drivers, r.managedKinds(), r.componentOrder());
  }

  /**
   * Runs the plan's writes through the admission policies: a Deny throws {@link
   * AdmissionDeniedException} listing every violation; Warn and Audit become the plan's notices.
   * A write that mutating policies changed writes the mutated object; an update's differing
   * fields are compared again against it, so that a field the policies set, once applied, is no
   * drift: the write becomes UNCHANGED when nothing differs any more.
   */
  private Plan admit(Plan plan) {
    if (settings.policies == null) {
      return plan;
    }
    Set<String> sensitive = sensitiveValues(plan.application());
    return settings.policies.admit(plan, clusters::require, redactor, sensitive, (change, mutated) -> {
      if (change.type() != Change.Type.UPDATE) {
        return new Change(change.type(), change.key(), change.environment(), change.component(), mutated,
            change.liveResourceVersion(), change.diffs(), change.wave(), change.live(), change.ignored(),
            change.comparison());
      }
      List<io.orchestrationplane.core.plan.FieldDiff> diffs =
          planner.differences(mutated, change.live(), sensitive, List.of());
      // Compared here, client-side: a server-side dry run compared the object before mutation.
      return new Change(diffs.isEmpty() ? Change.Type.UNCHANGED : Change.Type.UPDATE, change.key(),
          change.environment(), change.component(), mutated, change.liveResourceVersion(), diffs, change.wave(),
          change.live(), change.ignored(), Change.Comparison.CLIENT_SIDE);
    });
  }

  /**
   * {@code message} with the application's secret values (the data of the Secrets it renders and
   * the values of its sensitive properties) replaced by digests, or withheld when one of them is
   * too short to replace safely: for messages from code the plane does not control.
   */
  String scrub(String applicationId, String message) {
    return scrub(applicationId, null, message);
  }

  /**
   * As {@link #scrub(String, String)}, also hiding the sensitive property values of {@code app}
   * (which may not have rendered: its type may be what failed).
   */
  String scrub(String applicationId, Application app, String message) {
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
      types.component(c.type()).ifPresent(t -> collectSensitive(t.schema(), c.properties(), out));
      for (Environment e : app.environments()) {
        types.component(c.type()).ifPresent(t -> collectSensitive(t.schema(), e.overridesFor(c.name()), out));
      }
      for (io.orchestrationplane.core.model.Trait trait : c.traits()) {
        types.trait(trait.type()).ifPresent(t -> collectSensitive(t.schema(), trait.properties(), out));
      }
    }
    return out;
  }

  private static void collectSensitive(io.orchestrationplane.core.render.PropertySchema schema, Map<String, Object> values,
      Set<String> out) {
    for (io.orchestrationplane.core.render.PropertySpec spec : schema.properties()) {
      if (spec.sensitive() && values.get(spec.name()) != null) {
        java.util.ArrayDeque<Object> todo = new java.util.ArrayDeque<>();
        todo.push(values.get(spec.name()));
        while (!todo.isEmpty()) {
          Object v = todo.pop();
          if (v instanceof Map<?, ?> m) {
            m.values().forEach(x -> { if (x != null) todo.push(x); });
          } else if (v instanceof java.util.Collection<?> col) {
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

  /** The object statuses derived from a plan while the last write results were at a version. */
  private record Observed(Plan plan, long resultsVersion, List<ResourceStatus> resources) {}

  /** What an application renders to, per target cluster; reused while the application is unchanged. */
  private record Rendered(Application app, String id, List<Planner.Target> targets, Map<String, Integer> componentOrder,
      Set<GroupKind> managedKinds, Set<String> sensitive, Map<ResourceKey, String> keys) {
    @Override
    public String toString() {
      return "Rendered[" + id + "]";
    }
  }

  // Validation and rendering depend only on the application (the types and clusters are fixed at
  // build time), so a resync of an unchanged application reuses them and only reads the clusters.
  private Rendered rendered(Application app) {
    return rendered(app.id(), app);
  }

  private Rendered rendered(String id, Application app) {
    Rendered cached = renderCache.get(id);
    if (cached != null && cached.app().sameAs(app)) {
      return cached;
    }
    validator.validate(app);
    List<Planner.Target> targets = new ArrayList<>();
    Set<GroupKind> kinds = seenKinds.computeIfAbsent(app.id(), k -> ConcurrentHashMap.newKeySet());
    Set<String> sensitive = new LinkedHashSet<>();
    for (Environment e : environments(app)) {
      Renderer.Output output = renderer.renderAll(app, e);
      List<Resource> resources = output.resources();
      sensitive.addAll(output.sensitiveValues());
      resources.forEach(r -> kinds.add(r.groupKind()));
      for (String cluster : ApplicationValidator.resolve(e.placement(), clusters)) {
        targets.add(new Planner.Target(e.name(), clusters.require(cluster), resources, output.sensitiveValues(),
            app.ignoreDifferences()));
      }
    }
    // No two environments may render the same object onto the same cluster: they would fight over it.
    Map<ResourceKey, String> keys = new HashMap<>();
    List<io.orchestrationplane.core.model.Problem> twice = new ArrayList<>();
    for (Planner.Target t : targets) {
      for (Resource r : t.resources()) {
        String before = keys.putIfAbsent(r.key(t.cluster().name()), t.environment());
        if (before != null) {
          twice.add(io.orchestrationplane.core.model.Problem.at("spec.environments", r + " on cluster "
              + t.cluster().name() + " is rendered by environment '" + before + "' and by environment '"
              + t.environment() + "'; give them different namespaces or clusters"));
        }
      }
    }
    if (!twice.isEmpty()) {
      throw new ValidationException("Application '" + app.id() + "'", twice);
    }
    // the kinds to look for leftovers in: fixed until the application changes, as only rendering adds to them
    Rendered fresh = new Rendered(app, app.id(), List.copyOf(targets), componentOrder(app),
        Collections.unmodifiableSet(managedKinds(app.id())), Set.copyOf(sensitive), Map.copyOf(keys));
    renderCache.put(app.id(), fresh);
    watchAlso(kinds);
    return fresh;
  }

  /** The plan that removes everything the application owns, on every cluster. */
  public Plan planDelete(Application app) {
    return admit(planner.plan(app.id(), List.of(), drivers, managedKinds(app.id()), componentOrder(app)));
  }

  /** Plans and executes: creates, updates and prunes until the clusters hold the desired state. */
  public ExecutionResult apply(Application app) {
    return apply(plan(app));
  }

  /**
   * Executes a reviewed plan; refused with {@code StalePlanException} (nothing written) when the
   * clusters changed since it was computed. Every write is admitted again against the plane's
   * policies first (a plan made elsewhere, or by hand, cannot bypass them): a Deny throws
   * {@link AdmissionDeniedException} and nothing is written. A plan read back with {@link
   * Plan#fromJson} is applied as {@link #apply(Application, Plan)} with the submitted (or last
   * planned) application of its id.
   */
  public ExecutionResult apply(Plan plan) {
    if (plan.detached()) {
      Rendered known = renderCache.get(plan.application());
      if (known == null) {
        throw new IllegalStateException("the plan for " + plan.application() + " was read from JSON and holds no "
            + "desired objects: apply it with apply(application, plan), giving the application it was made from");
      }
      return apply(known.app(), plan);
    }
    return apply(admit(plan), Executor.Gate.OPEN);
  }

  /**
   * Plans {@code app} afresh and applies that plan only if it is the reviewed one: the same writes
   * of the same desired content on the same fields, admitted by the same policy set. Otherwise
   * throws {@link io.orchestrationplane.core.apply.PlanMismatchException} saying whether the
   * application changed, the clusters moved or the policies differ, and writes nothing. For "plan
   * in one CI step, apply in the next" with {@link Plan#fromJson}. A change of status alone (a
   * controller's status write moves resourceVersion) does not refuse a plan.
   */
  public ExecutionResult apply(Application app, Plan reviewed) {
    if (!reviewed.application().equals(app.id())) {
      throw new IllegalArgumentException("the plan is for application " + reviewed.application() + ", not " + app.id());
    }
    Plan fresh = plan(app);
    if (!fresh.digest().equals(reviewed.digest())) {
      io.orchestrationplane.core.apply.PlanMismatchException refused = mismatch(reviewed, fresh);
      if (refused != null) {
        throw refused;
      }
    }
    return apply(fresh, Executor.Gate.OPEN);
  }

  /** Why {@code fresh} is not the {@code reviewed} plan, or null when they write the same (live versions aside). */
  private static io.orchestrationplane.core.apply.PlanMismatchException mismatch(Plan reviewed, Plan fresh) {
    if (!reviewed.policies().equals(fresh.policies())) {
      return new io.orchestrationplane.core.apply.PlanMismatchException(fresh.application(),
          io.orchestrationplane.core.apply.PlanMismatchException.Reason.OTHER_POLICIES,
          List.of("admitted under policy set " + shortHash(reviewed.policies()) + ", the plane's is "
              + shortHash(fresh.policies())));
    }
    Map<ResourceKey, Change> before = writesByKey(reviewed);
    Map<ResourceKey, Change> now = writesByKey(fresh);
    List<String> changed = new ArrayList<>();
    List<String> stale = new ArrayList<>();
    Set<ResourceKey> keys = new java.util.TreeSet<>(before.keySet());
    keys.addAll(now.keySet());
    for (ResourceKey k : keys) {
      Change b = before.get(k);
      Change n = now.get(k);
      String what = k.display() + " (cluster " + k.cluster() + ")";
      String hashB = b == null ? null : b.contentHash();
      String hashN = n == null ? null : n.contentHash();
      if (b != null && n != null && b.type() == n.type() && java.util.Objects.equals(hashB, hashN)
          && paths(b).equals(paths(n))) {
        continue;
      }
      if (b != null && n != null && java.util.Objects.equals(hashB, hashN)) {
        stale.add(what + ": reviewed " + b.type() + " " + paths(b) + ", now " + n.type() + " " + paths(n));
      } else if (b == null) {
        (fresh.change(k).isPresent() || n.type() == Change.Type.DELETE ? stale : changed)
            .add(what + ": now " + n.type() + ", not in the reviewed plan");
      } else if (n == null) {
        stale.add(what + ": reviewed " + b.type() + ", now nothing to write");
      } else {
        changed.add(what + ": its desired content differs from the reviewed one");
      }
    }
    if (!changed.isEmpty()) {
      return new io.orchestrationplane.core.apply.PlanMismatchException(fresh.application(),
          io.orchestrationplane.core.apply.PlanMismatchException.Reason.CHANGED, changed);
    }
    if (!stale.isEmpty()) {
      return new io.orchestrationplane.core.apply.PlanMismatchException(fresh.application(),
          io.orchestrationplane.core.apply.PlanMismatchException.Reason.STALE, stale);
    }
    return null;
  }

  private static Map<ResourceKey, Change> writesByKey(Plan plan) {
    Map<ResourceKey, Change> out = new HashMap<>();
    for (Change c : plan.changes()) {
      if (c.isWrite()) {
        out.put(c.key(), c);
      }
    }
    for (Change c : plan.inventory()) {
      out.put(c.key(), c);
    }
    return out;
  }

  private static List<String> paths(Change c) {
    return c.diffs().stream().map(io.orchestrationplane.core.plan.FieldDiff::path).toList();
  }

  private static String shortHash(String h) {
    return h.isEmpty() ? "(none)" : h.length() > 19 ? h.substring(0, 19) : h;
  }

  /** {@link #apply(Plan)} holding back, besides what readiness gating holds, what {@code extra} holds. */
  ExecutionResult apply(Plan plan, Executor.Gate extra) {
    Executor.Gate readiness = settings.readinessGates ? gate(plan) : Executor.Gate.OPEN;
    Executor.Gate gate = extra == Executor.Gate.OPEN ? readiness : change -> {
      Optional<String> held = extra.blocked(change);
      return held.isPresent() ? held : readiness.blocked(change);
    };
    ExecutionResult result = executor.execute(plan, gate, sensitiveValues(plan.application()));
    record(result);
    return result;
  }

  /**
   * What still differs between a change's desired object and the object the cluster stored for
   * it (empty for deletes and when they are equal): a write the cluster does not keep.
   */
  List<io.orchestrationplane.core.plan.FieldDiff> stillDiffering(Change change, Resource stored) {
    if (stored == null || change.desired() == null) {
      return List.of();
    }
    return planner.differences(change.desired(), stored, sensitiveValues(change.key() == null ? ""
        : plannedApplication(change)), List.of());
  }

  private static String plannedApplication(Change change) {
    String id = change.desired().label(Ownership.APPLICATION_LABEL);
    return id == null ? "" : id;
  }

  /** The objects' health assessors. */
  public HealthAssessors health() {
    return settings.health;
  }

  Duration progressDeadline() {
    return settings.progressDeadline;
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
          HealthStatus h = settings.health.assess(clusters.require(c.key().cluster()).get(c.key()), c.key());
          if (!h.isHealthy()) {
            return Optional.of("waits for " + dependency + ": " + h.message());
          }
        }
      }
      return Optional.empty();
    };
  }

  /** How many plan-and-delete rounds {@link #delete} runs at most: members, then the inventory, then a check. */
  private static final int REMOVAL_ROUNDS = 4;

  /**
   * Deletes everything the application owns, on every cluster, then its inventory: plans and
   * deletes again until a plan finds nothing left to delete (or a write fails). The result holds
   * every round's outcomes and the last round's plan: the removal is complete when {@link
   * #isRemoved(ExecutionResult)} says so; otherwise that plan says what is left (objects still
   * being deleted, unreadable clusters). Objects marked keep-on-remove stay and are listed in
   * the plan as kept.
   */
  public ExecutionResult delete(Application app) {
    List<Outcome> outcomes = new ArrayList<>();
    List<Outcome> inventory = new ArrayList<>();
    Plan plan = planDelete(app);
    for (int round = 1; plan.hasChanges() && round < REMOVAL_ROUNDS; round++) {
      ExecutionResult r = apply(plan);
      outcomes.addAll(r.outcomes());
      inventory.addAll(r.inventory());
      if (!r.succeeded()) {
        break;
      }
      plan = planDelete(app);
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

  /**
   * The application's status. For a {@link #submit submitted} application: as of its last
   * reconcile (phase, conditions with transition times, per-object sync state, last error). For
   * any other: computed now by planning against the clusters (a read-only dry run).
   */
  public ApplicationStatus status(Application app) {
    Optional<ApplicationStatus> recorded = reconciler.status(app.id());
    if (recorded.isPresent()) {
      return recorded.get();
    }
    Plan compared = compare(app);
    Plan plan = compared;
    String denied = "";
    try {
      plan = admit(compared);
    } catch (AdmissionDeniedException e) {
      denied = e.getMessage();
    }
    List<ResourceStatus> resources = resourceStatuses(plan);
    ApplicationHealth health = ApplicationStatus.healthOf(resources);
    boolean synced = plan.problems().isEmpty() && resources.stream().allMatch(ResourceStatus::isSynced);
    boolean ready = synced && health.health() == Health.HEALTHY;
    Phase phase = ready ? Phase.READY : !denied.isEmpty() || health.health() == Health.DEGRADED
        || resources.stream().anyMatch(r -> r.lastResult().startsWith("failed")) ? Phase.DEGRADED : Phase.PROGRESSING;
    java.time.Instant now = clock.instant();
    String why = !denied.isEmpty() ? denied : !synced ? plan.summary() : ready ? "" : health.message();
    String reason = ready ? "InSync" : !denied.isEmpty() ? "AdmissionDenied" : !synced ? "OutOfSync" : "Unhealthy";
    List<Condition> conditions = List.of(
        new Condition(Condition.READY, ready ? Condition.State.TRUE : Condition.State.FALSE, reason, why, now));
    return new ApplicationStatus(app.id(), 0, phase, conditions, resources, plan.problems(), denied, health,
        plan.notices());
  }

  /** The status of every submitted application, by id. */
  public Map<String, ApplicationStatus> statuses() {
    return reconciler.statuses();
  }

  /**
   * Enters continuous mode: starts the application controller, its watches on every registered
   * cluster and its periodic resync. Submitted applications are reconciled from now on. May be
   * called once.
   */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("the plane is closed");
    }
    if (controller != null) {
      throw new IllegalStateException("the plane is already started");
    }
    Set<GroupKind> kinds = new LinkedHashSet<>(BUILT_IN_KINDS);
    reconciler.submitted().forEach(id -> kinds.addAll(seenKinds.getOrDefault(id, Set.of())));
    Controller.Builder<String> builder = Controller.builder("orchestration-plane", reconciler)
        .workers(settings.workers)
        .clock(clock)
        .queue(settings.queue)
        .closeTimeout(settings.closeTimeout)
        .listener(reconciler)
        .eventSource(EventSources.resync(settings.resyncPeriod, EventSources.DEFAULT_RESYNC_JITTER,
            new Random(42), reconciler::submitted));
    // One watch per cluster, each retried on its own: an unreachable cluster must not keep the
    // plane from reconciling the others.
    List<GroupKind> watched = List.copyOf(kinds);
    for (ClusterRegistry.Entry entry : clusters.entries()) {
      builder.eventSource(EventSources.retrying(() -> EventSources.watch(entry.driver(), watched,
          EventSources.byLabel(Ownership.APPLICATION_LABEL, id -> id)), "watch of cluster " + entry.name()));
    }
    if (settings.scheduler != null) {
      builder.scheduler(settings.scheduler);
    }
    Controller<String> c = builder.build();
    c.start();
    watchedKinds.clear();
    watchedKinds.addAll(kinds);
    controller = c;
    c.enqueueAll(reconciler.submitted());
  }

  /**
   * In continuous mode, starts watches for kinds an application renders that the plane does not
   * watch yet (a custom type's StatefulSet, say), so their changes trigger reconciles at once
   * rather than at the next resync. A cluster whose watch fails is logged; resync covers it.
   */
  private void watchAlso(Set<GroupKind> kinds) {
    Controller<String> c = controller;
    if (c == null) {
      return;
    }
    List<GroupKind> missing = kinds.stream().filter(watchedKinds::add).sorted(
        java.util.Comparator.comparing(GroupKind::toString)).toList();
    if (missing.isEmpty()) {
      return;
    }
    for (ClusterRegistry.Entry entry : clusters.entries()) {
      try {
        laterWatches.add(entry.driver().watch(missing, event -> {
          String id = event.resource().label(Ownership.APPLICATION_LABEL);
          if (id != null && !id.isEmpty()) {
            c.enqueue(id);
          }
        }));
      } catch (RuntimeException e) {
        LOG.warn("could not watch {} on cluster {}; their changes are seen at the next resync: {}", missing,
            entry.name(), e.toString());
      }
    }
  }

  /** True between {@link #start()} and {@link #stop()} or {@link #close()}. */
  public boolean isStarted() {
    return controller != null;
  }

  /**
   * Leaves continuous mode without forgetting anything: the controller's threads end (in-flight
   * reconciles finish within the close timeout), submitted applications and their status stay,
   * and {@link #start()} resumes. What a replica does when it loses leadership.
   */
  public synchronized void stop() {
    Controller<String> c = controller;
    controller = null;
    for (AutoCloseable w : laterWatches) {
      try {
        w.close();
      } catch (Exception e) {
        LOG.warn("could not close a watch", e);
      }
    }
    laterWatches.clear();
    if (c != null) {
      c.close();
    }
  }

  /** Adds a listener at run time (e.g. operator mode's status writer); close the handle to remove it. */
  public AutoCloseable addListener(PlaneListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }

  /**
   * Adds or updates an application for continuous reconciliation, correcting drift. Validates
   * first: an invalid application throws {@code ValidationException} and changes nothing.
   * Returns the desired-state generation (bumped only when the application changed).
   */
  public long submit(Application app) {
    return submit(app, DriftPolicy.CORRECT);
  }

  /** Like {@link #submit(Application)} with a drift policy for this application. */
  public long submit(Application app, DriftPolicy driftPolicy) {
    if (closed) {
      throw new IllegalStateException("the plane is closed: submit to a new plane (build() another)");
    }
    validator.validate(app);
    claim(rendered(app));
    long generation = reconciler.submit(app, Objects.requireNonNull(driftPolicy, "driftPolicy"));
    Controller<String> c = controller;
    if (c != null) {
      c.enqueue(app.id());
    }
    return generation;
  }

  /**
   * Removes an application from continuous mode; its objects are pruned on every cluster, found
   * through each cluster's inventory. An application this plane never saw submitted (one a
   * restarted plane or another replica applied) is removed too.
   */
  public void remove(Application app) {
    if (closed) {
      throw new IllegalStateException("the plane is closed: remove through a new plane (build() another)");
    }
    if (reconciler.remove(app)) {
      Controller<String> c = controller;
      if (c != null) {
        c.enqueue(app.id());
      }
    }
  }

  /**
   * Reconciles queued applications on the calling thread until none is ready, for a plane built
   * with {@code workers(0)}; returns how many reconciles ran.
   */
  public int runPending() {
    Controller<String> c = controller;
    if (c == null) {
      throw new IllegalStateException("start() the plane first");
    }
    return c.runPending();
  }

  /** Waits until no application is queued or being reconciled; false on timeout. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    Controller<String> c = controller;
    return c == null || c.awaitIdle(timeout);
  }

  /**
   * Stops continuous mode: no new work is taken, in-flight reconciles finish within the close
   * timeout, and every thread the plane started ends. The cluster drivers stay open. Never exits
   * the JVM. Idempotent.
   */
  @Override
  public synchronized void close() {
    closed = true;
    stop();
    seenKinds.clear();
    renderCache.clear();
    observed.clear();
  }

  void emit(String application, PlaneEvent.Type type, String message) {
    if (listeners.isEmpty()) {
      return;
    }
    PlaneEvent event = new PlaneEvent(clock.instant(), application, type, message);
    for (PlaneListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
        LOG.warn("plane listener failed on {}", event, e); // a listener's bug never stops the plane
      }
    }
  }

  List<ResourceStatus> resourceStatuses(Plan plan) {
    long version = resultsVersion.get();
    Observed last = observed.get(plan.application());
    if (last != null && last.plan() == plan && last.resultsVersion() == version) {
      return last.resources();
    }
    List<ResourceStatus> resources = List.copyOf(assessStatuses(plan));
    observed.put(plan.application(), new Observed(plan, version, resources));
    return resources;
  }

  private List<ResourceStatus> assessStatuses(Plan plan) {
    List<ResourceStatus> resources = new ArrayList<>();
    for (Change c : plan.changes()) {
      boolean desired = c.type() != Change.Type.DELETE;
      boolean present = c.type() != Change.Type.CREATE;
      boolean inSync = c.type() == Change.Type.UNCHANGED;
      HealthStatus health = present ? settings.health.assess(c.live()) : HealthStatus.missing(c.key());
      resources.add(new ResourceStatus(c.key(), c.environment(), desired, present, inSync, c.diffs(),
          lastResults.get(c.key()), health));
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
                lastResults.get(key), HealthStatus.unknown("cluster " + problem.cluster() + " is unreachable")));
          }
        }
      }
    }
    return resources;
  }

  private void record(ExecutionResult result) {
    for (Outcome o : result.outcomes()) {
      switch (o.status()) {
        case APPLIED -> lastResults.put(o.change().key(), o.change().type() == Change.Type.CREATE ? "created" : "updated");
        case DELETED -> lastResults.remove(o.change().key());
        case FAILED -> lastResults.put(o.change().key(), "failed: " + o.message());
        case CONFLICT -> lastResults.put(o.change().key(), "conflict: " + o.message());
        case WAITING -> lastResults.put(o.change().key(), "waiting: " + o.message());
        default -> { }
      }
    }
    if (!result.outcomes().isEmpty()) {
      resultsVersion.incrementAndGet(); // after the change: a reader never keeps old results under the new version
    }
  }

  private Set<GroupKind> managedKinds(String applicationId) {
    Set<GroupKind> kinds = new LinkedHashSet<>(BUILT_IN_KINDS);
    kinds.addAll(seenKinds.getOrDefault(applicationId, Set.of()));
    return kinds;
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
    Set<String> inProgress = new java.util.HashSet<>();
    java.util.ArrayDeque<String> stack = new java.util.ArrayDeque<>();
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
    return rank;
  }
}
