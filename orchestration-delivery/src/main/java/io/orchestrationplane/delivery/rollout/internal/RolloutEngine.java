package io.orchestrationplane.delivery.rollout.internal;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.access.Action;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.health.Health;
import io.orchestrationplane.core.health.ResourceHealth;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.ApplicationCodec;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.release.Revision;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.state.StateEntry;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.state.StateWriteResult;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.delivery.analysis.Analysis;
import io.orchestrationplane.delivery.analysis.AnalysisResult;
import io.orchestrationplane.delivery.analysis.AnalysisRun;
import io.orchestrationplane.delivery.analysis.AnalysisTemplate;
import io.orchestrationplane.delivery.analysis.Measurement;
import io.orchestrationplane.delivery.rollout.RolloutSpec;
import io.orchestrationplane.delivery.rollout.RolloutStatus;
import io.orchestrationplane.delivery.rollout.RolloutStatus.Stage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Drives rollouts: one JSON document per environment application at {@code rollouts/<ns>.<name>-<env>},
 * read, decided and written back with compare-and-set at every transition. An effect (a plane
 * apply) happens before the write that records it; a crash between the two applies the same
 * desired state again, which writes nothing new.
 */
public final class RolloutEngine {
  /** The state store namespace of rollout documents. */
  public static final String NAMESPACE = "rollouts";
  private static final Logger LOG = LoggerFactory.getLogger(RolloutEngine.class);
  private static final int MAX_TRANSITIONS_PER_CALL = 50;
  private static final Set<Stage> ACTIVE = Set.of(Stage.STEPS, Stage.PREVIEW, Stage.SWITCHED, Stage.FINALIZE_STABLE,
      Stage.FINALIZE_SWITCH, Stage.CLEANUP, Stage.ABORTING);

  private final OrchestrationPlane plane;
  private final StateStore store;
  private final Clock clock;
  private final Analysis analysis;
  private final Map<String, AnalysisTemplate> templates;
  private long evaluations;
  private long transitions;

  public RolloutEngine(OrchestrationPlane plane, StateStore store, Clock clock, Analysis analysis,
      Map<String, AnalysisTemplate> templates) {
    this.plane = plane;
    this.store = store;
    this.clock = clock;
    this.analysis = analysis;
    this.templates = Map.copyOf(templates);
  }

  public static StateKey key(String envAppId) {
    return StateKey.of(NAMESPACE, envAppId);
  }

  // --- starting ------------------------------------------------------------------------------

  /** Starts (or keeps) the rollout of {@code envApp}; returns its id. */
  public String start(Application envApp, Subject author, boolean retryAborted) {
    RolloutSpec spec = StepApplications.spec(envApp);
    if (spec == null) {
      throw new IllegalArgumentException("environment '" + envApp.environments().get(0).name() + "' of " + envApp.id()
          + " declares no rollout trait");
    }
    checkChecks(spec);
    plane.validate(envApp);
    StateKey key = key(envApp.id());
    while (true) {
      Optional<StateEntry> existing = store.get(key);
      Application stable;
      if (existing.isPresent()) {
        ObjectNode d = (ObjectNode) existing.get().value();
        Application current = ApplicationCodec.fromTree(d.get("canary"));
        Stage stage = Stage.valueOf(d.get("stage").asString());
        if (current.sameAs(envApp) && (stage != Stage.ABORTED || !retryAborted)) {
          return envApp.id();
        }
        // promoted: the canary is the stable version now; otherwise the old stable still is
        stable = stage == Stage.DONE || stage == Stage.CLEANUP || stage == Stage.FINALIZE_SWITCH ? current
            : d.get("stable").isNull() ? null : ApplicationCodec.fromTree(d.get("stable"));
      } else {
        stable = stableFromHistory(envApp);
      }
      ObjectNode doc = Json.object();
      doc.put("format", 1);
      doc.put("application", envApp.id());
      doc.put("environment", envApp.environments().get(0).name());
      doc.put("component", spec.component());
      doc.put("strategy", spec.strategy() instanceof RolloutSpec.Canary ? "canary" : "blueGreen");
      doc.put("author", author.name());
      ArrayNode groups = doc.putArray("authorGroups");
      new java.util.TreeSet<>(author.groups()).forEach(groups::add);
      doc.put("since", now().toString());
      doc.set("canary", ApplicationCodec.toTree(envApp));
      if (stable == null) {
        doc.putNull("stable");
        stage(doc, Stage.CLEANUP);
        doc.put("weight", 100);
        doc.put("message", "first release: no stable version to compare with, applied at once");
      } else {
        doc.set("stable", ApplicationCodec.toTree(stable));
        stage(doc, spec.strategy() instanceof RolloutSpec.Canary ? Stage.STEPS : Stage.PREVIEW);
        doc.put("weight", 0);
        doc.put("message", "");
      }
      doc.put("step", 0);
      doc.putArray("runs");
      StateWriteResult w = existing.isPresent()
          ? store.compareAndSet(key, existing.get().version(), doc) : store.create(key, doc);
      if (w.written()) {
        LOG.info("rollout of {} in {} started", spec.component(), envApp.id());
        return envApp.id();
      }
    }
  }

  private void checkChecks(RolloutSpec spec) {
    List<RolloutSpec.AnalysisSpec> analyses = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    if (spec.strategy() instanceof RolloutSpec.Canary c) {
      for (int i = 0; i < c.steps().size(); i++) {
        if (c.steps().get(i) instanceof RolloutSpec.Analysis a) {
          analyses.add(a.analysis());
          paths.add("canary.steps[" + i + "].analysis");
        }
      }
    } else if (spec.strategy() instanceof RolloutSpec.BlueGreen bg && bg.prePromotionAnalysis() != null) {
      analyses.add(bg.prePromotionAnalysis());
      paths.add("blueGreen.prePromotionAnalysis");
    }
    List<Problem> problems = new ArrayList<>();
    String base = "spec.components[" + spec.component() + "].traits[rollout].properties.";
    for (int i = 0; i < analyses.size(); i++) {
      RolloutSpec.AnalysisSpec a = analyses.get(i);
      AnalysisTemplate t = templates.get(a.templateName());
      if (t == null) {
        problems.add(Problem.at(base + paths.get(i) + ".templateName", "no AnalysisTemplate '" + a.templateName()
            + "' is registered with Rollouts (registered: " + new java.util.TreeSet<>(templates.keySet()) + ")"));
        continue;
      }
      try {
        analysis.start(t, a.args(), now());   // checks the arguments and the providers; the run is dropped
      } catch (ValidationException e) {
        for (Problem p : e.problems()) {
          problems.add(Problem.at(base + paths.get(i) + "." + p.path(), p.message()));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationException("rollout of " + spec.component() + " in " + spec.environment(), problems);
    }
  }

  /** What ran before: the newest plane revision of the environment application, if any. */
  private @Nullable Application stableFromHistory(Application envApp) {
    List<Revision> history = plane.history(envApp.id());
    if (history.isEmpty()) {
      return null;
    }
    Application model = history.get(0).model();
    return model.component(StepApplications.spec(envApp).component()).isPresent() ? model : null;
  }

  // --- running -------------------------------------------------------------------------------

  /** Every due transition of every rollout; returns how many. */
  public int runPending() {
    int n = 0;
    for (StateEntry e : store.list(NAMESPACE)) {
      n += runPending(e.key().name());
    }
    return n;
  }

  /** Every due transition of one rollout. */
  public int runPending(String envAppId) {
    int n = 0;
    try {
      while (n < MAX_TRANSITIONS_PER_CALL && advance(key(envAppId))) {
        n++;
      }
    } catch (RuntimeException e) {
      LOG.warn("rollout {} could not advance: {}", envAppId, e.toString());
    }
    return n;
  }

  /** Makes at most one transition of one rollout; true if it did. */
  public boolean advance(StateKey key) {
    Optional<StateEntry> entry = store.get(key);
    if (entry.isEmpty()) {
      return false;
    }
    ObjectNode d = ((ObjectNode) entry.get().value()).deepCopy();
    Stage stage = Stage.valueOf(d.get("stage").asString());
    if (!ACTIVE.contains(stage)
        || d.has("retryAt") && now().isBefore(Instant.parse(d.get("retryAt").asString()))) {
      return false;
    }
    Decoded models = decode(key.name(), d);
    Application canaryApp = models.canary();
    Application stableApp = models.stable();
    RolloutSpec spec = models.spec();
    boolean changed = switch (stage) {
      case STEPS -> steps(d, spec, canaryApp, stableApp);
      case PREVIEW -> preview(d, spec, canaryApp, stableApp);
      case SWITCHED -> switched(d, spec, canaryApp, stableApp);
      case FINALIZE_STABLE -> applyThenHealthy(d, spec, canaryApp, stableApp, Stage.FINALIZE_SWITCH);
      case FINALIZE_SWITCH -> applyThenHealthy(d, spec, canaryApp, stableApp, Stage.CLEANUP);
      case CLEANUP -> cleanup(d, spec, canaryApp, stableApp);
      case ABORTING -> aborting(d, spec, canaryApp, stableApp);
      default -> false;
    };
    if (!changed) {
      return false;
    }
    StateWriteResult w = store.compareAndSet(key, entry.get().version(), d);
    if (w.written()) {
      transitions++;
    }
    return true; // on a conflict another engine moved it: read again
  }

  /** The decoded models of a rollout document, kept while the document's models stay the same. */
  private record Decoded(JsonNode canaryTree, JsonNode stableTree, Application canary, Application stable, RolloutSpec spec) {}

  private final Map<String, Decoded> decoded = new java.util.concurrent.ConcurrentHashMap<>();

  /** Decoding two models per transition would cost more than the transition; they change only with a new start. */
  private Decoded decode(String id, ObjectNode d) {
    Decoded c = decoded.get(id);
    if (c != null && c.canaryTree().equals(d.get("canary")) && c.stableTree().equals(d.get("stable"))) {
      return c;
    }
    Application canary = ApplicationCodec.fromTree(d.get("canary"));
    Application stable = d.get("stable").isNull() ? canary : ApplicationCodec.fromTree(d.get("stable"));
    c = new Decoded(d.get("canary").deepCopy(), d.get("stable").deepCopy(), canary, stable, StepApplications.spec(canary));
    decoded.put(id, c);
    return c;
  }

  private boolean steps(ObjectNode d, RolloutSpec spec, Application canaryApp, Application stableApp) {
    List<RolloutSpec.CanaryStep> steps = ((RolloutSpec.Canary) spec.strategy()).steps();
    int i = d.get("step").asInt();
    if (i >= steps.size()) {
      d.put("message", "all steps done: promoting");
      stage(d, Stage.FINALIZE_STABLE);
      d.put("weight", 100);
      return true;
    }
    RolloutSpec.CanaryStep step = steps.get(i);
    if (d.path("promote").asBoolean(false)) {
      d.remove("promote");
      terminateRuns(d);
      d.put("message", "promoted: remaining steps skipped");
      stage(d, Stage.FINALIZE_STABLE);
      d.put("weight", 100);
      return true;
    }
    if (!d.path("applied").asBoolean(false)) {
      // the workloads at the current weight: applied when the rollout starts and after each setWeight
      int weight = step instanceof RolloutSpec.SetWeight sw ? sw.weight() : d.get("weight").asInt();
      if (!apply(d, canaryApp, stableApp, spec, new StepApplications.View(false, true, weight, false, false))) {
        return true;
      }
      d.put("weight", weight);
      d.put("applied", true);
      d.put("stepStarted", now().toString());
      d.put("message", step instanceof RolloutSpec.SetWeight ? "waiting for the canary at weight " + weight
          + " to be healthy" : "");
      return true;
    }
    if (step instanceof RolloutSpec.SetWeight) {
      return healthyOrDeadline(d, spec, canaryApp, stableApp, () -> nextStep(d, "setWeight " + d.get("weight").asInt()
          + " done"));
    }
    if (step instanceof RolloutSpec.Pause p) {
      if (!d.has("pauseUntil") && !d.path("paused").asBoolean(false)) {
        d.put("paused", true);
        if (p.duration() != null) {
          d.put("pauseUntil", now().plus(p.duration()).toString());
          d.put("message", "paused for " + io.orchestrationplane.delivery.Workflow.format(p.duration()) + " (step "
              + (i + 1) + ") until " + now().plus(p.duration()));
        } else {
          d.put("message", "paused until approved (step " + (i + 1) + ")");
        }
        return true;
      }
      if (d.path("approved").asBoolean(false)
          || d.has("pauseUntil") && !now().isBefore(Instant.parse(d.get("pauseUntil").asString()))) {
        return nextStep(d, "pause done");
      }
      return false;
    }
    RolloutSpec.AnalysisSpec a = ((RolloutSpec.Analysis) step).analysis();
    return analysis(d, spec, a, i, () -> nextStep(d, "analysis " + a.templateName() + " successful"));
  }

  private boolean nextStep(ObjectNode d, String message) {
    d.put("step", d.get("step").asInt() + 1);
    d.put("message", message);
    d.remove(List.of("paused", "pauseUntil", "approved", "stepStarted"));
    // the workloads stay at their weight: apply again only for a setWeight step
    d.put("applied", true);
    int i = d.get("step").asInt();
    RolloutSpec spec = decode(d.get("application").asString(), d).spec();
    List<RolloutSpec.CanaryStep> steps = ((RolloutSpec.Canary) spec.strategy()).steps();
    if (i < steps.size() && steps.get(i) instanceof RolloutSpec.SetWeight) {
      d.put("applied", false);
    }
    return true;
  }

  /** The due measurements of an analysis; {@code done} when it succeeded. */
  private boolean analysis(ObjectNode d, RolloutSpec spec, RolloutSpec.AnalysisSpec a, int step, Runnable done) {
    ArrayNode runs = (ArrayNode) d.get("runs");
    ObjectNode entry = currentRun(d, step);
    if (entry == null) {
      AnalysisTemplate t = templates.get(a.templateName());
      if (t == null) {
        abort(d, "analysis template '" + a.templateName() + "' is not registered with Rollouts");
        return true;
      }
      AnalysisRun run;
      try {
        run = analysis.start(t, a.args(), now());
      } catch (RuntimeException e) {
        abort(d, "analysis " + a.templateName() + " could not start: " + e.getMessage());
        return true;
      }
      entry = runs.addObject();
      entry.put("step", step).put("stage", d.get("stage").asString()).put("round", d.path("round").asInt(0));
      entry.put("template", a.templateName());
      entry.set("run", run.toJson());
      d.put("message", "analysis " + a.templateName() + " running");
      return true;
    }
    AnalysisRun run = AnalysisRun.fromJson(entry.get("run"));
    if (run.completed()) {
      if (run.result() instanceof AnalysisResult.Successful || entry.has("acceptedBy")) {
        done.run();
        return true;
      }
      if (d.path("approved").asBoolean(false)) {     // an inconclusive run a person accepted
        entry.put("acceptedBy", d.path("approvedBy").asString(""));
        d.remove(List.of("approved", "paused"));
        done.run();
        return true;
      }
      return false;
    }
    Optional<Instant> due = run.nextDue();
    if (due.isPresent() && now().isBefore(due.get())) {
      return false;
    }
    AnalysisRun next;
    try {
      next = analysis.evaluate(run, now());
    } catch (RuntimeException e) {
      abort(d, "analysis " + a.templateName() + " could not be evaluated: " + e.getMessage());
      return true;
    }
    evaluations++;
    entry.set("run", next.toJson());
    AnalysisResult result = next.result();
    if (result instanceof AnalysisResult.Failed f) {
      abort(d, "analysis " + a.templateName() + " failed: metric " + f.metric() + " measured " + value(f.measurement())
          + ", which fails " + (f.measurement().expression() == null ? "its limits" : f.measurement().expression()));
    } else if (result instanceof AnalysisResult.Errored e) {
      abort(d, "analysis " + a.templateName() + " errored: metric " + e.metric() + ": " + e.message());
    } else if (result instanceof AnalysisResult.Inconclusive i) {
      d.put("paused", true);
      d.put("message", "paused: analysis " + a.templateName() + " inconclusive: metric " + i.metric() + ": "
          + i.measurement().message() + "; approve to go on or abort");
    } else if (result instanceof AnalysisResult.Successful) {
      done.run();
    } else {
      d.put("message", "analysis " + a.templateName() + " running" + next.nextDue().map(t -> ", next measurement at " + t)
          .orElse(""));
    }
    return true;
  }

  /**
   * Terminates every analysis run still measuring, as Argo cancels a rollout's runs when it is
   * aborted or fully promoted ({@code cancelAnalysisRuns}): no bad metric, so SUCCESSFUL, "run terminated".
   */
  private void terminateRuns(ObjectNode d) {
    for (JsonNode r : d.path("runs")) {
      AnalysisRun run = AnalysisRun.fromJson(r.get("run"));
      if (!run.completed()) {
        ((ObjectNode) r).set("run", analysis.terminate(run).toJson());
      }
    }
  }

  private static String value(Measurement m) {
    return m.value() == null ? "nothing" : m.value().toText();
  }

  private static @Nullable ObjectNode currentRun(ObjectNode d, int step) {
    ObjectNode found = null;
    for (JsonNode r : d.get("runs")) {
      if (r.get("step").asInt() == step && r.get("stage").asString().equals(d.get("stage").asString())
          && r.get("round").asInt() == d.path("round").asInt(0)) {
        found = (ObjectNode) r;
      }
    }
    return found;
  }

  private boolean preview(ObjectNode d, RolloutSpec spec, Application canaryApp, Application stableApp) {
    RolloutSpec.BlueGreen bg = (RolloutSpec.BlueGreen) spec.strategy();
    if (d.path("promote").asBoolean(false)) {
      d.remove("promote");
      terminateRuns(d);
      return toSwitched(d, "promoted");
    }
    if (!d.path("applied").asBoolean(false)) {
      if (!apply(d, canaryApp, stableApp, spec, new StepApplications.View(false, true, 0, false, false))) {
        return true;
      }
      d.put("applied", true);
      d.put("stepStarted", now().toString());
      d.put("message", "waiting for the preview to be healthy");
      return true;
    }
    if (!d.path("previewHealthy").asBoolean(false)) {
      return healthyOrDeadline(d, spec, canaryApp, stableApp, () -> {
        d.put("previewHealthy", true);
        d.put("message", "preview healthy");
      });
    }
    if (bg.prePromotionAnalysis() != null && !analysisSucceeded(d, 0)) {
      return analysis(d, spec, bg.prePromotionAnalysis(), 0, () -> d.put("message", "pre-promotion analysis successful"));
    }
    if (bg.autoPromotionEnabled() || d.path("approved").asBoolean(false)) {
      return toSwitched(d, bg.autoPromotionEnabled() ? "promoted automatically" : "promotion approved");
    }
    if (!d.path("paused").asBoolean(false)) {
      d.put("paused", true);
      d.put("message", "paused until promoted (autoPromotionEnabled: false)");
      return true;
    }
    return false;
  }

  private boolean analysisSucceeded(ObjectNode d, int step) {
    ObjectNode r = currentRun(d, step);
    return r != null && (r.has("acceptedBy") || AnalysisRun.fromJson(r.get("run")).result() instanceof AnalysisResult.Successful);
  }

  private boolean toSwitched(ObjectNode d, String message) {
    stage(d, Stage.SWITCHED);
    d.remove(List.of("paused", "approved", "previewHealthy"));
    d.put("message", message);
    return true;
  }

  private boolean switched(ObjectNode d, RolloutSpec spec, Application canaryApp, Application stableApp) {
    RolloutSpec.BlueGreen bg = (RolloutSpec.BlueGreen) spec.strategy();
    if (!d.path("applied").asBoolean(false)) {
      if (!apply(d, canaryApp, stableApp, spec, new StepApplications.View(false, true, 100, false, true))) {
        return true;
      }
      d.put("applied", true);
      d.put("weight", 100);
      Instant until = now().plus(bg.scaleDownDelay());
      d.put("windowUntil", until.toString());
      d.put("message", "active Service switched to the new version; the old one stays scaled until " + until
          + " (scaleDownDelay " + io.orchestrationplane.delivery.Workflow.format(bg.scaleDownDelay()) + ")");
      return true;
    }
    if (now().isBefore(Instant.parse(d.get("windowUntil").asString()))) {
      return false;
    }
    d.remove("windowUntil");
    stage(d, Stage.FINALIZE_STABLE);
    d.put("message", "rollback window over: promoting");
    return true;
  }

  /** FINALIZE_STABLE and FINALIZE_SWITCH: apply their moment, wait until healthy, go on. */
  private boolean applyThenHealthy(ObjectNode d, RolloutSpec spec, Application canaryApp, Application stableApp,
      Stage next) {
    Stage stage = Stage.valueOf(d.get("stage").asString());
    if (!d.path("applied").asBoolean(false)) {
      if (!apply(d, canaryApp, stableApp, spec, view(spec, stage))) {
        return true;
      }
      d.put("applied", true);
      d.put("stepStarted", now().toString());
      d.put("message", stage == Stage.FINALIZE_STABLE ? "updating the stable workload to the new version"
          : "traffic back to the stable workload");
      if (stage == Stage.FINALIZE_SWITCH) {
        d.put("weight", 100);
      }
      return true;
    }
    return healthyOrDeadline(d, spec, canaryApp, stableApp, () -> stage(d, next));
  }

  private static StepApplications.View view(RolloutSpec spec, Stage stage) {
    boolean bg = spec.strategy() instanceof RolloutSpec.BlueGreen;
    return switch (stage) {
      case FINALIZE_STABLE -> new StepApplications.View(true, true, 100, false, bg);
      case FINALIZE_SWITCH -> new StepApplications.View(true, true, 0, bg, false);
      case CLEANUP -> new StepApplications.View(true, false, 0, false, false);
      default -> throw new IllegalArgumentException(stage.name());
    };
  }

  private boolean cleanup(ObjectNode d, RolloutSpec spec, Application canaryApp, Application stableApp) {
    if (!apply(d, canaryApp, stableApp, spec, view(spec, Stage.CLEANUP))) {
      return true;
    }
    stage(d, Stage.DONE);
    d.put("weight", 100);
    d.put("message", d.get("stable").isNull() ? d.get("message").asString() : "promoted: the new version is stable");
    LOG.info("rollout of {} in {} promoted", spec.component(), d.get("application").asString());
    return true;
  }

  private boolean aborting(ObjectNode d, RolloutSpec spec, Application canaryApp, Application stableApp) {
    if (!d.path("applied").asBoolean(false)) {
      // traffic back to stable and the canary scaled down, in one apply
      if (!apply(d, canaryApp, stableApp, spec, new StepApplications.View(false, true, 0, true, false))) {
        return true;
      }
      d.put("applied", true);
      d.put("weight", 0);
      return true;
    }
    // then the canary removed: the old version runs alone
    if (!apply(d, canaryApp, stableApp, spec, new StepApplications.View(false, false, 0, false, false))) {
      return true;
    }
    stage(d, Stage.ABORTED);
    return true;
  }

  private void abort(ObjectNode d, String reason) {
    terminateRuns(d);
    stage(d, Stage.ABORTING);
    d.put("aborted", reason);
    d.put("message", "aborted: " + reason);
    d.remove(List.of("paused", "pauseUntil", "approved", "promote", "stepStarted", "windowUntil", "previewHealthy"));
    LOG.warn("rollout {} aborted: {}", d.get("application").asString(), reason);
  }

  private boolean healthyOrDeadline(ObjectNode d, RolloutSpec spec, Application canaryApp, Application stableApp,
      Runnable healthy) {
    Stage stage = Stage.valueOf(d.get("stage").asString());
    Application applied = StepApplications.render(canaryApp, stableApp, spec, currentView(d, spec, stage));
    ApplicationStatus status = plane.status(applied);
    String c = spec.component();
    Set<String> watched = Set.of(c, RolloutSpec.canaryName(c), RolloutSpec.previewName(c));
    List<String> unhealthy = new ArrayList<>();
    for (ResourceHealth r : status.health().resources()) {
      if (r.key().kind().equals("Deployment") && watched.contains(r.key().name()) && r.status().health() != Health.HEALTHY) {
        unhealthy.add(r.key().display() + ": " + r.status().health() + " " + r.status().message());
      }
    }
    if (!status.isInSync()) {
      unhealthy.add("not in sync yet");
    }
    if (unhealthy.isEmpty()) {
      healthy.run();
      return true;
    }
    Duration deadline = spec.strategy() instanceof RolloutSpec.Canary cs ? cs.progressDeadline()
        : ((RolloutSpec.BlueGreen) spec.strategy()).progressDeadline();
    Instant started = Instant.parse(d.get("stepStarted").asString());
    if (!now().isBefore(started.plus(deadline))) {
      if (stage != Stage.STEPS && stage != Stage.PREVIEW) {
        // the new version has had all traffic: going back is a new rollout, not an abort
        return message(d, "progress deadline exceeded while promoting: " + String.join("; ", unhealthy));
      }
      abort(d, "progress deadline " + io.orchestrationplane.delivery.Workflow.format(deadline) + " exceeded: "
          + String.join("; ", unhealthy));
      return true;
    }
    return message(d, "waiting for health: " + String.join("; ", unhealthy));
  }

  /** Records a changed message; false (nothing to write) when it is the same. */
  private static boolean message(ObjectNode d, String message) {
    if (message.equals(d.path("message").asString())) {
      return false;
    }
    d.put("message", message);
    return true;
  }

  private static StepApplications.View currentView(ObjectNode d, RolloutSpec spec, Stage stage) {
    return switch (stage) {
      case STEPS -> new StepApplications.View(false, true, d.get("weight").asInt(), false, false);
      case PREVIEW -> new StepApplications.View(false, true, 0, false, false);
      case FINALIZE_STABLE, FINALIZE_SWITCH, CLEANUP -> view(spec, stage);
      default -> new StepApplications.View(false, true, d.get("weight").asInt(), false, false);
    };
  }

  /** Applies one moment through the plane; false (and the rollout aborted, or retried) when it failed. */
  private boolean apply(ObjectNode d, Application canaryApp, Application stableApp, RolloutSpec spec,
      StepApplications.View view) {
    Application app = StepApplications.render(canaryApp, stableApp, spec, view);
    String problem;
    try {
      List<String> groups = new ArrayList<>();
      d.path("authorGroups").forEach(g -> groups.add(g.asString()));
      ExecutionResult r = plane.apply(app, Subject.of(d.get("author").asString(), groups.toArray(String[]::new)),
          Origin.code());
      if (r.succeeded()) {
        d.remove("retryAt");
        return true;
      }
      problem = r.failure().map(o -> o.toString()).orElse("a write failed");
    } catch (RuntimeException e) {
      problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    Stage stage = Stage.valueOf(d.get("stage").asString());
    if (stage == Stage.ABORTING || stage == Stage.FINALIZE_STABLE || stage == Stage.FINALIZE_SWITCH
        || stage == Stage.CLEANUP) {
      d.put("message", "apply failed, trying again: " + problem);
      d.put("retryAt", now().plusSeconds(10).toString());
    } else {
      abort(d, "apply failed: " + problem);
    }
    return false;
  }

  // --- manual operations ---------------------------------------------------------------------

  /** approve | promote | abort. */
  public void operate(String envAppId, String environment, String operation, Subject subject) {
    Action action = switch (operation) {
      case "approve" -> Action.APPROVE;
      case "promote" -> Action.OVERRIDE;
      case "abort" -> Action.ROLLBACK;
      default -> throw new IllegalArgumentException(operation);
    };
    plane.authorize(subject, action, envAppId, List.of(environment));
    StateKey key = key(envAppId);
    while (true) {
      StateEntry e = store.get(key).orElseThrow(() -> new IllegalStateException("no rollout of " + envAppId));
      ObjectNode d = ((ObjectNode) e.value()).deepCopy();
      Stage stage = Stage.valueOf(d.get("stage").asString());
      switch (operation) {
        case "approve" -> {
          if (!d.path("paused").asBoolean(false)) {
            throw new IllegalStateException("rollout of " + envAppId + " is not paused (" + stage + ": "
                + d.get("message").asString() + ")");
          }
          d.put("approved", true);
          d.put("approvedBy", subject.name());
          d.put("message", "approved by " + subject.name());
        }
        case "promote" -> {
          if (stage != Stage.STEPS && stage != Stage.PREVIEW) {
            throw new IllegalStateException("rollout of " + envAppId + " cannot be promoted in stage " + stage);
          }
          d.put("promote", true);
          d.put("message", "promotion requested by " + subject.name());
        }
        default -> {
          if (stage != Stage.STEPS && stage != Stage.PREVIEW && stage != Stage.SWITCHED) {
            throw new IllegalStateException("rollout of " + envAppId + " cannot be aborted in stage " + stage);
          }
          abort(d, "aborted by " + subject.name());
        }
      }
      if (store.compareAndSet(key, e.version(), d).written()) {
        return;
      }
    }
  }

  // --- reading -------------------------------------------------------------------------------

  /** The version a rollout rolls out (or rolled out). */
  public Optional<Application> currentCanary(String envAppId) {
    return store.get(key(envAppId)).map(e -> ApplicationCodec.fromTree(e.value().get("canary")));
  }

  public Optional<RolloutStatus> status(String envAppId) {
    return store.get(key(envAppId)).map(e -> status((ObjectNode) e.value()));
  }

  private static RolloutStatus status(ObjectNode d) {
    Stage stage = Stage.valueOf(d.get("stage").asString());
    RolloutSpec spec = StepApplications.spec(ApplicationCodec.fromTree(d.get("canary")));
    List<String> steps = steps(spec);
    RolloutStatus.Phase phase = switch (stage) {
      case DONE -> RolloutStatus.Phase.HEALTHY;
      case ABORTING, ABORTED -> RolloutStatus.Phase.DEGRADED;
      default -> d.path("paused").asBoolean(false) ? RolloutStatus.Phase.PAUSED : RolloutStatus.Phase.PROGRESSING;
    };
    List<RolloutStatus.AnalysisRun> runs = new ArrayList<>();
    for (JsonNode r : d.get("runs")) {
      runs.add(new RolloutStatus.AnalysisRun(r.get("step").asInt(), r.get("template").asString(),
          AnalysisRun.fromJson(r.get("run"))));
    }
    return new RolloutStatus(d.get("application").asString(), d.get("environment").asString(),
        d.get("component").asString(), d.get("strategy").asString(), phase, stage, d.get("step").asInt(), steps,
        d.get("weight").asInt(), d.get("message").asString(), runs, Instant.parse(d.get("since").asString()));
  }

  /** The steps of a strategy as text. */
  public static List<String> steps(RolloutSpec spec) {
    if (spec.strategy() instanceof RolloutSpec.Canary c) {
      return c.steps().stream().map(RolloutSpec.CanaryStep::describe).toList();
    }
    RolloutSpec.BlueGreen bg = (RolloutSpec.BlueGreen) spec.strategy();
    List<String> out = new ArrayList<>();
    out.add("preview " + RolloutSpec.previewName(spec.component()) + " beside the active version");
    if (bg.prePromotionAnalysis() != null) {
      out.add("pre-promotion analysis " + bg.prePromotionAnalysis().templateName());
    }
    out.add(bg.autoPromotionEnabled() ? "promote automatically" : "pause until promoted");
    out.add("switch the active Service; keep the old version for "
        + io.orchestrationplane.delivery.Workflow.format(bg.scaleDownDelay()));
    return out;
  }

  /** When a pause, a measurement or a rollback window next makes something due. */
  public Optional<Instant> nextWakeUp() {
    Instant min = null;
    for (StateEntry e : store.list(NAMESPACE)) {
      Instant t = wakeUp((ObjectNode) e.value());
      if (t != null && (min == null || t.isBefore(min))) {
        min = t;
      }
    }
    return Optional.ofNullable(min);
  }

  public @Nullable Instant nextWakeUp(String envAppId) {
    return store.get(key(envAppId)).map(e -> wakeUp((ObjectNode) e.value())).orElse(null);
  }

  private @Nullable Instant wakeUp(ObjectNode d) {
    Stage stage = Stage.valueOf(d.get("stage").asString());
    if (!ACTIVE.contains(stage)) {
      return null;
    }
    Instant min = null;
    for (String f : List.of("pauseUntil", "windowUntil", "retryAt")) {
      if (d.has(f)) {
        min = earlier(min, Instant.parse(d.get(f).asString()));
      }
    }
    for (JsonNode r : d.get("runs")) {
      Optional<Instant> due = AnalysisRun.fromJson(r.get("run")).nextDue();
      if (due.isPresent()) {
        min = earlier(min, due.get());
      }
    }
    if (d.has("stepStarted")) {
      min = earlier(min, now().plusSeconds(10));  // health is polled
    }
    return min;
  }

  private static Instant earlier(@Nullable Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }

  /** What the application for the rollout's current moment is (for previews). */
  public static Application firstStep(Application canaryApp, Application stableApp, RolloutSpec spec) {
    int w = spec.strategy() instanceof RolloutSpec.Canary c && c.steps().get(0) instanceof RolloutSpec.SetWeight sw
        ? sw.weight() : 0;
    return StepApplications.render(canaryApp, stableApp, spec, new StepApplications.View(false, true, w, false, false));
  }

  public long evaluations() {
    return evaluations;
  }

  public long transitions() {
    return transitions;
  }

  private Instant now() {
    return clock.instant();
  }

  private static void stage(ObjectNode d, Stage stage) {
    d.put("stage", stage.name());
    d.put("applied", false);
    d.remove(List.of("stepStarted", "retryAt"));
  }
}
