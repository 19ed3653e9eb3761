package io.orchestrationplane.delivery.internal;

import static io.orchestrationplane.delivery.internal.StateDocs.instant;
import static io.orchestrationplane.delivery.internal.StateDocs.obj;
import static io.orchestrationplane.delivery.internal.StateDocs.objOrCreate;
import static io.orchestrationplane.delivery.internal.StateDocs.put;
import static io.orchestrationplane.delivery.internal.StateDocs.text;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.access.Action;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.cluster.ClusterRegistry;
import io.orchestrationplane.core.health.Health;
import io.orchestrationplane.core.health.ResourceHealth;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.ApplicationCodec;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.observe.PlaneRecord;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.state.StateEntry;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.state.StateWriteResult;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.delivery.ApprovalRule;
import io.orchestrationplane.delivery.ChangeWindow;
import io.orchestrationplane.delivery.Notification;
import io.orchestrationplane.delivery.Notifier;
import io.orchestrationplane.delivery.OnFailure;
import io.orchestrationplane.delivery.Release;
import io.orchestrationplane.delivery.ReleaseStatus;
import io.orchestrationplane.delivery.ReleaseStatus.RunPhase;
import io.orchestrationplane.delivery.ReleaseStatus.StepPhase;
import io.orchestrationplane.delivery.Step;
import io.orchestrationplane.delivery.StepContext;
import io.orchestrationplane.delivery.StepResult;
import io.orchestrationplane.delivery.StepType;
import io.orchestrationplane.delivery.WaitingFor;
import io.orchestrationplane.delivery.Workflow;
import io.orchestrationplane.policy.CelExpression;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The delivery engine. One workflow document per application holds everything that must change
 * together (the run, its steps, approvals, timers, what each environment runs); every transition
 * reads it, decides, and writes it back with compare-and-set. A side effect (an apply, a
 * notification, a user step, a rollback) is first <em>claimed</em> in the document (a claim id,
 * the engine's identity and a lease), then performed, then completed in the document if the claim
 * is still there; a restarted engine with the same identity, or any engine once the lease has
 * passed, performs a claimed action again, which for an apply means the same release's model
 * again (idempotent). Thread-safe.
 */
public final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  /**
   * The workflow document's format: 2 since runs name their workflow by digest ({@code
   * "definition"}, stored once in {@link Definitions}); a format 1 document's runs carry the
   * workflow itself ({@code "workflow"}) and are read as before.
   */
  private static final int FORMAT = 2;
  /** Transitions of one application in one {@link #runPending} call, a guard against a loop. */
  private static final int MAX_TRANSITIONS = 10_000;
  /** Decisions folded into one write, a guard against a loop (a workflow has far fewer steps). */
  private static final int MAX_DECISIONS = 1_000;
  /** How long after a partial apply, or a user step waiting without a time, the step is tried again. */
  public static final Duration RECHECK = Duration.ofSeconds(10);

  /** Everything the builder gathered. */
  public record Settings(OrchestrationPlane plane, StateStore store, Clock clock, String identity, Duration lease,
      int historyLimit, Map<String, StepType> stepTypes, Map<String, Notifier> notifiers, List<ChangeWindow> windows) {
    public Settings {
      stepTypes = Map.copyOf(stepTypes);
      notifiers = Map.copyOf(notifiers);
      windows = List.copyOf(windows);
    }
  }

  private final Settings s;
  private final AtomicLong writes = new AtomicLong();
  /**
   * Claim ids: a random UUID drawn once per engine, then a counter. As unique as a random UUID per
   * claim (a restarted engine draws a new one), without a {@code SecureRandom} draw per claim.
   */
  private final String claimPrefix = UUID.randomUUID() + "-";
  private final AtomicLong claims = new AtomicLong();
  private final Map<String, Release> releaseCache = new java.util.concurrent.ConcurrentHashMap<>();
  /** The release {@link #release} returned last, by what it was asked for (immutable, as {@link #releaseCache}'s). */
  private volatile @Nullable LastRelease lastRelease;

  private record LastRelease(String id, long number, Release release) {}
  private volatile byte @Nullable [] digestKey;
  /** An initialised HMAC per thread (a {@code Mac} is not thread-safe; the key never changes). */
  private final ThreadLocal<@Nullable Mac> macs = new ThreadLocal<>();
  /** The workflow of each run, decoded once: a run's workflow never changes (keyed by application and run number). */
  private final Map<String, Workflow> workflows = new java.util.concurrent.ConcurrentHashMap<>();
  private final Definitions definitions;
  /** The statuses read in the folded transition this thread is making, if it is making one. */
  private final ThreadLocal<@Nullable Map<String, ReadStatus>> statuses = new ThreadLocal<>();

  /** A status read in a folded transition, and the digest of the release whose application it is of. */
  private record ReadStatus(String digest, ApplicationStatus status) {}

  public Engine(Settings settings) {
    this.s = Objects.requireNonNull(settings, "settings");
    this.definitions = new Definitions(settings.store());
  }

  /** Workflow documents written by this engine (transitions, approvals, starts). */
  public long writes() {
    return writes.get();
  }

  // =====================================================================================
  // start

  public Release start(Application app, Workflow workflow, Subject author, Origin origin) {
    Application valid = s.plane().validate(app);
    check(valid, workflow);
    JsonNode model = ApplicationCodec.toTree(valid); // the digest's input and the release's stored model
    String digest = digestOf(model);
    String id = valid.id();
    String definition = definitions.digest(workflow);
    StateKey key = StateDocs.workflowKey(id);
    Release release = null;
    boolean defined = false;
    while (true) {
      Optional<StateEntry> entry = s.store().get(key);
      ObjectNode doc = entry.map(e -> (ObjectNode) e.value()).orElseGet(() -> newDoc(id));
      ObjectNode run = obj(doc, "run");
      if (run != null && (!phase(run).finished() || phase(run) == RunPhase.SUCCEEDED)
          && digest.equals(text(run, "digest"))
          && (run.has("definition") ? definition.equals(text(run, "definition"))
              : WorkflowCodec.toTree(workflow).equals(run.get("workflow")))) {
        return release(id, run.get("release").asLong()); // delivering or delivered this very model already
      }
      if (release == null) {
        // the same model as the newest release (a failed run started again) keeps its number
        List<Long> numbers = releaseNumbers(id);
        long newest = numbers.stream().mapToLong(Long::longValue).max().orElse(0);
        Release last = newest == 0 ? null : release(id, newest);
        release = last != null && last.digest().equals(digest) ? last
            : createRelease(id, digest, author, origin, valid, model, newest);
      }
      if (!defined) {
        definitions.store(workflow); // before the first document that names it
        defined = true;
      }
      Instant now = s.clock().instant();
      StepPhase @Nullable [] superseded = null;
      if (run != null && !phase(run).finished()) {
        superseded = stepPhases(run, workflow(run));
        finish(doc, run, RunPhase.SUPERSEDED, "superseded by release " + release.number(), now);
      }
      long number = doc.path("runs").asLong(0) + 1;
      doc.put("format", FORMAT); // a run names its workflow by digest from here on
      doc.put("runs", number);
      ObjectNode fresh = doc.putObject("run");
      fresh.put("number", number);
      fresh.put("release", release.number());
      fresh.put("digest", digest);
      fresh.set("author", StateDocs.subject(author));
      fresh.put("started", StateDocs.format(now));
      fresh.put("phase", RunPhase.RUNNING.name());
      fresh.put("message", "");
      fresh.put("definition", definition);
      ObjectNode steps = fresh.putObject("steps");
      for (Step step : workflow.steps()) {
        steps.putObject(step.name()).put("phase", StepPhase.PENDING.name()).put("attempts", 0).put("message", "");
      }
      if (write(key, entry.map(StateEntry::version).orElse(StateStore.ABSENT), doc)) {
        if (superseded != null) {
          reportFinished(id, superseded, run, now);
        }
        LOG.info("delivery of {} release {} ({}) by {} started with workflow {}", id, release.number(),
            release.shortDigest(), author.name(), workflow.name());
        return release;
      }
    }
  }

  private ObjectNode newDoc(String id) {
    ObjectNode doc = Json.object();
    doc.put("format", FORMAT);
    doc.put("application", id);
    doc.put("runs", 0);
    doc.putObject("environments");
    doc.putArray("history");
    return doc;
  }

  /** Checks the workflow against the application and this delivery's step types and notifiers. */
  private void check(Application app, Workflow workflow) {
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < workflow.steps().size(); i++) {
      Step step = workflow.steps().get(i);
      String path = "spec.steps[" + i + "]";
      for (String field : List.of("environment", "from", "to")) {
        String env = step.text(field);
        if (env != null && app.environment(env).isEmpty()) {
          problems.add(Problem.at(path + ".properties." + field, "application " + app.id() + " has no environment '"
              + env + "' (it has " + app.environments().stream().map(Environment::name).toList() + ")"));
        }
      }
      if (step.type().equals("notify") && !s.notifiers().containsKey(step.text("notifier"))) {
        problems.add(Problem.at(path + ".properties.notifier", "no notifier named '" + step.text("notifier")
            + "' is registered (registered: " + new java.util.TreeSet<>(s.notifiers().keySet()) + ")"));
      }
      if (!WorkflowRules.BUILT_IN.contains(step.type())) {
        StepType type = s.stepTypes().get(step.type());
        if (type == null) {
          problems.add(Problem.at(path + ".type", "no step type named '" + step.type() + "': use one of "
              + new java.util.TreeSet<>(WorkflowRules.BUILT_IN) + " or register a StepType"));
        } else {
          List<String> found;
          try {
            found = type.validate(step.properties());
          } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError | OutOfMemoryError e) {
            found = List.of("step type '" + step.type() + "' failed to validate: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
          }
          if (found == null) {
            found = List.of("step type '" + step.type() + "' failed to validate: it returned null");
          }
          for (String m : found) {
            problems.add(Problem.at(path + ".properties", m));
          }
        }
      }
    }
    for (String env : workflow.environments()) {
      String stageName = app.name() + "-" + env;
      if (stageName.length() > 63) {
        problems.add(Problem.at("spec.steps", "the application of environment " + env + " would be named '" + stageName
            + "', longer than 63 characters: shorten the application or environment name"));
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationException("Workflow '" + workflow.name() + "' for application " + app.id(), problems);
    }
  }

  private Release createRelease(String id, String digest, Subject author, Origin origin, Application model,
      JsonNode modelTree, long newest) {
    long next = newest + 1;
    while (true) {
      Release r = new Release(id, next, digest, author, s.clock().instant(), origin, model);
      if (s.store().create(StateDocs.releaseKey(id, next), StateDocs.encode(r, modelTree))
          instanceof StateWriteResult.Written) {
        releaseCache.put(id + "#" + next, r); // immutable: as a read would decode it
        return r;
      }
      // another engine took this number: read them again
      next = releaseNumbers(id).stream().mapToLong(Long::longValue).max().orElse(0) + 1;
    }
  }

  private List<Long> releaseNumbers(String id) {
    List<Long> out = new ArrayList<>();
    for (StateEntry e : s.store().list(StateDocs.RELEASES, id + ".")) {
      String rest = e.key().name().substring(id.length() + 1);
      if (rest.length() == 10 && rest.chars().allMatch(Character::isDigit)) {
        out.add(Long.parseLong(rest));
      }
    }
    return out;
  }

  /** A release by number; throws when it does not exist. */
  public Release release(String id, long number) {
    LastRelease last = lastRelease;
    if (last != null && last.number() == number && last.id().equals(id)) {
      return last.release(); // a run's decisions ask for its release again and again
    }
    String cacheKey = id + "#" + number;
    Release cached = releaseCache.get(cacheKey);
    if (cached != null) {
      lastRelease = new LastRelease(id, number, cached);
      return cached;
    }
    StateKey key = StateDocs.releaseKey(id, number);
    StateEntry e = s.store().get(key).orElseThrow(() -> new IllegalStateException("release " + number + " of "
        + id + " is not in the store (" + key + ")"));
    Release r = StateDocs.decodeRelease(key, e.value());
    releaseCache.put(cacheKey, r); // immutable: written once with create
    lastRelease = new LastRelease(id, number, r);
    return r;
  }

  /** Every kept release of an application, newest first. */
  public List<Release> releases(String id) {
    List<Long> numbers = releaseNumbers(id);
    numbers.sort(java.util.Comparator.reverseOrder());
    return numbers.stream().map(n -> release(id, n)).toList();
  }

  // =====================================================================================
  // digest

  /** {@code hmac-sha256:} over the model's canonical JSON (object keys sorted). */
  public String digest(Application app) {
    return digestOf(ApplicationCodec.toTree(app));
  }

  /** {@link #digest(Application)} of the model's tree ({@link ApplicationCodec#toTree}). */
  private String digestOf(JsonNode model) {
    try {
      Mac mac = macs.get();
      if (mac == null) {
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(digestKey(), "HmacSHA256"));
        macs.set(mac); // doFinal resets it for the next digest
      }
      byte[] sum = mac.doFinal(Json.writeJson(canonical(model)).getBytes(StandardCharsets.UTF_8));
      return "hmac-sha256:" + HexFormat.of().formatHex(sum);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  static JsonNode canonical(JsonNode n) {
    if (n instanceof ObjectNode o) {
      TreeMap<String, JsonNode> byName = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        byName.put(e.getKey(), e.getValue());
      }
      ObjectNode sorted = Json.object();
      byName.forEach((k, v) -> sorted.set(k, canonical(v)));
      return sorted;
    }
    if (n instanceof ArrayNode a) {
      ArrayNode out = Json.JSON.createArrayNode();
      a.forEach(x -> out.add(canonical(x)));
      return out;
    }
    return n;
  }

  private byte[] digestKey() {
    byte[] key = digestKey;
    if (key != null) {
      return key;
    }
    while (true) {
      Optional<StateEntry> e = s.store().get(StateDocs.DIGEST_KEY);
      if (e.isPresent()) {
        key = Base64.getDecoder().decode(e.get().value().get("key").asString());
        digestKey = key;
        return key;
      }
      byte[] fresh = new byte[32];
      new SecureRandom().nextBytes(fresh);
      ObjectNode doc = Json.object();
      doc.put("format", 1);
      doc.put("key", Base64.getEncoder().encodeToString(fresh));
      s.store().create(StateDocs.DIGEST_KEY, doc); // a lost race reads the winner's key above
    }
  }

  // =====================================================================================
  // approvals

  /** Records an approval or rejection of an approval step of the running release. */
  public void decide(String id, String stepName, @Nullable String digest, Subject subject, String comment, boolean approve) {
    StateKey key = StateDocs.workflowKey(id);
    while (true) {
      StateEntry entry = s.store().get(key).orElseThrow(() -> new IllegalStateException(id + " has no delivery run"));
      ObjectNode doc = (ObjectNode) entry.value();
      ObjectNode run = runningRun(id, doc);
      Workflow wf = workflow(run);
      Step step = wf.step(stepName).orElseThrow(() -> new IllegalArgumentException("workflow " + wf.name()
          + " has no step '" + stepName + "'"));
      if (!step.type().equals("approval")) {
        throw new IllegalArgumentException("step '" + stepName + "' is a " + step.type() + " step, not an approval step");
      }
      authorizeApproval(id, wf, stepName, subject);
      checkDigest(run, digest);
      ObjectNode st = (ObjectNode) run.get("steps").get(stepName);
      if (stepPhase(st) != StepPhase.WAITING) {
        throw new IllegalStateException("step '" + stepName + "' of " + id + " is " + text(st, "phase")
            + ", not waiting for approval");
      }
      ApprovalRule rule = WorkflowRules.approvalRule(step);
      Subject author = StateDocs.subject(run.get("author"));
      eligible(rule, subject, author, id, run, "approve");
      if (!record(st.withArray("decisions"), subject, approve, text(run, "digest"), comment)) {
        return;
      }
      if (write(key, entry.version(), doc)) {
        LOG.info("{} {} step {} of {} release {}", subject.name(), approve ? "approved" : "rejected", stepName, id,
            run.get("release").asLong());
        s.plane().recordApproval(new PlaneRecord.Approval(s.clock().instant(), subject, id, stepName, "",
            text(run, "digest"), approve ? PlaneRecord.Approval.Decision.APPROVED : PlaneRecord.Approval.Decision.REJECTED,
            comment == null ? "" : comment));
        return;
      }
    }
  }

  /** Records an approval to let the running release through the change windows that block an environment now. */
  public void approveOverride(String id, String environment, @Nullable String digest, Subject subject, String comment) {
    StateKey key = StateDocs.workflowKey(id);
    while (true) {
      StateEntry entry = s.store().get(key).orElseThrow(() -> new IllegalStateException(id + " has no delivery run"));
      ObjectNode doc = (ObjectNode) entry.value();
      ObjectNode run = runningRun(id, doc);
      s.plane().authorize(subject, Action.OVERRIDE, stageId(id, environment), List.of(environment));
      checkDigest(run, digest);
      Workflow wf = workflow(run);
      List<ChangeWindow> windows = windows(wf);
      ChangeWindow.Verdict verdict = ChangeWindow.evaluate(windows, environment, s.clock().instant());
      if (verdict.allowed()) {
        throw new IllegalStateException("no change window blocks " + environment + " now: there is nothing to override");
      }
      Subject author = StateDocs.subject(run.get("author"));
      for (ChangeWindow w : verdict.blocking()) {
        if (w.override() == null) {
          throw new IllegalStateException("change window " + w.describe() + " blocks " + environment
              + " and names no one who may override it");
        }
        eligible(w.override(), subject, author, id, run, "override the change windows of " + environment + " for");
      }
      ArrayNode list = objOrCreate(run, "overrides").withArray(environment);
      if (!record(list, subject, true, text(run, "digest"), comment)) {
        return;
      }
      if (write(key, entry.version(), doc)) {
        LOG.info("{} approved an override of the change windows of {} for {} release {}", subject.name(), environment,
            id, run.get("release").asLong());
        s.plane().recordApproval(new PlaneRecord.Approval(s.clock().instant(), subject, id, "", environment,
            text(run, "digest"), PlaneRecord.Approval.Decision.OVERRIDE, comment == null ? "" : comment));
        return;
      }
    }
  }

  /**
   * Asks the plane's access control for {@link Action#APPROVE} on the application of each environment
   * the approval step gates (the apply and promote targets of the steps that depend on it, directly
   * or not), as the plane asks for the applies there; on the application itself when it gates none.
   * A refusal throws before anything is recorded.
   */
  private void authorizeApproval(String id, Workflow wf, String stepName, Subject subject) {
    List<String> gated = gatedEnvironments(wf, stepName);
    if (gated.isEmpty()) {
      s.plane().authorize(subject, Action.APPROVE, id, List.of());
      return;
    }
    for (String env : gated) {
      s.plane().authorize(subject, Action.APPROVE, stageId(id, env), List.of(env));
    }
  }

  /** The environments applied by the steps after {@code stepName} in the workflow's DAG, in step order. */
  static List<String> gatedEnvironments(Workflow wf, String stepName) {
    Set<String> after = new HashSet<>(Set.of(stepName));
    List<String> out = new ArrayList<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      List<Step> steps = wf.steps();
      for (int i = 0; i < steps.size(); i++) {
        Step st = steps.get(i);
        List<String> deps = st.dependsOn() != null ? st.dependsOn() : i == 0 ? List.of() : List.of(steps.get(i - 1).name());
        if (!after.contains(st.name()) && deps.stream().anyMatch(after::contains)) {
          after.add(st.name());
          grew = true;
        }
      }
    }
    for (Step st : wf.steps()) {
      if (!after.contains(st.name()) || st.name().equals(stepName)) {
        continue;
      }
      String env = st.type().equals("apply") ? st.text("environment") : st.type().equals("promote") ? st.text("to") : null;
      if (env != null && !out.contains(env)) {
        out.add(env);
      }
    }
    return out;
  }

  private static void eligible(ApprovalRule rule, Subject subject, Subject author, String id, ObjectNode run, String what) {
    if (!rule.allowAuthor() && subject.name().equals(author.name())) {
      throw new IllegalArgumentException(subject.name() + " is the author of release " + run.get("release").asLong()
          + " of " + id + " and may not " + what + " it");
    }
    if (!rule.eligible(subject, author)) {
      throw new IllegalArgumentException(subject.name() + " may not " + what + " release " + run.get("release").asLong()
          + " of " + id + ": the rule asks for " + rule.describe());
    }
  }

  private static void checkDigest(ObjectNode run, @Nullable String digest) {
    if (digest != null && !digest.equals(text(run, "digest"))) {
      throw new IllegalStateException("the decision was for " + digest + ", but the run delivers release "
          + run.get("release").asLong() + " (" + text(run, "digest") + "): look at that release and decide again");
    }
  }

  /** Adds a decision unless the subject made the same one already; false when nothing changed. */
  private boolean record(ArrayNode decisions, Subject subject, boolean approve, @Nullable String digest, String comment) {
    for (JsonNode d : decisions) {
      if (d.get("subject").get("name").asString().equals(subject.name()) && d.get("approved").asBoolean() == approve
          && d.get("digest").asString().equals(digest)) {
        return false;
      }
    }
    ObjectNode d = decisions.addObject();
    d.set("subject", StateDocs.subject(subject));
    d.put("approved", approve);
    d.put("digest", digest);
    d.put("comment", comment);
    d.put("time", s.clock().instant().toString());
    return true;
  }

  private static ObjectNode runningRun(String id, ObjectNode doc) {
    ObjectNode run = obj(doc, "run");
    if (run == null || phase(run).finished()) {
      throw new IllegalStateException(id + " has no running delivery run");
    }
    return run;
  }

  // =====================================================================================
  // the loop

  /** Runs every application's transitions that are due; returns how many were made. */
  public int runPending() {
    int total = 0;
    for (StateEntry listed : unfinished()) {
      String id = listed.key().name();
      LastWrite last = new LastWrite();
      last.listed = listed;
      for (int i = 0; i < MAX_TRANSITIONS; i++) {
        Boolean moved = transitionSafely(id, true, last);
        if (moved == null || !moved) {
          break;
        }
        total++;
      }
    }
    return total;
  }

  /**
   * The document this engine wrote last for one application and the version its compare-and-set
   * gave it, so that the next transition of the same {@link #runPending} pass decides on it
   * instead of reading back what it has just written. That is the state a read right after the
   * write returns (the store keeps its own copy of what it was given); if anyone wrote since, the
   * next compare-and-set fails as it would after a stale read. Only a successful write sets it.
   *
   * <p>Before the first write of the pass it holds the document as the pass's listing read it
   * ({@link #listed}): the first transition decides on that instead of reading it again, unless it
   * holds a claim (an effect is performed only on a document read just before); a decision on it
   * that loses its compare-and-set is made again on a fresh read, as it would have been had the
   * document been read at that point.
   */
  private static final class LastWrite {
    @Nullable ObjectNode doc;
    long version;
    @Nullable StateEntry listed;

    void set(ObjectNode doc, long version) {
      this.doc = doc;
      this.version = version;
    }

    /** Takes it (each written state is decided on once); null when there is none. */
    @Nullable StateEntry take(StateKey key) {
      ObjectNode d = doc;
      doc = null;
      return d == null ? null : new StateEntry(key, version, d);
    }

    /** Takes the listed document (once) when it holds no claim; null otherwise. */
    @Nullable StateEntry takeListed() {
      StateEntry l = listed;
      listed = null;
      return l == null || l.value().path("run").has("claim") ? null : l;
    }
  }

  /** Makes at most one transition (of the first application that has one due); true if it did. */
  public boolean runOnce() {
    for (String id : applications()) {
      Boolean moved = transitionSafely(id, false, null);
      if (moved != null && moved) {
        return true;
      }
    }
    return false;
  }

  private List<String> applications() {
    return unfinished().stream().map(e -> e.key().name()).toList();
  }

  /**
   * The workflow documents whose run has not finished, as read now. The store tests that on its
   * own copies and hands out only these (a finished run's document, kept for its history and
   * status, is not copied at every pass).
   */
  private List<StateEntry> unfinished() {
    return s.store().list(StateDocs.WORKFLOWS, "", Engine::unfinishedRun);
  }

  /** The document has a run that has not finished; reads it only. */
  private static boolean unfinishedRun(JsonNode doc) {
    JsonNode run = doc.get("run");
    return run instanceof ObjectNode && !phase(run).finished();
  }

  /** One transition; null when it failed (logged; other applications go on). */
  private @Nullable Boolean transitionSafely(String id, boolean fold, @Nullable LastWrite last) {
    try {
      return transition(id, fold, last);
    } catch (RuntimeException e) {
      LOG.warn("delivery of {} could not advance: {}", id, e.toString());
      return null;
    }
  }

  /** The next time something is due without outside input (a timer, a lease, a window). */
  public Optional<Instant> nextWakeUp() {
    Instant best = null;
    for (StateEntry e : unfinished()) {
      ObjectNode run = (ObjectNode) e.value().get("run");
      List<Instant> times = new ArrayList<>();
      ObjectNode claim = obj(run, "claim");
      if (claim != null) {
        times.add(instant(claim, "until"));
      }
      run.get("steps").forEach(st -> {
        for (String f : List.of("next", "deadline", "wake", "recheck")) {
          Instant t = instant(st, f);
          if (t != null) {
            times.add(t);
          }
        }
      });
      for (Instant t : times) {
        if (t != null && (best == null || t.isBefore(best))) {
          best = t;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * One transition of one application: decide on a fresh read, write with compare-and-set. With
   * {@code fold}, the decisions that follow need no effect are made in the same transition (see
   * {@link #decideAll}); without, one decision per transition.
   */
  private boolean transition(String id, boolean fold, @Nullable LastWrite last) {
    StateKey key = StateDocs.workflowKey(id);
    StateEntry known = last == null ? null : last.take(key);
    boolean listed = false;
    if (known == null && last != null) {
      known = last.takeListed();
      listed = known != null;
    }
    Optional<StateEntry> entry = known != null ? Optional.of(known) : s.store().get(key);
    if (entry.isEmpty()) {
      return false;
    }
    ObjectNode doc = (ObjectNode) entry.get().value();
    ObjectNode run = obj(doc, "run");
    if (run == null || phase(run).finished()) {
      return false;
    }
    Instant now = s.clock().instant();
    ObjectNode claim = obj(run, "claim");
    if (claim != null) {
      if (!s.identity().equals(text(claim, "by")) && now.isBefore(instant(claim, "until"))) {
        return false; // another engine holds it
      }
      String claimId = text(claim, "id");
      Consumer<ObjectNode> completion = perform(id, doc, run, claim, now);
      return complete(id, key, entry.get().version(), doc, claimId, completion, now, fold, last);
    }
    StepPhase[] before = stepPhases(run, workflow(run));
    boolean changed = fold ? decideAll(id, doc, run, now) : decide(id, doc, run, now);
    if (changed && write(key, entry.get().version(), doc, last)) {
      reportFinished(id, before, run, now);
      return true;
    }
    if (changed && listed) {
      return transition(id, fold, last); // written since the listing: decide again on a fresh read
    }
    return false;
  }

  /** Applies a completion if the claim is still the one performed; re-reads on conflict. */
  private boolean complete(String id, StateKey key, long version, ObjectNode doc, @Nullable String claimId,
      Consumer<ObjectNode> completion, Instant now, boolean fold, @Nullable LastWrite last) {
    boolean decideAfter = fold;
    while (true) {
      ObjectNode run = obj(doc, "run");
      ObjectNode claim = run == null ? null : obj(run, "claim");
      if (claim == null || !Objects.equals(claimId, text(claim, "id"))) {
        LOG.warn("the claim {} of {} was taken over before it completed; its result is dropped", claimId, key);
        return true;
      }
      run.remove("claim");
      StepPhase[] before = stepPhases(run, workflow(run));
      completion.accept(doc);
      boolean failed = false;
      if (decideAfter) {
        try {
          decideAll(id, doc, run, now); // what follows the effect, in the same write
        } catch (RuntimeException e) {
          // the effect's completion is written in any case: read again (this document is half
          // decided) and write the completion alone; what follows is the next transition's
          LOG.warn("delivery of {}: after completing {}, the next decision failed: {}", id, claimId, e.toString());
          decideAfter = false;
          failed = true;
        }
      }
      if (!failed && write(key, version, doc, last)) {
        reportFinished(id, before, run, now);
        return true;
      }
      StateEntry fresh = s.store().get(key).orElse(null);
      if (fresh == null) {
        return true;
      }
      doc = (ObjectNode) fresh.value();
      version = fresh.version();
    }
  }

  /**
   * Decides on {@code doc} again and again until a claim is placed (an effect comes next, and its
   * claim must be written before it is performed), the run has finished, or nothing changes; true
   * when anything changed. The decisions between two writes need no effect and read only the
   * plane and the clock, so writing their end state once is what writing each would have left, and
   * a transition costs one read and one write instead of one per decision.
   */
  private boolean decideAll(String id, ObjectNode doc, ObjectNode run, Instant now) {
    boolean changed = false;
    Map<String, ReadStatus> outer = statuses.get();
    statuses.set(new HashMap<>());
    try {
      for (int i = 0; i < MAX_DECISIONS; i++) {
        if (run.has("claim") || phase(run).finished() || !decide(id, doc, run, now)) {
          break;
        }
        changed = true;
      }
    } finally {
      statuses.set(outer);
    }
    return changed;
  }

  /**
   * The plane's status of an environment of the release. Within one folded transition ({@link
   * #decideAll}) each environment's status is read once: its decisions are made on one read of
   * the plane, as they are made at one instant of the clock (a wait-healthy step and the
   * promotion from the same environment that follows it see the same status). Outside one, a
   * fresh read each time.
   */
  private ApplicationStatus environmentStatus(Release release, String env) {
    Map<String, ReadStatus> memo = statuses.get();
    if (memo == null) {
      return s.plane().status(stageOf(release, env));
    }
    ReadStatus read = memo.get(env);
    if (read == null || !read.digest().equals(release.digest())) {
      read = new ReadStatus(release.digest(), s.plane().status(stageOf(release, env)));
      memo.put(env, read);
    }
    return read.status();
  }

  /**
   * The phase of each step of a run, in the order of its workflow's steps (null for a step the
   * document does not hold), to tell after a write which steps it finished.
   */
  private static StepPhase[] stepPhases(ObjectNode run, Workflow wf) {
    List<Step> all = wf.steps();
    StepPhase[] out = new StepPhase[all.size()];
    JsonNode steps = run.get("steps");
    if (steps instanceof ObjectNode) {
      for (int i = 0; i < out.length; i++) {
        JsonNode st = steps.get(all.get(i).name());
        out[i] = st == null ? null : stepPhase(st);
      }
    }
    return out;
  }

  /** A stored step's phase ({@code StepPhase.valueOf} of its {@code "phase"} without the enum's name map). */
  static StepPhase stepPhase(JsonNode st) {
    String t = text(st, "phase");
    if (t == null) {
      throw new IllegalArgumentException("a step without a phase");
    }
    return switch (t) {
      case "PENDING" -> StepPhase.PENDING;
      case "WAITING" -> StepPhase.WAITING;
      case "RUNNING" -> StepPhase.RUNNING;
      case "SUCCEEDED" -> StepPhase.SUCCEEDED;
      case "FAILED" -> StepPhase.FAILED;
      case "CANCELLED" -> StepPhase.CANCELLED;
      default -> StepPhase.valueOf(t); // throws as before
    };
  }

  /**
   * Tells the plane's observers of every step that a write which won its compare-and-set finished:
   * unfinished in {@code before}, finished in {@code run} as written. A step that never began (a
   * pending step cancelled) has no duration and is not told. Only the winning writer calls this, so
   * a step's end is told once, and an engine restarted later finds it finished already.
   */
  private void reportFinished(String id, StepPhase[] before, ObjectNode run, Instant now) {
    ObjectNode steps = obj(run, "steps");
    if (steps == null) {
      return;
    }
    Workflow wf = workflow(run);
    @Nullable Subject author = null;
    List<Step> all = wf.steps();
    for (int i = 0; i < all.size(); i++) {
      Step step = all.get(i);
      JsonNode st = steps.get(step.name());
      StepPhase was = before[i];
      if (st == null || was == null || was.finished()) {
        continue;
      }
      StepPhase phase = stepPhase(st);
      if (!phase.finished()) {
        continue;
      }
      Instant begun = instant(st, "begun");
      if (begun == null) {
        begun = instant(st, "started");
      }
      if (begun == null) {
        continue;
      }
      if (author == null) {
        author = StateDocs.subject(run.get("author"));
      }
      PlaneRecord.StepFinished.Outcome outcome = switch (phase) {
        case SUCCEEDED -> PlaneRecord.StepFinished.Outcome.SUCCEEDED;
        case FAILED -> st.path("timedOut").asBoolean(false)
            ? PlaneRecord.StepFinished.Outcome.TIMED_OUT : PlaneRecord.StepFinished.Outcome.FAILED;
        default -> PlaneRecord.StepFinished.Outcome.CANCELLED;
      };
      String env = target(step) != null ? target(step) : step.text("environment");
      Duration took = Duration.between(begun, now);
      s.plane().recordStep(new PlaneRecord.StepFinished(now, author, id, step.name(), step.type(),
          env == null ? "" : env, outcome, took.isNegative() ? Duration.ZERO : took,
          Math.max(1, st.path("attempts").asInt())));
    }
  }

  private boolean write(StateKey key, long version, ObjectNode doc) {
    return write(key, version, doc, null);
  }

  /** A compare-and-set of the workflow document; when it wins, {@code last} (if given) keeps what was written. */
  private boolean write(StateKey key, long version, ObjectNode doc, @Nullable LastWrite last) {
    StateWriteResult r = s.store().compareAndSet(key, version, doc);
    if (r instanceof StateWriteResult.Written w) {
      writes.incrementAndGet();
      if (last != null) {
        last.set(doc, w.version());
      }
      return true;
    }
    return false;
  }

  // =====================================================================================
  // deciding

  private boolean decide(String id, ObjectNode doc, ObjectNode run, Instant now) {
    Workflow wf = workflow(run);
    Release release = release(id, run.get("release").asLong());
    ObjectNode steps = (ObjectNode) run.get("steps");
    if (phase(run) == RunPhase.ROLLING_BACK) {
      ArrayNode pending = (ArrayNode) run.get("rollback").get("pending");
      if (pending.isEmpty()) {
        finish(doc, run, RunPhase.ROLLED_BACK, text(run, "message") + "; " + text(run.get("rollback"), "summary"), now);
        return true;
      }
      claim(run, "rollback:" + pending.get(0).asString(), now);
      return true;
    }
    Step failed = null;
    boolean allDone = true;
    for (Step step : wf.steps()) {
      ObjectNode st = (ObjectNode) steps.get(step.name());
      StepPhase phase = stepPhase(st);
      if (phase == StepPhase.FAILED) {
        failed = failed == null ? step : failed;
        continue;
      }
      if (phase.finished()) {
        continue;
      }
      allDone = false;
      boolean ready = true;
      for (String d : step.dependsOn()) {
        if (stepPhase(steps.get(d)) != StepPhase.SUCCEEDED) {
          ready = false;
          break;
        }
      }
      if (!ready || failed != null) {
        continue;
      }
      if (evaluate(id, doc, run, release, wf, step, st, now)) {
        return true;
      }
    }
    if (failed != null) {
      ObjectNode st = (ObjectNode) steps.get(failed.name());
      String why = "step " + failed.name() + " failed: " + text(st, "message");
      cancelRest(steps);
      if (failed.onFailure() == OnFailure.ROLLBACK) {
        run.put("phase", RunPhase.ROLLING_BACK.name());
        run.put("message", why);
        ObjectNode rb = run.putObject("rollback");
        ArrayNode pending = rb.putArray("pending");
        List<String> applied = new ArrayList<>();
        for (Step step : wf.steps()) {
          JsonNode prev = steps.get(step.name()).get("previous");
          String env = target(step);
          if (prev != null && env != null && !applied.contains(env)) {
            applied.add(0, env);
          }
        }
        // the failed step's environment, if it names one; otherwise every environment the run changed
        String concerned = failed.text("environment") != null ? failed.text("environment") : target(failed);
        if (concerned != null) {
          applied.retainAll(List.of(concerned));
        }
        applied.forEach(pending::add);
        rb.put("summary", !applied.isEmpty() ? "" : concerned != null
            ? "this run did not change " + concerned + ", nothing to roll back" : "nothing was applied, nothing to roll back");
      } else {
        finish(doc, run, RunPhase.FAILED, why, now);
      }
      return true;
    }
    if (allDone) {
      finish(doc, run, RunPhase.SUCCEEDED, "release " + release.number() + " delivered", now);
      return true;
    }
    return false;
  }

  private static void cancelRest(ObjectNode steps) {
    steps.properties().forEach(e -> {
      ObjectNode st = (ObjectNode) e.getValue();
      if (!stepPhase(st).finished()) {
        st.put("phase", StepPhase.CANCELLED.name());
        st.remove("waiting");
        st.remove("next");
        st.remove("deadline");
        st.remove("wake");
        st.remove("recheck");
      }
    });
  }

  private static @Nullable String target(Step step) {
    return switch (step.type()) {
      case "apply" -> step.text("environment");
      case "promote" -> step.text("to");
      default -> null;
    };
  }

  /** Decides one ready step; true when the document changed. */
  private boolean evaluate(String id, ObjectNode doc, ObjectNode run, Release release, Workflow wf, Step step,
      ObjectNode st, Instant now) {
    ObjectNode before = st.deepCopy();
    StepPhase phase = stepPhase(st);
    Instant next = instant(st, "next");
    if (next != null && now.isBefore(next)) {
      return false; // a retry timer
    }
    Instant recheck = instant(st, "recheck");
    if (recheck != null && now.isBefore(recheck)) {
      return false; // a partial apply or a user step waiting: tried again later
    }
    st.remove("recheck");
    if (phase == StepPhase.PENDING || next != null) {
      // a new attempt begins
      st.put("attempts", st.path("attempts").asInt() + 1);
      st.put("started", StateDocs.format(now));
      if (!st.has("begun")) {
        st.put("begun", StateDocs.format(now)); // the first attempt's start: where the step's duration begins
      }
      st.remove("next");
      st.remove("healthySince");
      st.remove("soaked");
      Duration timeout = timeout(step);
      put(st, "deadline", timeout == null ? null : now.plus(timeout));
      st.put("phase", StepPhase.WAITING.name());
    }
    Instant deadline = instant(st, "deadline");
    if (deadline != null && !now.isBefore(deadline)) {
      String waitingFor = st.has("waiting") ? waitingFor(st.get("waiting")).describe() : "it to finish";
      attemptFailed(step, st, (step.type().equals("approval") ? "expired after " : "timed out after ")
          + Workflow.format(timeout(step)) + " waiting for " + waitingFor, now, !step.type().equals("approval"));
      if (stepPhase(st) == StepPhase.FAILED) {
        st.put("timedOut", true); // failed for good by its deadline: told as TIMED_OUT
      }
      return true;
    }
    switch (step.type()) {
      case "apply" -> {
        String env = step.text("environment");
        if (windowGate(run, wf, env, st, now)) {
          claim(run, "step:" + step.name(), now);
          rememberPrevious(doc, st, env);
        }
      }
      case "promote" -> {
        String from = step.text("from");
        String to = step.text("to");
        JsonNode deployed = doc.get("environments").get(from);
        if (deployed == null || !text(run, "digest").equals(text(deployed, "digest"))) {
          attemptFailed(step, st, from + " does not run release " + release.number() + " ("
              + (deployed == null ? "it runs no release" : "it runs release " + deployed.get("release").asLong()) + ")", now, true);
          return true;
        }
        if (!st.path("soaked").asBoolean(false)
            && !healthy(release, step, st, from, WorkflowRules.duration(step, "soak", Duration.ZERO), now)) {
          break;
        }
        st.put("soaked", true);
        if (windowGate(run, wf, to, st, now)) {
          claim(run, "step:" + step.name(), now);
          rememberPrevious(doc, st, to);
        }
      }
      case "wait-healthy" -> {
        String env = step.text("environment");
        if (healthy(release, step, st, env, WorkflowRules.duration(step, "soak", Duration.ZERO), now)) {
          succeed(st, env + " is healthy");
        }
      }
      case "window" -> {
        if (windowGate(run, wf, step.text("environment"), st, now)) {
          succeed(st, "the change windows of " + step.text("environment") + " allow changes");
        }
      }
      case "approval" -> approval(run, step, st);
      case "check" -> check(release, step, st, now);
      default -> claim(run, "step:" + step.name(), now); // notify and user step types have effects
    }
    return !before.equals(st) || run.has("claim");
  }

  private static @Nullable Duration timeout(Step step) {
    if (step.timeout() != null) {
      return step.timeout();
    }
    if (step.type().equals("wait-healthy")) {
      return WorkflowRules.DEFAULT_HEALTH_TIMEOUT.plus(WorkflowRules.duration(step, "soak", Duration.ZERO));
    }
    return null;
  }

  private void rememberPrevious(ObjectNode doc, ObjectNode st, String env) {
    if (!st.has("previous")) {
      JsonNode deployed = doc.get("environments").get(env);
      st.set("previous", deployed == null ? Json.JSON.nullNode() : deployed.deepCopy());
    }
  }

  private void claim(ObjectNode run, String action, Instant now) {
    ObjectNode claim = run.putObject("claim");
    claim.put("id", claimPrefix + Long.toString(claims.incrementAndGet(), 36));
    claim.put("action", action);
    claim.put("by", s.identity());
    claim.put("until", StateDocs.format(now.plus(s.lease())));
    if (action.startsWith("step:")) {
      ObjectNode st = (ObjectNode) run.get("steps").get(action.substring(5));
      st.put("phase", StepPhase.RUNNING.name());
    }
  }

  private static void succeed(ObjectNode st, String message) {
    st.put("phase", StepPhase.SUCCEEDED.name());
    st.put("message", message);
    st.remove("waiting");
    st.remove("deadline");
    st.remove("wake");
    st.remove("next");
  }

  private static void attemptFailed(Step step, ObjectNode st, String message, Instant now, boolean retryable) {
    st.remove("waiting");
    st.remove("wake");
    st.remove("deadline");
    if (retryable && st.path("attempts").asInt() <= step.retries()) {
      Instant at = now.plus(step.retryDelay());
      st.put("phase", StepPhase.WAITING.name());
      st.put("next", StateDocs.format(at));
      st.put("message", message);
      st.set("waiting", waiting(new WaitingFor.Retry(at, message)));
    } else {
      st.put("phase", StepPhase.FAILED.name());
      st.put("message", message);
      st.remove("next");
    }
  }

  private static void wait(ObjectNode st, WaitingFor why, @Nullable Instant wake) {
    st.put("phase", StepPhase.WAITING.name());
    st.set("waiting", waiting(why));
    st.put("message", why.describe());
    put(st, "wake", wake);
  }

  // ---- gates

  private List<ChangeWindow> windows(Workflow wf) {
    List<ChangeWindow> all = new ArrayList<>(s.windows());
    all.addAll(wf.windows());
    return all;
  }

  /** True when changes may reach {@code env} now (by the windows or an override); else records the wait. */
  private boolean windowGate(ObjectNode run, Workflow wf, String env, ObjectNode st, Instant now) {
    if (s.windows().isEmpty() && wf.windows().isEmpty()) {
      return true; // what ChangeWindow.evaluate says of no windows
    }
    ChangeWindow.Verdict v = ChangeWindow.evaluate(windows(wf), env, now);
    if (v.allowed()) {
      return true;
    }
    ObjectNode overrides = obj(run, "overrides");
    ArrayNode given = overrides == null ? null : (ArrayNode) overrides.get(env);
    if (given != null && overridden(v, given, run)) {
      return true;
    }
    wait(st, new WaitingFor.Window(env, v.blocking().stream().map(ChangeWindow::describe).toList(), v.opensAt()),
        v.opensAt().orElse(null));
    return false;
  }

  private static boolean overridden(ChangeWindow.Verdict v, ArrayNode given, ObjectNode run) {
    Subject author = StateDocs.subject(run.get("author"));
    String digest = text(run, "digest");
    for (ChangeWindow w : v.blocking()) {
      if (w.override() == null || count(w.override(), given, author, digest) < w.override().required()) {
        return false;
      }
    }
    return true;
  }

  private static int count(ApprovalRule rule, ArrayNode decisions, Subject author, @Nullable String digest) {
    java.util.Set<String> who = new java.util.TreeSet<>();
    for (JsonNode d : decisions) {
      Subject subject = StateDocs.subject(d.get("subject"));
      if (d.get("approved").asBoolean() && d.get("digest").asString().equals(digest) && rule.eligible(subject, author)) {
        who.add(subject.name());
      }
    }
    return who.size();
  }

  private void approval(ObjectNode run, Step step, ObjectNode st) {
    ApprovalRule rule = WorkflowRules.approvalRule(step);
    Subject author = StateDocs.subject(run.get("author"));
    String digest = text(run, "digest");
    ArrayNode decisions = st.withArray("decisions");
    for (JsonNode d : decisions) {
      if (!d.get("approved").asBoolean() && d.get("digest").asString().equals(digest)
          && rule.eligible(StateDocs.subject(d.get("subject")), author)) {
        String comment = d.get("comment").asString();
        attemptFailed(step, st, "rejected by " + d.get("subject").get("name").asString()
            + (comment.isEmpty() ? "" : ": " + comment), s.clock().instant(), false);
        return;
      }
    }
    int have = count(rule, decisions, author, digest);
    List<String> by = new ArrayList<>();
    decisions.forEach(d -> {
      if (d.get("approved").asBoolean()) {
        by.add(d.get("subject").get("name").asString());
      }
    });
    if (have >= rule.required()) {
      succeed(st, "approved by " + String.join(", ", by));
    } else {
      wait(st, new WaitingFor.Approval(rule.describe(), by, Optional.ofNullable(instant(st, "deadline"))), null);
    }
  }

  /** True once {@code env} has been healthy for {@code soak}; records what it waits for otherwise. */
  private boolean healthy(Release release, Step step, ObjectNode st, String env, Duration soak, Instant now) {
    ApplicationStatus status = environmentStatus(release, env);
    List<String> unhealthy = new ArrayList<>();
    for (ResourceHealth r : status.health().unhealthy()) {
      unhealthy.add(r.key().display() + " (cluster " + r.key().cluster() + "): " + r.status().health() + " "
          + r.status().message());
    }
    if (status.phase() != Phase.READY) {
      status.outOfSync().forEach(r -> unhealthy.add(r.key().display() + " (cluster " + r.key().cluster() + "): " + r.state()));
    }
    if (status.health().health() != Health.HEALTHY || status.phase() != Phase.READY || !unhealthy.isEmpty()) {
      st.remove("healthySince");
      if (unhealthy.isEmpty()) {
        unhealthy.add(status.phase() + ": " + status.health().message());
      }
      wait(st, new WaitingFor.Health(env, unhealthy), null);
      return false;
    }
    Instant since = instant(st, "healthySince");
    if (since == null) {
      since = now;
      st.put("healthySince", StateDocs.format(now));
    }
    Instant until = since.plus(soak);
    if (now.isBefore(until)) {
      wait(st, new WaitingFor.Soak(env, until), until);
      return false;
    }
    return true;
  }

  private void check(Release release, Step step, ObjectNode st, Instant now) {
    String env = step.text("environment");
    String expression = step.text("expression");
    // A CEL expression reads a variable only by naming it, so a variable whose name its text
    // does not contain cannot be read: it is left out rather than built and converted for nothing.
    String text = expression == null ? "" : expression;
    Map<String, Object> vars = new HashMap<>();
    if (text.contains("environment")) {
      vars.put("environment", env == null ? "" : env);
    }
    if (text.contains("release")) {
      vars.put("release", Map.of("number", release.number(), "digest", release.digest(), "author", release.author().name()));
    }
    if (text.contains("clusters")) {
      List<Map<String, Object>> clusters = new ArrayList<>();
      for (ClusterRegistry.Entry e : s.plane().clusters().entries()) {
        clusters.add(Map.of("name", e.name(), "labels", e.labels()));
      }
      vars.put("clusters", clusters);
    }
    if (text.contains("status")) {
      vars.put("status", env == null ? Map.of() : statusFacts(environmentStatus(release, env)));
    }
    try {
      CelExpression compiled = WorkflowRules.compile(expression);
      if (compiled.evaluateBoolean(vars)) {
        succeed(st, "check holds: " + expression);
      } else {
        attemptFailed(step, st, "check does not hold: " + expression, now, true);
      }
    } catch (RuntimeException e) {
      attemptFailed(step, st, "check could not be evaluated: " + e.getMessage(), now, true);
    }
  }

  /** The status as CEL sees it: phase, health, inSync and every object's facts. */
  static Map<String, Object> statusFacts(ApplicationStatus status) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("phase", status.phase().name());
    out.put("health", status.health().health().name());
    out.put("inSync", status.isInSync());
    List<Map<String, Object>> resources = new ArrayList<>();
    status.resources().forEach(r -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", r.key().kind());
      m.put("namespace", r.key().namespace());
      m.put("name", r.key().name());
      m.put("cluster", r.key().cluster());
      m.put("health", r.health().health().name());
      m.put("message", r.health().message());
      m.put("inSync", r.inSync());
      m.put("present", r.present());
      resources.add(m);
    });
    out.put("resources", resources);
    return out;
  }

  // =====================================================================================
  // performing claimed actions

  private Consumer<ObjectNode> perform(String id, ObjectNode doc, ObjectNode run, ObjectNode claim, Instant now) {
    String action = text(claim, "action");
    Release release = release(id, run.get("release").asLong());
    Subject author = release.author();
    if (action.startsWith("rollback:")) {
      String env = action.substring("rollback:".length());
      String outcome = rollback(id, run, release, env, author);
      long planeRevision = outcome.startsWith("rolled back") ? newestRevision(id, env) : 0;
      return d -> {
        ObjectNode r = (ObjectNode) d.get("run");
        ObjectNode rb = (ObjectNode) r.get("rollback");
        ArrayNode pending = (ArrayNode) rb.get("pending");
        ArrayNode rest = Json.JSON.createArrayNode();
        pending.forEach(p -> {
          if (!p.asString().equals(env)) {
            rest.add(p);
          }
        });
        rb.set("pending", rest);
        String summary = text(rb, "summary");
        rb.put("summary", (summary == null || summary.isEmpty() ? "" : summary + "; ") + outcome);
        JsonNode previous = previousOf(r, env);
        if (previous != null && previous.isObject() && outcome.startsWith("rolled back")) {
          ObjectNode back = (ObjectNode) previous.deepCopy();
          back.put("since", StateDocs.format(now));
          back.put("planeRevision", planeRevision);
          ((ObjectNode) d.get("environments")).set(env, back);
        }
      };
    }
    String stepName = action.substring("step:".length());
    Workflow wf = workflow(run);
    Step step = wf.step(stepName).orElseThrow();
    ObjectNode st = (ObjectNode) run.get("steps").get(stepName);
    int attempt = st.path("attempts").asInt();
    switch (step.type()) {
      case "apply", "promote" -> {
        String env = target(step);
        ExecutionResult result;
        String error = null;
        try {
          result = s.plane().apply(stageOf(release, env), author, release.origin());
        } catch (RuntimeException e) {
          result = null;
          error = e.getMessage();
        }
        String err = error;
        // the result's derived views, each taken once (each is a pass over its outcomes)
        Optional<Outcome> failure = result == null ? Optional.empty() : result.failure();
        boolean succeeded = result != null && failure.isEmpty();
        List<Outcome> waiting = succeeded ? result.waiting() : List.of();
        long writes = succeeded ? result.writes() : 0;
        // the revision this apply recorded; none when the environment already had this desired
        // state as its newest revision, which is then the one a rollback returns to
        long planeRevision = !succeeded ? 0 : result.revision() != 0 ? result.revision() : newestRevision(id, env);
        boolean applied = result != null;
        Instant at = now;
        return d -> {
          ObjectNode stt = (ObjectNode) d.get("run").get("steps").get(stepName);
          if (!succeeded) {
            String why = !applied ? "apply to " + env + " failed: " + err
                : "apply to " + env + " failed: " + failure.map(Outcome::message).orElse("a write failed");
            attemptFailed(step, stt, why, at, true);
            return;
          }
          ObjectNode envs = (ObjectNode) d.get("environments");
          ObjectNode dep = envs.putObject(env);
          dep.put("release", release.number());
          dep.put("digest", release.digest());
          dep.put("since", StateDocs.format(at));
          dep.put("planeRevision", planeRevision);
          if (waiting.isEmpty()) {
            succeed(stt, "release " + release.number() + " applied to " + env + " (" + writes
                + (writes == 1 ? " write)" : " writes)"));
          } else {
            // written as far as readiness gates let it: apply the same release again once they open
            List<String> waitingFor = waiting.stream()
                .map(o -> o.change().key().display() + " (cluster " + o.change().key().cluster() + "): " + o.message()).toList();
            wait(stt, new WaitingFor.Health(env, waitingFor), at.plus(RECHECK));
            stt.put("recheck", at.plus(RECHECK).toString());
          }
        };
      }
      case "notify" -> {
        String error = null;
        try {
          s.notifiers().get(step.text("notifier")).send(new Notification(id, release.number(), release.digest(),
              wf.name(), stepName, step.text("message"), author.name(), now));
        } catch (RuntimeException e) {
          error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        String err = error;
        return d -> {
          ObjectNode stt = (ObjectNode) d.get("run").get("steps").get(stepName);
          if (err == null) {
            succeed(stt, "sent to " + step.text("notifier"));
          } else {
            attemptFailed(step, stt, "notification failed: " + err, now, true);
          }
        };
      }
      default -> {
        StepType type = s.stepTypes().get(step.type());
        StepResult result;
        if (type == null) {
          result = StepResult.failed("no step type named '" + step.type() + "' is registered with this delivery");
        } else {
          try {
            result = type.run(new Context(release, step, attempt, run.path("number").asLong(), now));
            if (result == null) {
              result = StepResult.failed("step type '" + step.type() + "' returned no result");
            }
          } catch (RuntimeException e) {
            result = StepResult.failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
          } catch (LinkageError | AssertionError | StackOverflowError | OutOfMemoryError e) {
            // a bug in the step type fails its attempt; it must not stop every other workflow's transitions
            result = StepResult.failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
          }
        }
        StepResult r = result;
        return d -> {
          ObjectNode stt = (ObjectNode) d.get("run").get("steps").get(stepName);
          if (r instanceof StepResult.Succeeded ok) {
            succeed(stt, ok.message());
          } else if (r instanceof StepResult.Failed f) {
            attemptFailed(step, stt, f.message(), now, true);
          } else if (r instanceof StepResult.Waiting w) {
            wait(stt, new WaitingFor.Other(w.message(), Optional.ofNullable(w.recheckAt())), w.recheckAt());
            stt.put("recheck", (w.recheckAt() != null ? w.recheckAt() : now.plus(RECHECK)).toString());
          }
        };
      }
    }
  }

  private @Nullable JsonNode previousOf(ObjectNode run, String env) {
    Workflow wf = workflow(run);
    for (Step step : wf.steps()) {
      if (env.equals(target(step))) {
        JsonNode prev = run.get("steps").get(step.name()).get("previous");
        if (prev != null) {
          return prev;
        }
      }
    }
    return null;
  }

  private String rollback(String id, ObjectNode run, Release release, String env, Subject author) {
    JsonNode previous = previousOf(run, env);
    if (previous == null || !previous.isObject()) {
      return env + " keeps release " + release.number() + ": no release ran there before";
    }
    long planeRevision = previous.get("planeRevision").asLong();
    String stageId = stageOf(release, env).id();
    try {
      s.plane().rollback(stageId, planeRevision, author);
      return "rolled back " + env + " to release " + previous.get("release").asLong();
    } catch (RuntimeException e) {
      return "rollback of " + env + " to release " + previous.get("release").asLong() + " failed: " + e.getMessage();
    }
  }

  private long newestRevision(String id, String env) {
    return s.plane().newestRevisionNumber(stageId(id, env));
  }

  private static String stageId(String id, String env) {
    return id + "-" + env;
  }

  /** The environment application made last, with the release (by identity) and environment it was made of. */
  private record Stage(Release release, String environment, Application application) {}

  private volatile @Nullable Stage lastStage;

  /**
   * {@link #environmentApplication} of the release's model, the same instance as last time when
   * asked again for the same release and environment: an apply is followed by the status read of
   * the same environment (a wait-healthy step, a check, a promotion from it), and the plane
   * recognises the application it has just rendered by identity ({@code Application.sameAs})
   * where an equal new instance costs it a comparison of the whole model.
   */
  private Application stageOf(Release release, String env) {
    Stage last = lastStage;
    if (last != null && last.release() == release && last.environment().equals(env)) {
      return last.application();
    }
    Application stage = environmentApplication(release.model(), env);
    lastStage = new Stage(release, env, stage);
    return stage;
  }

  /** The application the delivery applies for one environment: the model with only it, named {@code <name>-<env>}. */
  public static Application environmentApplication(Application model, String env) {
    Environment e = null;
    for (Environment candidate : model.environments()) { // Application.environment's search, without a stream
      if (candidate.name().equals(env)) {
        e = candidate;
        break;
      }
    }
    if (e == null) {
      throw new IllegalArgumentException("application " + model.id() + " has no environment '" + env + "'");
    }
    return new Application(model.name() + "-" + env, model.namespace(), model.labels(), model.components(), List.of(e),
        model.ignoreDifferences());
  }

  private final class Context implements StepContext {
    private final Release release;
    private final Step step;
    private final int attempt;
    private final long run;
    private final Instant now;

    Context(Release release, Step step, int attempt, long run, Instant now) {
      this.release = release;
      this.step = step;
      this.attempt = attempt;
      this.run = run;
      this.now = now;
    }

    @Override public Release release() { return release; }
    @Override public Step step() { return step; }
    @Override public int attempt() { return attempt; }
    @Override public long run() { return run; }
    @Override public Instant now() { return now; }
    @Override public OrchestrationPlane plane() { return s.plane(); }
    @Override public Application environmentApplication(String environment) {
      return Engine.environmentApplication(release.model(), environment);
    }
    @Override public ApplicationStatus status(String environment) {
      return s.plane().status(environmentApplication(environment));
    }
  }

  // =====================================================================================
  // finishing and status

  private void finish(ObjectNode doc, ObjectNode run, RunPhase phase, String message, Instant now) {
    run.put("phase", phase.name());
    run.put("message", message);
    run.put("finished", StateDocs.format(now));
    run.remove("claim");
    if (phase == RunPhase.SUPERSEDED) {
      cancelRest((ObjectNode) run.get("steps"));
    }
    ArrayNode history = doc.withArray("history");
    ObjectNode h = Json.object();
    h.put("run", run.get("number").asLong());
    h.put("release", run.get("release").asLong());
    h.put("digest", text(run, "digest"));
    h.put("phase", phase.name());
    h.put("started", text(run, "started"));
    h.put("finished", StateDocs.format(now));
    h.put("message", message);
    history.insert(0, h);
    while (history.size() > s.historyLimit()) {
      history.remove(history.size() - 1);
    }
    LOG.info("delivery of {} release {}: {} ({})", doc.get("application").asString(), run.get("release").asLong(),
        phase, message);
  }

  private static String workflowKey(JsonNode run) {
    return run.path("number").asLong() + "#"
        + run.get("workflow").path("metadata").path("name").asString() + "#" + run.path("digest").asString() + "#"
        + run.path("started").asString();
  }

  /** The run's workflow: by its definition's digest, or (a format 1 document) the workflow the run carries. */
  private Workflow workflow(JsonNode run) {
    String definition = text(run, "definition");
    if (definition != null) {
      return definitions.load(definition);
    }
    String key = workflowKey(run);
    Workflow w = workflows.get(key);
    if (w == null) {
      w = WorkflowCodec.fromTree(run.get("workflow"));
      if (workflows.size() >= 10_000) {
        workflows.clear();
      }
      workflows.put(key, w);
    }
    return w;
  }

  private static RunPhase phase(JsonNode run) {
    String t = run.get("phase").asString();
    return switch (t) {
      case "RUNNING" -> RunPhase.RUNNING;
      case "ROLLING_BACK" -> RunPhase.ROLLING_BACK;
      case "SUCCEEDED" -> RunPhase.SUCCEEDED;
      case "FAILED" -> RunPhase.FAILED;
      case "ROLLED_BACK" -> RunPhase.ROLLED_BACK;
      case "SUPERSEDED" -> RunPhase.SUPERSEDED;
      default -> RunPhase.valueOf(t); // throws as before
    };
  }

  public ReleaseStatus status(String id) {
    Optional<StateEntry> entry = s.store().get(StateDocs.workflowKey(id));
    if (entry.isEmpty()) {
      return new ReleaseStatus(id, Map.of(), Optional.empty(), List.of());
    }
    JsonNode doc = entry.get().value();
    Map<String, ReleaseStatus.Deployed> envs = new TreeMap<>();
    doc.get("environments").properties().forEach(e -> envs.put(e.getKey(), new ReleaseStatus.Deployed(
        e.getValue().get("release").asLong(), text(e.getValue(), "digest"), instant(e.getValue(), "since"),
        e.getValue().get("planeRevision").asLong())));
    List<ReleaseStatus.RunSummary> history = new ArrayList<>();
    doc.withArray("history").forEach(h -> history.add(new ReleaseStatus.RunSummary(h.get("run").asLong(),
        h.get("release").asLong(), text(h, "digest"), RunPhase.valueOf(text(h, "phase")), instant(h, "started"),
        instant(h, "finished"), text(h, "message"))));
    ObjectNode run = obj(doc, "run");
    Optional<ReleaseStatus.Run> current = Optional.empty();
    if (run != null) {
      Workflow wf = workflow(run);
      List<ReleaseStatus.StepStatus> steps = new ArrayList<>();
      for (Step step : wf.steps()) {
        JsonNode st = run.get("steps").get(step.name());
        List<ReleaseStatus.Decision> decisions = new ArrayList<>();
        JsonNode ds = st.get("decisions");
        if (ds != null) {
          ds.forEach(d -> decisions.add(new ReleaseStatus.Decision(d.get("subject").get("name").asString(),
              d.get("approved").asBoolean(), text(d, "digest"), text(d, "comment"), instant(d, "time"))));
        }
        JsonNode w = st.get("waiting");
        WaitingFor why = w == null ? null : waitingFor(w);
        if (why instanceof WaitingFor.Approval a) {
          // decisions recorded since the last transition count at once
          why = new WaitingFor.Approval(a.rule(), decisions.stream().filter(ReleaseStatus.Decision::approved)
              .map(ReleaseStatus.Decision::subject).toList(), a.expiresAt());
        }
        steps.add(new ReleaseStatus.StepStatus(step.name(), step.type(), stepPhase(st),
            st.path("attempts").asInt(), why == null ? text(st, "message") : why.describe(), Optional.ofNullable(why),
            decisions));
      }
      current = Optional.of(new ReleaseStatus.Run(run.get("number").asLong(), run.get("release").asLong(),
          text(run, "digest"), run.get("author").get("name").asString(), wf.name(), phase(run), instant(run, "started"),
          Optional.ofNullable(instant(run, "finished")), text(run, "message"), steps));
    }
    return new ReleaseStatus(id, envs, current, history);
  }

  // ---- WaitingFor in JSON

  private static ObjectNode waiting(WaitingFor w) {
    ObjectNode n = Json.object();
    if (w instanceof WaitingFor.Approval a) {
      n.put("type", "approval").put("rule", a.rule());
      ArrayNode by = n.putArray("approvedBy");
      a.approvedBy().forEach(by::add);
      a.expiresAt().ifPresent(t -> n.put("expiresAt", t.toString()));
    } else if (w instanceof WaitingFor.Window win) {
      n.put("type", "window").put("environment", win.environment());
      ArrayNode b = n.putArray("blocking");
      win.blocking().forEach(b::add);
      win.opensAt().ifPresent(t -> n.put("opensAt", t.toString()));
    } else if (w instanceof WaitingFor.Health h) {
      n.put("type", "health").put("environment", h.environment());
      ArrayNode u = n.putArray("unhealthy");
      h.unhealthy().forEach(u::add);
    } else if (w instanceof WaitingFor.Soak soak) {
      n.put("type", "soak").put("environment", soak.environment()).put("until", soak.until().toString());
    } else if (w instanceof WaitingFor.Retry r) {
      n.put("type", "retry").put("at", r.at().toString()).put("lastError", r.lastError());
    } else if (w instanceof WaitingFor.Other o) {
      n.put("type", "other").put("message", o.message());
      o.recheckAt().ifPresent(t -> n.put("recheckAt", t.toString()));
    }
    return n;
  }

  private static WaitingFor waitingFor(JsonNode n) {
    List<String> list = new ArrayList<>();
    return switch (n.get("type").asString()) {
      case "approval" -> {
        n.get("approvedBy").forEach(x -> list.add(x.asString()));
        yield new WaitingFor.Approval(text(n, "rule"), list, Optional.ofNullable(instant(n, "expiresAt")));
      }
      case "window" -> {
        n.get("blocking").forEach(x -> list.add(x.asString()));
        yield new WaitingFor.Window(text(n, "environment"), list, Optional.ofNullable(instant(n, "opensAt")));
      }
      case "health" -> {
        n.get("unhealthy").forEach(x -> list.add(x.asString()));
        yield new WaitingFor.Health(text(n, "environment"), list);
      }
      case "soak" -> new WaitingFor.Soak(text(n, "environment"), instant(n, "until"));
      case "retry" -> new WaitingFor.Retry(instant(n, "at"), text(n, "lastError"));
      default -> new WaitingFor.Other(text(n, "message"), Optional.ofNullable(instant(n, "recheckAt")));
    };
  }
}
