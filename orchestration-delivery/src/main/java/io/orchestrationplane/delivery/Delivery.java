package io.orchestrationplane.delivery;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.delivery.internal.Engine;
import io.orchestrationplane.delivery.internal.WorkflowRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Delivers releases of applications through {@link Workflow}s, on a plane and a state store.
 * Nothing runs by itself: {@link #runPending()} makes every transition that is due (call it from
 * your scheduler, a controller's resync, or a test after advancing the clock), so the engine is
 * deterministic on the clock it is given.
 *
 * <pre>{@code
 * Delivery delivery = Delivery.builder().plane(plane).store(store).build();
 * Release r = delivery.start(shop, workflow, Subject.of("dana"), Origin.git(repo, commit, "shop.yaml"));
 * delivery.runPending();                                        // applies to dev, waits for health...
 * delivery.approve("shop.shop", "approve-prod", Subject.of("alice"), "looks good");
 * delivery.status("shop.shop").toText();                        // which release runs where, what it waits for
 * }</pre>
 *
 * <p>Each environment {@code E} of an application {@code ns/name} is applied as its own plane
 * application {@code ns/name-E} holding the release's model with only {@code E}, as Kargo gives
 * each stage its own Argo CD application, so that promoting to staging never prunes dev and each
 * environment has its own revision history in the plane ({@code plane.history("ns.name-E")}).
 *
 * <p>Every transition is written to the store with compare-and-set before the next one; a new
 * {@code Delivery} over the same store resumes where the last one stopped, and several sharing a
 * store never perform the same step at once (see {@code docs/delivery.md}, "Guarantees").
 * Thread-safe.
 */
public final class Delivery {
  private final Engine engine;
  private final Clock clock;
  private final String identity;

  private final @Nullable Workflow defaultWorkflow;

  private Delivery(Engine engine, Clock clock, String identity, @Nullable Workflow defaultWorkflow) {
    this.engine = engine;
    this.clock = clock;
    this.identity = identity;
    this.defaultWorkflow = defaultWorkflow;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts delivering {@code app} through the platform's default workflow ({@link
   * Builder#defaultWorkflow}); throws {@link IllegalStateException} when none was set.
   */
  public Release start(Application app, Subject author, Origin origin) {
    if (defaultWorkflow == null) {
      throw new IllegalStateException("no default workflow: set Delivery.Builder.defaultWorkflow or pass a workflow");
    }
    return start(app, defaultWorkflow, author, origin);
  }

  /** Starts delivering {@code app} through {@code workflow}, by {@link Subject#local()}, from code. */
  public Release start(Application app, Workflow workflow) {
    return start(app, workflow, Subject.local(), Origin.code());
  }

  /**
   * Records {@code app} as a new release (unless the current run delivers, or has delivered
   * successfully, this very model through this very workflow: then that release is returned and
   * nothing changes) and starts a run of {@code workflow} for
   * it. A run of an earlier release still going is SUPERSEDED: its approvals do not carry over.
   * The application is validated by the plane and the workflow against it (environments,
   * notifiers, step types): a {@link ValidationException} names every problem. Nothing is
   * applied until {@link #runPending()}.
   */
  public Release start(Application app, Workflow workflow, Subject author, Origin origin) {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(workflow, "workflow");
    return engine.start(app, workflow, Objects.requireNonNull(author, "author"), Objects.requireNonNull(origin, "origin"));
  }

  /**
   * Approves a waiting approval step of the running release. First asks the plane's access
   * control for {@code approve} of each environment the step gates ({@code <ns>.<name>-<env>}):
   * a refusal throws {@link io.orchestrationplane.core.access.AccessDeniedException} and records
   * nothing. Throws {@link IllegalArgumentException} when {@code subject} may not approve under the
   * step's rule (not named by it, or the release's author) and {@link IllegalStateException} when
   * the step is not waiting. Approving twice counts once. An accepted approval reaches the plane's
   * observers (the audit log) as a {@code PlaneRecord.Approval} with the release's digest.
   */
  public void approve(String applicationId, String step, Subject subject, String comment) {
    engine.decide(applicationId, step, null, subject, comment, true);
  }

  /**
   * Approves as {@link #approve(String, String, Subject, String)}, only if the run still delivers
   * the release with {@code digest} (the one the approver looked at): a newer release started
   * meanwhile makes it throw {@link IllegalStateException} instead of approving what was not seen.
   */
  public void approve(String applicationId, String step, String digest, Subject subject, String comment) {
    engine.decide(applicationId, step, Objects.requireNonNull(digest, "digest"), subject, comment, true);
  }

  /**
   * Rejects a waiting approval step: the step fails for good and the run's failure handler runs.
   * Asks for {@code approve} and reaches observers like {@link #approve(String, String, Subject, String)}.
   */
  public void reject(String applicationId, String step, Subject subject, String comment) {
    engine.decide(applicationId, step, null, subject, comment, false);
  }

  /**
   * Approves letting the running release into {@code environment} although change windows block
   * it now: each blocking window must name an override rule, and once every one is met the
   * release passes (only this release: the approval carries its digest). First asks the plane's
   * access control for {@code override} of {@code environment} ({@code <ns>.<name>-<env>}); a
   * refusal throws {@link io.orchestrationplane.core.access.AccessDeniedException} and records
   * nothing. An accepted override reaches the plane's observers as a {@code PlaneRecord.Approval}.
   */
  public void approveWindowOverride(String applicationId, String environment, Subject subject, String comment) {
    engine.approveOverride(applicationId, environment, null, subject, comment);
  }

  /** What runs where, the current run, and the last runs. */
  public ReleaseStatus status(String applicationId) {
    return engine.status(applicationId);
  }

  /** A release by number. */
  public Release release(String applicationId, long number) {
    return engine.release(applicationId, number);
  }

  /** The application's releases, newest first. */
  public List<Release> releases(String applicationId) {
    return engine.releases(applicationId);
  }

  /** The digest a model would have as a release. */
  public String digest(Application app) {
    return engine.digest(app);
  }

  /**
   * Makes every due transition of every running run; returns how many. A transition here makes
   * every decision that needs no effect in one write: after an apply completes, the health wait,
   * the check and the next step's claim that follow at once are written with its completion, so a
   * run writes its document about once per effect rather than once per decision (each written
   * state is one that {@link #runOnce()}'s single decisions pass through). One application's
   * trouble (a damaged release, a failing store write) is logged and the others go on; a store
   * that cannot list the workflow documents at all (one of them damaged: the file store refuses
   * the listing, naming the file) throws its {@code StateStoreException}, rather than resume
   * without that workflow.
   */
  public int runPending() {
    return engine.runPending();
  }

  /**
   * Makes at most one transition of one decision; true if it did (for tests that stop between
   * transitions).
   */
  public boolean runOnce() {
    return engine.runOnce();
  }

  /** When a timer, a lease, a retry or a change window next makes something due, if anything will. */
  public Optional<Instant> nextWakeUp() {
    return engine.nextWakeUp();
  }

  /** Workflow-state writes this instance made (a benchmark figure). */
  public long stateWrites() {
    return engine.writes();
  }

  /** The identity this engine claims actions under. */
  public String identity() {
    return identity;
  }

  public Clock clock() {
    return clock;
  }

  /** The application one environment of a release is applied as ({@code <name>-<environment>}, only that environment). */
  public static Application environmentApplication(Application model, String environment) {
    return Engine.environmentApplication(model, environment);
  }

  /** Settings of a {@link Delivery}; {@link #plane} and {@link #store} are required. */
  public static final class Builder {
    private @Nullable OrchestrationPlane plane;
    private @Nullable StateStore store;
    private @Nullable Clock clock;
    private String identity = "delivery-" + UUID.randomUUID().toString().substring(0, 8);
    private Duration lease = Duration.ofMinutes(5);
    private int historyLimit = 10;
    private final Map<String, StepType> stepTypes = new LinkedHashMap<>();
    private final Map<String, Notifier> notifiers = new LinkedHashMap<>();
    private final List<ChangeWindow> windows = new ArrayList<>();
    private @Nullable Workflow defaultWorkflow;

    private Builder() {}

    /** The workflow of {@link Delivery#start(Application, Subject, Origin)}: the platform's default path to production. */
    public Builder defaultWorkflow(Workflow value) {
      this.defaultWorkflow = Objects.requireNonNull(value, "workflow");
      return this;
    }

    /** The plane releases are applied through. */
    public Builder plane(OrchestrationPlane value) {
      this.plane = Objects.requireNonNull(value, "plane");
      return this;
    }

    /**
     * Where releases and workflow state live; pass the plane's store (or any store every engine
     * delivering these applications shares). The delivery never closes it.
     */
    public Builder store(StateStore value) {
      this.store = Objects.requireNonNull(value, "store");
      return this;
    }

    /** The clock of timers, windows and soak times (default: the plane's). */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Who this engine is when it claims an action (default: {@code delivery-} and 8 random hex
     * digits). An engine restarted with the same identity resumes its own claimed actions at
     * once; another engine waits until the claim's lease has passed. Give each replica a stable
     * name (a pod name) to resume at once after a restart.
     */
    public Builder identity(String value) {
      if (Objects.requireNonNull(value, "identity").isBlank()) {
        throw new IllegalArgumentException("identity must not be blank");
      }
      this.identity = value;
      return this;
    }

    /** How long another engine waits before it takes over an action this one claimed and did not finish (default 5 min). */
    public Builder lease(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("lease must be positive, got " + value);
      }
      this.lease = value;
      return this;
    }

    /** How many finished runs status keeps per application, 1 to 100 (default 10). */
    public Builder historyLimit(int value) {
      if (value < 1 || value > 100) {
        throw new IllegalArgumentException("historyLimit must be 1 to 100, got " + value);
      }
      this.historyLimit = value;
      return this;
    }

    /** A step type of your own, used by steps whose {@code type} is its name. */
    public Builder stepType(StepType type) {
      Objects.requireNonNull(type, "type");
      if (WorkflowRules.BUILT_IN.contains(type.name())) {
        throw new IllegalArgumentException("'" + type.name() + "' is a built-in step type");
      }
      stepTypes.put(type.name(), type);
      return this;
    }

    /** A notifier that notify steps name. */
    public Builder notifier(String name, Notifier notifier) {
      notifiers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(notifier, "notifier"));
      return this;
    }

    /** A change window for every application this delivery serves (added to each workflow's own). */
    public Builder window(ChangeWindow window) {
      windows.add(Objects.requireNonNull(window, "window"));
      return this;
    }

    public Delivery build() {
      if (plane == null || store == null) {
        throw new IllegalStateException("a Delivery needs a plane and a store");
      }
      Clock c = clock == null ? plane.clock() : clock;
      return new Delivery(new Engine(new Engine.Settings(plane, store, c, identity, lease, historyLimit, stepTypes,
          notifiers, windows)), c, identity, defaultWorkflow);
    }
  }
}
