package io.orchestrationplane.core;

import io.orchestrationplane.core.access.AccessControl;
import io.orchestrationplane.core.access.AccessDeniedException;
import io.orchestrationplane.core.access.Action;
import io.orchestrationplane.core.access.Project;
import io.orchestrationplane.core.access.ProjectViolationException;
import io.orchestrationplane.core.access.Projects;
import io.orchestrationplane.core.admit.AdmissionDeniedException;
import io.orchestrationplane.core.admit.PolicyGate;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.ExecutionStrategy;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterRegistry;
import io.orchestrationplane.core.cluster.WritePermit;
import io.orchestrationplane.core.health.HealthAssessors;
import io.orchestrationplane.core.internal.ApplicationReconciler;
import io.orchestrationplane.core.internal.ContinuousMode;
import io.orchestrationplane.core.internal.Pipeline;
import io.orchestrationplane.core.internal.PlaneSettings;
import io.orchestrationplane.core.internal.ReadinessWait;
import io.orchestrationplane.core.kind.KindCatalog;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.DriftPolicy;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.core.observe.PlaneListener;
import io.orchestrationplane.core.observe.PlaneObserver;
import io.orchestrationplane.core.observe.PlaneRecord;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.plan.DiffSettings;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.reconcile.EventSources;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.reconcile.WorkQueue;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.release.Revision;
import io.orchestrationplane.core.release.RevisionDiff;
import io.orchestrationplane.core.release.RevisionNotFoundException;
import io.orchestrationplane.core.render.ComponentType;
import io.orchestrationplane.core.render.TraitType;
import io.orchestrationplane.core.render.TypeRegistry;
import io.orchestrationplane.core.resource.Redactor;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.WaitResult;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.policy.PolicyEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

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
 * <p>Revisions: every change {@link #apply(Application) applied} (or, once submitted, applied by
 * continuous mode) is kept as a numbered {@link Revision} in the plane's {@link StateStore}, with
 * the digest of its rendered desired state, who made it, when and from what ({@link Origin}),
 * and the policy notices it passed. See docs/delivery.md.
 *
 * <pre>{@code
 * plane.apply(app, alice, Origin.git("https://git.example.com/shop.git", "3f9c2a1", "shop.yaml"));
 * plane.history("shop.checkout");               // newest first
 * plane.diff("shop.checkout", 3, 4).toText();   // field by field, secrets as digests
 * plane.rollback("shop.checkout", "3");         // through admission, recorded as "rollback of 3"
 * }</pre>
 *
 * <p>Governance: every call carries a {@link Subject} (the builder's {@link Builder#subject} when
 * it names none) and is asked of the {@link Builder#accessControl access control} first (an
 * {@link Action} on the application, per environment); an application is checked against its
 * {@link Builder#projects project}'s fence on what it renders. A refusal throws {@link
 * AccessDeniedException} or {@link ProjectViolationException}, reaches observers as a {@link
 * PlaneRecord.Refused} and writes nothing. See docs/governance.md.
 *
 * <p>Thread-safe. It does not own the cluster drivers it is given, nor a state store passed to
 * {@link Builder#stateStore}: closing the plane stops the controller and leaves them open.
 */
public final class OrchestrationPlane implements AutoCloseable {
  private final PlaneSettings settings;
  private final Pipeline pipeline;
  private final ApplicationReconciler reconciler;
  private final ContinuousMode continuous;
  private final ReadinessWait waits;
  /** The plane's own state store, closed with the plane; null when the caller passed one. */
  private final StateStore ownStore;
  private volatile boolean closed;

  private OrchestrationPlane(PlaneSettings settings, StateStore ownStore) {
    this.settings = settings;
    this.ownStore = ownStore;
    this.pipeline = new Pipeline(settings);
    this.reconciler = new ApplicationReconciler(pipeline, settings);
    this.continuous = new ContinuousMode(settings, pipeline, reconciler);
    this.waits = new ReadinessWait(pipeline, settings);
  }

  /** How many revisions are kept per application unless {@link Builder#revisionHistoryLimit} says otherwise. */
  public static final int DEFAULT_REVISION_HISTORY_LIMIT = 10;

  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link OrchestrationPlane}. */
  public static final class Builder {
    private final ClusterRegistry.Builder clusters = ClusterRegistry.builder();
    private Clock clock = Clock.systemUTC();
    private TypeRegistry.Builder types = TypeRegistry.builder();
    private final List<PlaneObserver> observers = new ArrayList<>();
    private boolean logging = true;
    private Subject subject = Subject.local();
    private ExecutionStrategy strategy = ExecutionStrategy.allAtOnce();
    private KindCatalog kinds = KindCatalog.defaults();
    private int workers = 2 * Runtime.getRuntime().availableProcessors();
    private @Nullable Scheduler scheduler;
    private WorkQueue.Config queue = WorkQueue.Config.defaults();
    private Duration resyncPeriod = EventSources.DEFAULT_RESYNC_PERIOD;
    private Duration closeTimeout = Duration.ofSeconds(30);
    private @Nullable HealthAssessors health;
    private boolean readinessGates = true;
    private Duration progressDeadline = Duration.ofMinutes(10);
    private @Nullable PolicyGate policies;
    private @Nullable Redactor redactor;
    private DiffSettings diff = DiffSettings.defaults();
    private boolean stopOnFirstFailure;
    private WritePermit writePermit = WritePermit.ALWAYS;
    private int maxCorrections = 5;
    private Duration correctionWindow = Duration.ofMinutes(10);
    private Duration minCorrectionInterval = Duration.ofSeconds(1);
    private StateStore stateStore;
    private int revisionHistoryLimit = DEFAULT_REVISION_HISTORY_LIMIT;
    private AccessControl accessControl = AccessControl.allowAll();
    private @Nullable Projects projects;
    private io.orchestrationplane.core.plan.PruneBreaker pruneBreaker = io.orchestrationplane.core.plan.PruneBreaker.defaults();

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
      return observer(eventsTo(Objects.requireNonNull(listener, "listener")));
    }

    /**
     * Receives a typed record of every step: plans admitted or denied, each write, each
     * execution, and continuous mode's events (the seam for audit, metrics and events).
     */
    public Builder observer(PlaneObserver observer) {
      observers.add(Objects.requireNonNull(observer, "observer"));
      return this;
    }

    /** Whether the plane logs through SLF4J ({@link PlaneObserver#logging()}; default true). */
    public Builder logging(boolean value) {
      this.logging = value;
      return this;
    }

    /** Who acts on calls that name no subject (default {@link Subject#local()}). */
    public Builder subject(Subject value) {
      this.subject = Objects.requireNonNull(value, "subject");
      return this;
    }

    /** How admitted plans are executed (default {@link ExecutionStrategy#allAtOnce()}). */
    public Builder executionStrategy(ExecutionStrategy value) {
      this.strategy = Objects.requireNonNull(value, "strategy");
      return this;
    }

    /**
     * What the plane knows about kinds: scope, apply order, health, what is watched and pruned
     * (default {@link KindCatalog#defaults()}). The kinds the component and trait types declare
     * are added as watched and pruned at {@link #build()}.
     */
    public Builder kinds(KindCatalog value) {
      this.kinds = Objects.requireNonNull(value, "kinds");
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

    /** How objects' health is assessed (default: the kind catalogue's, the built-in assessors); replaces the catalogue's. */
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
    public Builder diff(DiffSettings value) {
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
    public Builder writePermit(WritePermit value) {
      this.writePermit = Objects.requireNonNull(value, "writePermit");
      return this;
    }

    /**
     * Where the plane keeps revisions (default: an in-memory store of its own, gone with the
     * plane). Pass {@code StateStore.directory(path)} to keep history across restarts; planes
     * sharing one store share history and never lose or duplicate a revision number. The plane
     * never closes a store passed here: close it after the planes using it.
     */
    public Builder stateStore(StateStore value) {
      this.stateStore = Objects.requireNonNull(value, "stateStore");
      return this;
    }

    /**
     * How many revisions are kept per application (default {@value
     * OrchestrationPlane#DEFAULT_REVISION_HISTORY_LIMIT}, as Argo CD and Kubernetes Deployments);
     * recording one more prunes the oldest. At least 1 and at most 10,000.
     */
    public Builder revisionHistoryLimit(int value) {
      if (value < 1 || value > 10_000) {
        throw new IllegalArgumentException("revisionHistoryLimit must be between 1 and 10000, was " + value);
      }
      this.revisionHistoryLimit = value;
      return this;
    }

    /**
     * Who may do what: asked with the subject of every call before anything is read or written
     * (default {@link AccessControl#allowAll()}); {@link io.orchestrationplane.core.access.RbacPolicy}
     * reads Argo CD RBAC policy CSV. Continuous mode's reconciles act for whoever submitted and are
     * not asked again.
     */
    public Builder accessControl(AccessControl value) {
      this.accessControl = Objects.requireNonNull(value, "accessControl");
      return this;
    }

    /**
     * The projects that fence tenants in (default: none, every application in project {@code
     * default}, unfenced). With projects, an application belongs to the first whose application
     * namespaces match its namespace, and one of no project is refused; what it renders is checked
     * against its project before admission.
     */
    public Builder projects(Projects value) {
      this.projects = Objects.requireNonNull(value, "projects");
      return this;
    }

    /**
     * How much one change may delete (default {@link io.orchestrationplane.core.plan.PruneBreaker#defaults()}:
     * one object always, at most half of an application's objects, never all of them because its
     * desired state became empty). A change past it is refused with nothing written unless applied
     * or submitted with {@link io.orchestrationplane.core.plan.PruneConsent#CONFIRMED}; removing an
     * application ({@code delete}, {@code remove}) is not guarded. See docs/safety.md.
     */
    public Builder pruneBreaker(io.orchestrationplane.core.plan.PruneBreaker value) {
      this.pruneBreaker = Objects.requireNonNull(value, "pruneBreaker");
      return this;
    }

    /** {@link #projects(Projects)} of these projects, in this order. */
    public Builder projects(Project... value) {
      return projects(Projects.of(value));
    }

    /**
     * Builds the plane. Everything is captured now: changing this builder afterwards changes no
     * plane built from it.
     */
    public OrchestrationPlane build() {
      TypeRegistry registry = types.build();
      KindCatalog.Builder catalog = kinds.toBuilder().manage(registry.renderedKinds());
      if (health != null) {
        catalog.health(health);
      }
      List<PlaneObserver> all = new ArrayList<>();
      if (logging) {
        all.add(PlaneObserver.logging());
      }
      all.addAll(observers);
      StateStore own = stateStore == null ? StateStore.inMemory() : null;
      return new OrchestrationPlane(new PlaneSettings(clusters.build(), clock, registry, catalog.build(), all, workers,
          scheduler, queue, resyncPeriod, closeTimeout, readinessGates, progressDeadline, policies,
          redactor != null ? redactor : Redactor.random(), diff, stopOnFirstFailure, writePermit, maxCorrections,
          correctionWindow, minCorrectionInterval, subject, strategy, own != null ? own : stateStore,
          revisionHistoryLimit, accessControl, projects, pruneBreaker), own);
    }
  }

  /** An observer that passes continuous mode's events to a listener. */
  private static PlaneObserver eventsTo(PlaneListener listener) {
    return new PlaneObserver() {
      @Override
      public void observe(PlaneRecord record) {
        if (record instanceof PlaneEvent event) {
          listener.onEvent(event);
        }
      }

      @Override
      public String toString() {
        return "listener " + listener;
      }
    };
  }

  public ClusterRegistry clusters() {
    return settings.clusters();
  }

  /** What the plane asks before every write. */
  public WritePermit writePermit() {
    return settings.writePermit();
  }

  public TypeRegistry types() {
    return settings.types();
  }

  /** What the plane knows about kinds, the types' declared kinds included. */
  public KindCatalog kinds() {
    return settings.kinds();
  }

  public Clock clock() {
    return settings.clock();
  }

  /** The objects' health assessors. */
  public HealthAssessors health() {
    return settings.kinds().health();
  }

  /** Who acts on calls that name no subject. */
  public Subject subject() {
    return settings.subject();
  }

  /** Who may do what ({@link AccessControl#allowAll()} unless built with one). */
  public AccessControl accessControl() {
    return settings.accessControl();
  }

  /** The projects, when the plane was built with some. */
  public Optional<Projects> projects() {
    return Optional.ofNullable(settings.projects());
  }

  /** The project an application id belongs to, when the plane has projects and one takes it. */
  public Optional<Project> project(String applicationId) {
    return pipeline.project(applicationId);
  }

  /**
   * Asks the {@link Builder#accessControl access control} (and the projects) whether {@code
   * subject} may do {@code action} with an application, as the plane's own calls do: once for the
   * application when {@code environments} is empty, else once per environment. For modules that
   * gate their own calls (release management asks {@link Action#APPROVE} and {@link
   * Action#OVERRIDE}). A refusal reaches observers as a {@link PlaneRecord.Refused} and throws
   * {@link AccessDeniedException} (or {@link ProjectViolationException} when the application
   * belongs to no project).
   *
   * @param applicationId {@code <namespace>.<name>}
   */
  public void authorize(Subject subject, Action action, String applicationId, java.util.Collection<String> environments) {
    pipeline.authorize(Objects.requireNonNull(subject, "subject"), Objects.requireNonNull(action, "action"),
        Objects.requireNonNull(applicationId, "applicationId"), List.copyOf(environments));
  }

  /**
   * Tells the plane's observers (the audit log among them) of a decision on a gate of release
   * management. Call it only once the decision was {@link #authorize authorized} and recorded.
   */
  public void recordApproval(PlaneRecord.Approval approval) {
    pipeline.emit(Objects.requireNonNull(approval, "approval"));
  }

  /**
   * Tells the plane's observers (metrics among them) that a step of a release management workflow
   * finished. Call it once per step, after the write that recorded its end succeeded.
   */
  public void recordStep(PlaneRecord.StepFinished step) {
    pipeline.emit(Objects.requireNonNull(step, "step"));
  }

  /**
   * Decodes and validates an application from YAML or JSON; problems carry field paths, lines and
   * columns.
   */
  public Application load(String yamlOrJson) {
    return pipeline.load(yamlOrJson);
  }

  /** Validates an application, throwing a {@code ValidationException} that lists every problem. */
  public Application validate(Application app) {
    return pipeline.validate(app);
  }

  /** The environments an application deploys to: its own, or one {@code default} environment everywhere. */
  public static List<Environment> environments(Application app) {
    return Pipeline.environments(app);
  }

  /** Validates and renders every environment, without touching a cluster. */
  public Map<String, List<Resource>> render(Application app) {
    return pipeline.render(app);
  }

  /**
   * Validates, renders and compares with the clusters: a dry run that writes nothing. Throws
   * {@code ValidationException} naming both owners when an object it renders belongs to another
   * submitted application.
   */
  public Plan plan(Application app) {
    return plan(app, settings.subject());
  }

  /** {@link #plan(Application)} on behalf of {@code subject}. */
  public Plan plan(Application app, Subject subject) {
    pipeline.authorize(Objects.requireNonNull(subject, "subject"), Action.PLAN, app);
    return pipeline.plan(app, subject);
  }

  /** The plan that removes everything the application owns, on every cluster. */
  public Plan planDelete(Application app) {
    return planDelete(app, settings.subject());
  }

  /** {@link #planDelete(Application)} on behalf of {@code subject}. */
  public Plan planDelete(Application app, Subject subject) {
    pipeline.authorize(Objects.requireNonNull(subject, "subject"), Action.PLAN, app);
    return pipeline.planDelete(app, subject);
  }

  /** Plans and executes: creates, updates and prunes until the clusters hold the desired state. */
  public ExecutionResult apply(Application app) {
    return apply(app, settings.subject());
  }

  /** {@link #apply(Application)} on behalf of {@code subject}. */
  public ExecutionResult apply(Application app, Subject subject) {
    return apply(app, subject, Origin.code());
  }

  /**
   * {@link #apply(Application)} on behalf of {@code subject}, for a desired state that came from
   * {@code origin}. When no write failed, the change is recorded as a new {@link Revision} (none
   * when its rendered desired state is the newest revision's); a plan denied by admission records
   * nothing. A revision that would not fit the state store is refused before anything is written.
   * The revision is recorded before observers hear that the plan was executed, and the result's
   * {@link ExecutionResult#revision()} is its number (0 when none was recorded).
   */
  public ExecutionResult apply(Application app, Subject subject, Origin origin) {
    return apply(app, subject, origin, io.orchestrationplane.core.plan.PruneConsent.GUARDED);
  }

  /**
   * {@link #apply(Application, Subject, Origin)}; with {@link
   * io.orchestrationplane.core.plan.PruneConsent#CONFIRMED} the change may delete past the prune
   * circuit breaker. Without, a change that deletes too much throws {@link
   * io.orchestrationplane.core.plan.PruneRefusedException} naming the counts, having written nothing.
   */
  public ExecutionResult apply(Application app, Subject subject, Origin origin,
      io.orchestrationplane.core.plan.PruneConsent consent) {
    pipeline.authorize(Objects.requireNonNull(subject, "subject"), Action.SYNC, app);
    return pipeline.apply(app, subject, Objects.requireNonNull(origin, "origin"), Objects.requireNonNull(consent, "consent"));
  }

  /** The prune circuit breaker every apply goes through. */
  public io.orchestrationplane.core.plan.PruneBreaker pruneBreaker() {
    return settings.pruneBreaker();
  }

  /** How often {@link #applyAndWait} checks again, on the plane's clock and scheduler. */
  public static final Duration WAIT_INTERVAL = Duration.ofSeconds(2);

  /**
   * Applies {@code app} and waits until every placed cluster holds it healthy and in sync (as the
   * health assessors decide), a write fails, or {@code timeout} passes on the plane's clock; a
   * timeout names every object still waiting, with its cluster and health message. Changes held
   * back by readiness gates are applied in the rounds that follow, every {@link #WAIT_INTERVAL},
   * once their dependencies are healthy. Recorded as a {@link Revision} like {@link
   * #apply(Application)}. Validation and admission errors are thrown at once, nothing written.
   *
   * <pre>{@code
   * WaitResult done = plane.applyAndWait(app, Duration.ofMinutes(5));
   * if (!done.isReady()) {
   *   System.err.print(done.toText());  // timed out after 5m: ... prod: Deployment shop/api: PROGRESSING: ...
   * }
   * }</pre>
   *
   * <p>Blocks the calling thread while the plane's scheduler runs the rounds; a plane on a {@link
   * ManualClock} refuses (nothing would advance the clock while the thread waits): use {@link
   * #applyAndWaitAsync} and advance the clock.
   */
  public WaitResult applyAndWait(Application app, Duration timeout) {
    return applyAndWait(app, timeout, settings.subject(), Origin.code());
  }

  /** {@link #applyAndWait(Application, Duration)} on behalf of {@code subject}, for a desired state from {@code origin}. */
  public WaitResult applyAndWait(Application app, Duration timeout, Subject subject, Origin origin) {
    if (settings.clock() instanceof ManualClock) {
      throw new IllegalStateException("this plane runs on a ManualClock, which nothing advances while applyAndWait "
          + "blocks: call applyAndWaitAsync and advance the clock (a TestEnvironment's settle() or advance())");
    }
    return applyAndWaitAsync(app, timeout, subject, origin).join();
  }

  /**
   * {@link #applyAndWait(Application, Duration)} without blocking: applies now on the calling
   * thread, then completes the future from the plane's scheduler. In tests on a manual scheduler
   * the rounds run as the clock advances.
   */
  public CompletableFuture<WaitResult> applyAndWaitAsync(Application app, Duration timeout) {
    return applyAndWaitAsync(app, timeout, settings.subject(), Origin.code());
  }

  /** {@link #applyAndWaitAsync(Application, Duration)} on behalf of {@code subject}, for a desired state from {@code origin}. */
  public CompletableFuture<WaitResult> applyAndWaitAsync(Application app, Duration timeout, Subject subject,
      Origin origin) {
    if (closed) {
      throw new IllegalStateException("the plane is closed");
    }
    return waits.start(app, Objects.requireNonNull(subject, "subject"), Objects.requireNonNull(origin, "origin"),
        timeout, WAIT_INTERVAL);
  }

  /**
   * Executes a reviewed plan; refused with {@code StalePlanException} (nothing written) when the
   * clusters changed since it was computed. Every write is admitted again against the plane's
   * policies first (a plan made elsewhere, or by hand, cannot bypass them): a Deny throws
   * {@link AdmissionDeniedException} and nothing is written. A plan read back with {@link
   * Plan#fromJson} is applied as {@link #apply(Application, Plan)} with the submitted (or last
   * planned) application of its id. Records no {@link Revision}: a plan holds rendered objects,
   * not the application a rollback renders again; apply the application (or {@link
   * #apply(Application, Plan)}) to keep history.
   */
  public ExecutionResult apply(Plan plan) {
    return apply(plan, settings.subject());
  }

  /** {@link #apply(Plan)} on behalf of {@code subject}. */
  public ExecutionResult apply(Plan plan, Subject subject) {
    Objects.requireNonNull(subject, "subject");
    pipeline.authorize(subject, Action.SYNC, plan.application(),
        plan.changes().stream().map(c -> c.environment()).filter(e -> e != null && !e.isEmpty()).toList());
    return pipeline.apply(plan, subject);
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
    return apply(app, reviewed, settings.subject());
  }

  /** {@link #apply(Application, Plan)} on behalf of {@code subject}. */
  public ExecutionResult apply(Application app, Plan reviewed, Subject subject) {
    return apply(app, reviewed, subject, Origin.code());
  }

  /**
   * {@link #apply(Application, Plan)} on behalf of {@code subject} for a desired state from
   * {@code origin}, recorded as a {@link Revision} like {@link #apply(Application, Subject, Origin)}.
   */
  public ExecutionResult apply(Application app, Plan reviewed, Subject subject, Origin origin) {
    return apply(app, reviewed, subject, origin, io.orchestrationplane.core.plan.PruneConsent.GUARDED);
  }

  /**
   * {@link #apply(Application, Plan, Subject, Origin)}; with {@link
   * io.orchestrationplane.core.plan.PruneConsent#CONFIRMED} the reviewed change may delete past the
   * prune circuit breaker.
   */
  public ExecutionResult apply(Application app, Plan reviewed, Subject subject, Origin origin,
      io.orchestrationplane.core.plan.PruneConsent consent) {
    pipeline.authorize(Objects.requireNonNull(subject, "subject"), Action.SYNC, app);
    return pipeline.apply(app, reviewed, subject, Objects.requireNonNull(origin, "origin"),
        Objects.requireNonNull(consent, "consent"));
  }

  /**
   * Deletes everything the application owns, on every cluster, then its inventory: plans and
   * deletes again until a plan finds nothing left to delete (or a write fails). The result holds
   * every round's outcomes and the last round's plan: the removal is complete when {@link
   * #isRemoved(ExecutionResult)} says so; otherwise that plan says what is left (objects still
   * being deleted, unreadable clusters). Objects marked keep-on-remove stay and are listed in
   * the plan as kept.
   */
  public ExecutionResult delete(Application app) {
    return delete(app, settings.subject());
  }

  /** {@link #delete(Application)} on behalf of {@code subject}. */
  public ExecutionResult delete(Application app, Subject subject) {
    pipeline.authorize(Objects.requireNonNull(subject, "subject"), Action.DELETE, app);
    return pipeline.delete(app, subject);
  }

  /**
   * True when a {@link #delete} removed everything: every write succeeded, and its last plan found
   * every cluster readable, nothing left to delete and nothing still being deleted.
   */
  public static boolean isRemoved(ExecutionResult deletion) {
    return Pipeline.isRemoved(deletion);
  }

  /**
   * The application's status. For a {@link #submit submitted} application: as of its last
   * reconcile (phase, conditions with transition times, per-object sync state, last error). For
   * any other: computed now by planning against the clusters (a read-only dry run).
   */
  public ApplicationStatus status(Application app) {
    return status(app, settings.subject());
  }

  /** {@link #status(Application)} on behalf of {@code subject}, who needs {@link Action#GET}. */
  public ApplicationStatus status(Application app, Subject subject) {
    pipeline.authorize(Objects.requireNonNull(subject, "subject"), Action.GET, app.id(), List.of());
    Optional<ApplicationStatus> recorded = reconciler.status(app.id());
    return recorded.isPresent() ? recorded.get() : pipeline.status(app, subject);
  }

  /** The status of every submitted application, by id (those the plane's subject may {@link Action#GET get}). */
  public Map<String, ApplicationStatus> statuses() {
    return statuses(settings.subject());
  }

  /**
   * The status of every submitted application {@code subject} may {@link Action#GET get}, by id:
   * like Argo CD's application list, the others are left out rather than refused.
   */
  public Map<String, ApplicationStatus> statuses(Subject subject) {
    Objects.requireNonNull(subject, "subject");
    Map<String, ApplicationStatus> all = reconciler.statuses();
    if (settings.accessControl() == AccessControl.allowAll() && settings.projects() == null) {
      return all;
    }
    Map<String, ApplicationStatus> out = new TreeMap<>();
    all.forEach((id, status) -> {
      if (pipeline.allows(subject, Action.GET, id)) {
        out.put(id, status);
      }
    });
    return java.util.Collections.unmodifiableMap(out);
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
    continuous.start();
  }

  /** True between {@link #start()} and {@link #stop()} or {@link #close()}. */
  public boolean isStarted() {
    return continuous.isStarted();
  }

  /**
   * Leaves continuous mode without forgetting anything: the controller's threads end (in-flight
   * reconciles finish within the close timeout), submitted applications and their status stay,
   * and {@link #start()} resumes. What a replica does when it loses leadership.
   */
  public synchronized void stop() {
    continuous.stop();
  }

  /**
   * Queues these applications for a reconcile now, in continuous mode (ignored when the plane is
   * not started; unknown ids are reconciled as "nothing to do"). What a replica does when its
   * {@link WritePermit} starts allowing writes for applications it skipped, e.g. a shard taken over.
   */
  public void requeue(java.util.Collection<String> applicationIds) {
    for (String id : applicationIds) {
      continuous.enqueue(Objects.requireNonNull(id, "applicationId"));
    }
  }

  /** Adds a listener at run time (e.g. operator mode's status writer); close the handle to remove it. */
  public AutoCloseable addListener(PlaneListener listener) {
    return pipeline.addObserver(eventsTo(Objects.requireNonNull(listener, "listener")));
  }

  /** Adds an observer at run time; close the handle to remove it. */
  public AutoCloseable addObserver(PlaneObserver observer) {
    return pipeline.addObserver(observer);
  }

  /**
   * Adds or updates an application for continuous reconciliation, correcting drift. Validates
   * first: an invalid application throws {@code ValidationException} and changes nothing.
   * Returns the desired-state generation (bumped only when the application changed).
   */
  public long submit(Application app) {
    return submit(app, DriftPolicy.CORRECT, settings.subject());
  }

  /** Like {@link #submit(Application)} with a drift policy for this application. */
  public long submit(Application app, DriftPolicy driftPolicy) {
    return submit(app, driftPolicy, settings.subject());
  }

  /**
   * Like {@link #submit(Application, DriftPolicy)} on behalf of {@code subject}: continuous mode
   * acts for it (its records and events name it) until the application is submitted again.
   */
  public long submit(Application app, DriftPolicy driftPolicy, Subject subject) {
    return submit(app, driftPolicy, subject, Origin.code());
  }

  /**
   * Like {@link #submit(Application, DriftPolicy, Subject)} for a desired state from {@code
   * origin}: once continuous mode has applied a new generation without a failed write, it is
   * recorded as a {@link Revision} (none when it is the newest revision's desired state).
   */
  public long submit(Application app, DriftPolicy driftPolicy, Subject subject, Origin origin) {
    return submit(app, driftPolicy, subject, origin, io.orchestrationplane.core.plan.PruneConsent.GUARDED);
  }

  /**
   * {@link #submit(Application, DriftPolicy, Subject, Origin)}; with {@link
   * io.orchestrationplane.core.plan.PruneConsent#CONFIRMED} continuous mode may delete past the
   * prune circuit breaker for this desired state (until the application is submitted again).
   * Without, a reconcile that would delete too much writes nothing and status is DEGRADED with
   * reason {@code PruneRefused} naming the counts.
   */
  public long submit(Application app, DriftPolicy driftPolicy, Subject subject, Origin origin,
      io.orchestrationplane.core.plan.PruneConsent consent) {
    Objects.requireNonNull(consent, "consent");
    if (closed) {
      throw new IllegalStateException("the plane is closed: submit to a new plane (build() another)");
    }
    pipeline.authorize(Objects.requireNonNull(subject, "subject"), Action.SYNC, app);
    pipeline.claim(app, subject);
    pipeline.checkRevision(app, subject, Objects.requireNonNull(origin, "origin"), consent);
    long generation = reconciler.submit(app, Objects.requireNonNull(driftPolicy, "driftPolicy"), subject, origin);
    continuous.enqueue(app.id());
    return generation;
  }

  /**
   * One application of {@link #submitAll}: its desired state and where it came from.
   *
   * @param application the application
   * @param origin where its desired state came from (a file, a Git commit), recorded in its revision
   */
  public record Submission(Application application, Origin origin) {
    public Submission {
      Objects.requireNonNull(application, "application");
      Objects.requireNonNull(origin, "origin");
    }
  }

  /**
   * Submits a set of applications as one change, or none of them: every application is
   * validated, authorized, rendered and checked against its project first, and the objects of the
   * whole set against the objects every other submitted application renders (an object may move
   * from one application of the set to another in the same change; two applications of the set
   * may not render the same object). Only when all pass is any of them submitted, each as {@link
   * #submit(Application, DriftPolicy, Subject, Origin)} would. What a Git commit or a generator
   * yields is such a set: applied whole, or refused with nothing half-applied.
   *
   * <p>Throws as {@code submit} does ({@code ValidationException} naming the application and the
   * objects, an access or project refusal), and {@link IllegalArgumentException} when two
   * submissions have the same application id; nothing is submitted then.
   *
   * @return each application's desired-state generation, in the order given
   */
  public List<Long> submitAll(List<Submission> submissions, DriftPolicy driftPolicy, Subject subject) {
    Objects.requireNonNull(submissions, "submissions");
    Objects.requireNonNull(driftPolicy, "driftPolicy");
    Objects.requireNonNull(subject, "subject");
    if (closed) {
      throw new IllegalStateException("the plane is closed: submit to a new plane (build() another)");
    }
    List<Application> apps = new ArrayList<>(submissions.size());
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (Submission s : submissions) {
      Objects.requireNonNull(s, "submission");
      if (!ids.add(s.application().id())) {
        throw new IllegalArgumentException("application " + s.application().id() + " is submitted twice in one set");
      }
      apps.add(s.application());
    }
    for (Application app : apps) {
      pipeline.authorize(subject, Action.SYNC, app);
    }
    // every revision prepared before anything is claimed, and recorded after: one that fails (an
    // unreadable history) leaves no claim and no record behind, and nothing submitted
    List<Runnable> records = new ArrayList<>(submissions.size());
    for (Submission s : submissions) {
      records.add(pipeline.prepareCheck(s.application(), subject, s.origin(),
          io.orchestrationplane.core.plan.PruneConsent.GUARDED));
    }
    pipeline.claimAll(apps, subject);
    records.forEach(Runnable::run);
    List<Long> generations = new ArrayList<>(submissions.size());
    for (Submission s : submissions) {
      Application app = s.application();
      generations.add(reconciler.submit(app, driftPolicy, subject, s.origin()));
      continuous.enqueue(app.id());
    }
    return List.copyOf(generations);
  }

  // ---- revisions

  /**
   * The kept revisions of an application, newest first (at most the history limit); empty when it
   * has none. Throws {@link io.orchestrationplane.core.state.CorruptStateException} naming the
   * damaged revision when one cannot be read: nothing is half-read, and other applications'
   * history is unaffected.
   *
   * @param applicationId {@code <namespace>.<name>}
   */
  public List<Revision> history(String applicationId) {
    return history(applicationId, settings.subject());
  }

  /** {@link #history(String)} on behalf of {@code subject}, who needs {@link Action#GET}. */
  public List<Revision> history(String applicationId, Subject subject) {
    pipeline.authorize(Objects.requireNonNull(subject, "subject"), Action.GET, applicationId, List.of());
    return pipeline.revisions().history(applicationId);
  }

  /**
   * The number of the newest kept revision of an application, 0 when it has none: {@code
   * history(applicationId).get(0).number()} without decoding the revisions (what a caller that
   * just applied needs to remember the revision it may roll back to, when the apply recorded none:
   * otherwise {@link ExecutionResult#revision()} says it). Needs {@link Action#GET}
   * for the plane's subject, as {@link #history(String)}.
   */
  public long newestRevisionNumber(String applicationId) {
    pipeline.authorize(settings.subject(), Action.GET, applicationId, List.of());
    return pipeline.revisions().newestNumber(applicationId);
  }

  /** The revision with this number, when it is kept. */
  public Optional<Revision> revision(String applicationId, long number) {
    return revision(applicationId, number, settings.subject());
  }

  /** {@link #revision(String, long)} on behalf of {@code subject}, who needs {@link Action#GET}. */
  public Optional<Revision> revision(String applicationId, long number, Subject subject) {
    pipeline.authorize(Objects.requireNonNull(subject, "subject"), Action.GET, applicationId, List.of());
    return pipeline.revisions().revision(applicationId, number);
  }

  /**
   * What changed in the rendered desired state from revision {@code from} to revision {@code
   * to}, field by field in the types plans use, Secret data and sensitive values as keyed digests.
   * Both models are rendered with this plane's types and clusters. Throws {@link
   * RevisionNotFoundException} when either is not kept.
   */
  public RevisionDiff diff(String applicationId, long from, long to) {
    return diff(applicationId, from, to, settings.subject());
  }

  /** {@link #diff(String, long, long)} on behalf of {@code subject}, who needs {@link Action#GET}. */
  public RevisionDiff diff(String applicationId, long from, long to, Subject subject) {
    pipeline.authorize(Objects.requireNonNull(subject, "subject"), Action.GET, applicationId, List.of());
    return pipeline.diff(applicationId, from, to);
  }

  /**
   * What changes in the rendered desired state from one version of an application to another
   * (two files of it, say, or two Git commits), field by field as {@link #diff(String, long, long)}
   * shows revisions, without a cluster or a revision: both are validated and rendered with this
   * plane's types and clusters; the diff's revision numbers are 0. Throws {@code
   * ValidationException} for an invalid version and {@link IllegalArgumentException} when the two
   * are not the same application (namespace and name).
   */
  public RevisionDiff diff(Application from, Application to) {
    return pipeline.diff(Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to"));
  }

  /** {@link #rollback(String, String, Subject)} by the plane's subject. */
  public ExecutionResult rollback(String applicationId, String revision) {
    return rollback(applicationId, revision, settings.subject());
  }

  /** {@link #rollback(String, String, Subject)} to a revision number. */
  public ExecutionResult rollback(String applicationId, long revision) {
    return rollback(applicationId, Long.toString(revision), settings.subject());
  }

  /** {@link #rollback(String, String, Subject)} to a revision number. */
  public ExecutionResult rollback(String applicationId, long revision, Subject subject) {
    return rollback(applicationId, Long.toString(revision), subject);
  }

  /**
   * Applies a kept revision's desired state again (Helm's rollback): its application is
   * validated, rendered, planned and admitted by today's policies like any change (a policy added
   * since can deny it), then executed; when no write failed a new revision is recorded whose
   * origin is {@link Origin#rollbackOf rollback of} that revision (none when it is the newest
   * revision's desired state already).
   *
   * @param revision its number ({@code "3"}) or full digest ({@code "sha256:..."}; the newest with it)
   * @throws RevisionNotFoundException naming the application and revision when it was pruned or never existed
   * @throws IllegalStateException with nothing written when the application is submitted to
   *     continuous mode (submit the revision's {@link Revision#model() model} instead), or when the
   *     revision's model no longer renders to its digest (its types or clusters changed)
   */
  public ExecutionResult rollback(String applicationId, String revision, Subject subject) {
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(subject, "subject");
    if (reconciler.isSubmitted(applicationId)) {
      throw new IllegalStateException("application " + applicationId + " is submitted to continuous mode, which "
          + "would undo a rollback: submit the revision's model instead (plane.submit(plane.revision(id, n)"
          + ".orElseThrow().model(), ...)); nothing was written");
    }
    return pipeline.rollback(applicationId, revision, subject);
  }

  /**
   * Removes an application from continuous mode; its objects are pruned on every cluster, found
   * through each cluster's inventory. An application this plane never saw submitted (one a
   * restarted plane or another replica applied) is removed too.
   */
  public void remove(Application app) {
    remove(app, settings.subject());
  }

  /** {@link #remove(Application)} on behalf of {@code subject}. */
  public void remove(Application app, Subject subject) {
    if (closed) {
      throw new IllegalStateException("the plane is closed: remove through a new plane (build() another)");
    }
    pipeline.authorize(Objects.requireNonNull(subject, "subject"), Action.DELETE, app);
    if (reconciler.remove(app, subject)) {
      continuous.enqueue(app.id());
    }
  }

  /**
   * Reconciles queued applications on the calling thread until none is ready, for a plane built
   * with {@code workers(0)}; returns how many reconciles ran.
   */
  public int runPending() {
    return continuous.runPending();
  }

  /** Waits until no application is queued or being reconciled; false on timeout. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    return continuous.awaitIdle(timeout);
  }

  /**
   * Stops continuous mode: no new work is taken, in-flight reconciles finish within the close
   * timeout, and every thread the plane started ends. The cluster drivers stay open. Never exits
   * the JVM. Idempotent.
   */
  @Override
  public synchronized void close() {
    closed = true;
    waits.close();
    continuous.stop();
    pipeline.clear();
    if (ownStore != null) {
      ownStore.close();
    }
  }
}
