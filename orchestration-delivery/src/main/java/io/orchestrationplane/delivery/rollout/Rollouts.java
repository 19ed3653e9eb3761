package io.orchestrationplane.delivery.rollout;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.delivery.Delivery;
import io.orchestrationplane.delivery.StepContext;
import io.orchestrationplane.delivery.StepResult;
import io.orchestrationplane.delivery.StepType;
import io.orchestrationplane.delivery.analysis.Analysis;
import io.orchestrationplane.delivery.analysis.AnalysisTemplate;
import io.orchestrationplane.delivery.rollout.internal.RolloutEngine;
import io.orchestrationplane.delivery.rollout.internal.StepApplications;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Rolls out applications whose component declares a {@link RolloutTrait rollout trait} for an
 * environment: canary steps or blue-green, each moment applied through the plane (validation,
 * plan, admission, ownership) as the environment application {@code <ns>/<name>-<env>} that a
 * {@link Delivery} applies too. The stable and the canary (or preview) version run as two
 * Deployments the plane owns ({@code api} and {@code api-canary} / {@code api-preview}); the
 * route ({@code api-route}, an {@code HTTPRoute} or a {@code VirtualService}) is a plane object
 * too. At the end the canary's spec becomes the stable workload's and the canary is removed.
 *
 * <pre>{@code
 * Rollouts rollouts = Rollouts.builder().plane(plane).store(store)
 *     .analysis(Analysis.builder().provider(PrometheusProvider.builder(prometheusUri).build()).build())
 *     .template(AnalysisTemplate.fromYaml(errorRateYaml))        // analysis steps name it: {templateName: error-rate}
 *     .build();
 * rollouts.start(shopV2, "prod", Subject.of("dana"));
 * rollouts.runPending();                      // from your scheduler; deterministic on the clock
 * rollouts.status("shop.shop-prod").orElseThrow().toText();
 * rollouts.approve("shop.shop-prod", Subject.of("alice"));   // ends a "pause until approved"
 * }</pre>
 *
 * <p>Nothing runs on its own thread: {@link #runPending()} makes every due transition on the
 * clock. State is one document per environment application in the store
 * ({@code rollouts/<ns>.<name>-<env>}) written with compare-and-set after each transition, so a
 * new {@code Rollouts} over the same store resumes at the same step and weight. Thread-safe.
 */
public final class Rollouts {
  private final OrchestrationPlane plane;
  private final RolloutEngine engine;

  private Rollouts(OrchestrationPlane plane, RolloutEngine engine) {
    this.plane = plane;
    this.engine = engine;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts rolling out {@code model} in {@code environment}: the version running now (the newest
   * plane revision of {@code <ns>.<name>-<env>}, or the version the last rollout promoted) is
   * the stable one. A rollout of another version still going is replaced (its stable version
   * stays stable); the same version again changes nothing, unless its rollout was aborted (then
   * it is tried again). With no version running yet, the model is applied at once. Throws
   * {@link IllegalArgumentException} when the environment declares no rollout, and a {@code
   * ValidationException} for an invalid model or an analysis naming an unregistered template,
   * missing arguments or an unregistered provider (by field path); nothing is recorded then.
   * Returns the environment application's id.
   */
  public String start(Application model, String environment, Subject author) {
    Objects.requireNonNull(author, "author");
    return engine.start(Delivery.environmentApplication(Objects.requireNonNull(model, "model"),
        Objects.requireNonNull(environment, "environment")), author, true);
  }

  /** Makes every due transition of every rollout; returns how many. */
  public int runPending() {
    return engine.runPending();
  }

  /** Makes every due transition of one rollout ({@code <ns>.<name>-<env>}); returns how many. */
  public int runPending(String rolloutId) {
    return engine.runPending(rolloutId);
  }

  /** Makes at most one transition of one rollout; true if it did (for tests that stop between transitions). */
  public boolean runOnce(String rolloutId) {
    return engine.advance(RolloutEngine.key(rolloutId));
  }

  /**
   * Ends the current pause ("pause until approved", a timed pause early, an inconclusive analysis,
   * a blue-green waiting for promotion). Asks the plane's access control for {@code approve} of
   * the environment first ({@code AccessDeniedException}, nothing recorded); throws {@link
   * IllegalStateException} when the rollout is not paused.
   */
  public void approve(String rolloutId, Subject subject) {
    engine.operate(rolloutId, environmentOf(rolloutId), "approve", subject);
  }

  /**
   * Skips the remaining steps and analyses (Argo Rollouts' full promotion): the canary becomes
   * stable at the next transition. Asks for {@code override} of the environment first.
   */
  public void promote(String rolloutId, Subject subject) {
    engine.operate(rolloutId, environmentOf(rolloutId), "promote", subject);
  }

  /**
   * Aborts: traffic back to the stable version and the canary scaled down at the next transition,
   * then the canary removed; status DEGRADED. Asks for {@code rollback} of the environment first.
   * A blue-green rollout may be aborted until its rollback window ends.
   */
  public void abort(String rolloutId, Subject subject) {
    engine.operate(rolloutId, environmentOf(rolloutId), "abort", subject);
  }

  /** The rollout's status, if one was started. */
  public Optional<RolloutStatus> status(String rolloutId) {
    return engine.status(rolloutId);
  }

  /** When a pause, a measurement, a rollback window or a health poll next makes something due. */
  public Optional<Instant> nextWakeUp() {
    return engine.nextWakeUp();
  }

  /**
   * What rolling out {@code model} in {@code environment} would do: the steps, and the plane's
   * plan of the first moment (stable and canary side by side at the first weight) against what
   * runs now.
   */
  public RolloutPreview preview(Application model, String environment) {
    Application envApp = Delivery.environmentApplication(model, environment);
    RolloutSpec spec = StepApplications.spec(envApp);
    if (spec == null) {
      throw new IllegalArgumentException("environment '" + environment + "' of " + model.id() + " declares no rollout trait");
    }
    Application stable = plane.history(envApp.id()).stream().findFirst().map(r -> r.model()).orElse(null);
    Plan first = plane.plan(stable == null
        ? StepApplications.render(envApp, envApp, spec, new StepApplications.View(true, false, 0, false, false))
        : RolloutEngine.firstStep(envApp, stable, spec));
    return new RolloutPreview(spec, RolloutEngine.steps(spec), stable == null, first);
  }

  /**
   * The workflow step type {@code rollout} (property {@code environment}): starts the rollout of
   * the release in that environment and drives it at each attempt; the step succeeds when the
   * release is promoted and fails when the rollout aborts (so the workflow's {@code onFailure}
   * runs). Register it with {@code Delivery.Builder.stepType(rollouts.stepType())}.
   */
  public StepType stepType() {
    return new StepType() {
      @Override
      public String name() {
        return "rollout";
      }

      @Override
      public List<String> validate(Map<String, Object> properties) {
        return properties.get("environment") instanceof String ? List.of()
            : List.of("environment: required: the environment to roll out in");
      }

      @Override
      public StepResult run(StepContext context) {
        String env = (String) context.step().properties().get("environment");
        Application envApp = context.environmentApplication(env);
        String id = engine.start(envApp, context.release().author(), false);
        engine.runPending(id);
        RolloutStatus s = engine.status(id).orElseThrow();
        if (!sameModel(id, envApp)) {
          return StepResult.failed("another release is being rolled out in " + env);
        }
        return switch (s.phase()) {
          case HEALTHY -> StepResult.succeeded("rolled out to " + env + ": " + s.message());
          case DEGRADED -> s.stage() == RolloutStatus.Stage.ABORTED ? StepResult.failed("rollout in " + env + " " + s.message())
              : StepResult.waiting("aborting in " + env + ": " + s.message(), engine.nextWakeUp(id));
          default -> StepResult.waiting("rolling out in " + env + " (" + s.stage() + ", weight " + s.weight() + "%): "
              + s.message(), engine.nextWakeUp(id));
        };
      }
    };
  }

  private boolean sameModel(String id, Application envApp) {
    return engine.currentCanary(id).map(a -> a.sameAs(envApp)).orElse(false);
  }

  private String environmentOf(String rolloutId) {
    return engine.status(rolloutId).map(RolloutStatus::environment)
        .orElseThrow(() -> new IllegalStateException("no rollout of " + rolloutId));
  }

  /** Analysis evaluations (measurements) taken by this instance: a benchmark figure. */
  public long evaluations() {
    return engine.evaluations();
  }

  /** Transitions written by this instance: a benchmark figure. */
  public long transitions() {
    return engine.transitions();
  }

  /** Settings of {@link Rollouts}: {@link #plane} and {@link #store} are required. */
  public static final class Builder {
    private @Nullable OrchestrationPlane plane;
    private @Nullable StateStore store;
    private @Nullable Clock clock;
    private Analysis analysis = Analysis.builder().build();
    private final Map<String, AnalysisTemplate> templates = new LinkedHashMap<>();

    private Builder() {}

    /** The plane every step is applied through. */
    public Builder plane(OrchestrationPlane value) {
      this.plane = Objects.requireNonNull(value, "plane");
      return this;
    }

    /** Where rollout state lives (the plane's store, or any store every engine shares); never closed. */
    public Builder store(StateStore value) {
      this.store = Objects.requireNonNull(value, "store");
      return this;
    }

    /** The clock of pauses, analysis intervals and deadlines (default: the plane's). */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** The analysis engine (with its metric providers) that analysis steps run on (default: one without providers). */
    public Builder analysis(Analysis value) {
      this.analysis = Objects.requireNonNull(value, "analysis");
      return this;
    }

    /** An analysis template that analysis steps name by its {@code name}. */
    public Builder template(AnalysisTemplate template) {
      templates.put(Objects.requireNonNull(template, "template").name(), template);
      return this;
    }

    public Rollouts build() {
      if (plane == null || store == null) {
        throw new IllegalStateException("Rollouts need a plane and a store");
      }
      return new Rollouts(plane, new RolloutEngine(plane, store, clock == null ? plane.clock() : clock, analysis, templates));
    }
  }
}
