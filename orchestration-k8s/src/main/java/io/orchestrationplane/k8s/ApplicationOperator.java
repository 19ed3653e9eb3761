package io.orchestrationplane.k8s;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.access.AccessDeniedException;
import io.orchestrationplane.core.access.Project;
import io.orchestrationplane.core.access.ProjectViolationException;
import io.orchestrationplane.core.apply.WriteResult;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.ApplicationCodec;
import io.orchestrationplane.core.model.DriftPolicy;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Condition;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.core.status.ResourceStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Operator mode: {@code Application} custom resources ({@link ApplicationCrd}) in one cluster
 * are the desired state. Each object is decoded and {@link OrchestrationPlane#submit submitted}
 * when it appears or its spec changes, {@link OrchestrationPlane#remove removed} (pruned) when it
 * is deleted, and its status subresource carries the plane's phase, conditions, per-resource
 * state and last error. The applications' resources go wherever their placement says: the same
 * cluster or any other registered one.
 *
 * <pre>{@code
 * try (OrchestrationPlane plane = OrchestrationPlane.builder().clusters(registry).build();
 *      ApplicationOperator operator = ApplicationOperator.builder(plane, registry.require("ops")).build()) {
 *   operator.start();
 *   plane.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>An object whose spec is invalid is not submitted; its status says why (Degraded,
 * reason InvalidSpec, every problem with its path). Status is written only when it differs, so
 * the operator's own writes never cause another reconcile.
 *
 * <p>Each Application object carries the finalizer {@value #FINALIZER}: deleting it marks it for
 * deletion, the plane removes everything the application owns, and only once the plane reports
 * it REMOVED does the operator take its finalizer off and let the API server delete the object.
 * An object deleted while the operator was down is still pruned when it starts again, also when
 * its spec no longer decodes (the plane finds what the application owns through its inventory).
 *
 * <p>A write to an Application object that fails (its finalizer added or removed, its status) is
 * made again with backoff ({@value #FIRST_RETRY_SECONDS} s doubling up to {@value
 * #MAX_RETRY_SECONDS} s) until it succeeds or the object is gone, so a converged application whose
 * status write met a server error does not keep a stale status, and an object is not left
 * unsubmitted or held by its finalizer because nobody edits it again.
 *
 * <p>What the plane does for an Application is also recorded as Kubernetes Events on its object
 * ({@link EventRecorder}, source {@value #EVENT_SOURCE}): Applied, Converged, DriftDetected,
 * DriftCorrected, DeniedByPolicy, ApplyFailed, Degraded (Converged only when the application
 * became ready after the reconcile that applied it; when that reconcile finds it in sync and
 * healthy at once, its Applied Event and the Ready condition say so); repeats count on one Event, similar ones
 * are combined and a spam filter holds floods back, as client-go's recorder does. Messages name
 * objects and fields, never secret values. {@link Builder#events(boolean) events(false)} turns them off.
 *
 * <p>Identity: each Application acts as {@link #subjectOf its subject}: the user named by the
 * annotation {@value #REQUESTED_BY_ANNOTATION} when the object carries one, else {@code
 * proj:<project>}, always in the group {@code proj:<project>}, where the project is the one the
 * plane's {@link OrchestrationPlane#projects() projects} give the object's namespace ({@code
 * default} without projects). Its submit and removal are asked of the plane's access control as
 * that subject, and what it renders is fenced by that project; a refusal is written to its status
 * (Degraded, reason {@code Forbidden} or {@code OutsideProject}) and nothing is applied. The
 * annotation is only as trustworthy as whoever may write it: let an admission policy set or check
 * it from the request's user (docs/governance.md).
 */
public final class ApplicationOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApplicationOperator.class);
  /** The finalizer that keeps an Application object until the plane has removed its objects. */
  public static final String FINALIZER = "orchestrationplane.io/prune";
  /** The annotation naming the user who asked for an Application; its subject's name when present. */
  public static final String REQUESTED_BY_ANNOTATION = "orchestrationplane.io/requested-by";

  private final OrchestrationPlane plane;
  private final ClusterDriver source;
  private final @Nullable String namespace;
  private final Clock clock;
  /** Application id → the object it came from and what was submitted. */
  private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
  private final List<AutoCloseable> handles = new ArrayList<>();
  /** Application id → the object whose finalizer comes off when the plane reports it REMOVED. */
  private final Map<String, ResourceKey> finalizing = new ConcurrentHashMap<>();

  /**
   * The most characters of one message (a condition's, an object's, {@code lastError}) written to
   * an Application's status; a longer one is cut there and says how much was left out. Every
   * problem of a huge invalid spec, in full, would make a status of megabytes, which the API
   * server refuses (an object is stored whole, within about 1.5 MiB).
   */
  public static final int MAX_STATUS_MESSAGE = 4096;

  /**
   * The most characters of one object's message in the status's {@code resources} list: the
   * object's health or failed write in short (its whole story is in the plane's status and
   * Events). Longer ones are cut there, saying how much was left out.
   */
  public static final int MAX_RESOURCE_MESSAGE = 1024;

  /**
   * About the most characters the status's {@code resources} list takes (its entries' fields
   * counted). An application of thousands of objects, or of hundreds that each fail with a long
   * message, would otherwise make a status the API server refuses, and its object would show no
   * status at all. When the entries do not fit, those with a problem (not in sync, or not healthy)
   * are listed first, then the others, as long as they fit; {@code resourcesOmitted} says how many
   * were left out ({@code resourceCount} still counts every desired object).
   */
  public static final int MAX_STATUS_RESOURCES_CHARS = 256 * 1024;

  /** Seconds before a failed write to an Application object is made again; doubled after each failure. */
  public static final int FIRST_RETRY_SECONDS = 1;
  /** The longest wait between two attempts of a failed write to an Application object, in seconds. */
  public static final int MAX_RETRY_SECONDS = 120;

  private final @Nullable Scheduler givenScheduler;
  /** The scheduler retries run on while started: the given one, or one of the operator's own. */
  private volatile @Nullable Scheduler scheduler;
  /** Object → the newest status that could not be written to it. */
  private final Map<ResourceKey, ObjectNode> unwrittenStatus = new ConcurrentHashMap<>();
  /** Objects whose finalizer could not be added: their handling runs again. */
  private final Set<ResourceKey> unhandled = ConcurrentHashMap.newKeySet();
  /** Objects whose finalizer could not be removed after their application was removed. */
  private final Set<ResourceKey> unreleased = ConcurrentHashMap.newKeySet();
  /** Object → the number of its scheduled retry (1 for the first); present while one is scheduled. */
  private final Map<ResourceKey, Integer> retries = new ConcurrentHashMap<>();

  /**
   * An Application object and what was submitted for it. {@code invalid} holds the problems
   * when its current spec does not validate: the last valid application stays submitted (a typo
   * must not prune everything), and its status is not written over the InvalidSpec one.
   */
  private record Tracked(ResourceKey key, Resource object, Application app, long objectGeneration,
      @Nullable String invalid, Subject subject) {}

  private ApplicationOperator(Builder b) {
    this.plane = b.plane;
    this.source = b.source;
    this.namespace = b.namespace;
    this.clock = plane.clock();
    this.givenScheduler = b.scheduler;
    this.events = !b.events ? null : b.recorder != null ? b.recorder
        : EventRecorder.builder(source, EVENT_SOURCE).clock(clock).build();
  }

  /** The {@code source.component} of the operator's Events. */
  public static final String EVENT_SOURCE = "orchestration-plane";

  private final @Nullable EventRecorder events;

  /** An operator for the Application objects of {@code source}, feeding {@code plane}. */
  public static Builder builder(OrchestrationPlane plane, ClusterDriver source) {
    return new Builder(plane, source);
  }

  /** Builds an {@link ApplicationOperator}. */
  public static final class Builder {
    private final OrchestrationPlane plane;
    private final ClusterDriver source;
    private @Nullable String namespace;
    private boolean events = true;
    private @Nullable EventRecorder recorder;
    private @Nullable Scheduler scheduler;

    private Builder(OrchestrationPlane plane, ClusterDriver source) {
      this.plane = Objects.requireNonNull(plane, "plane");
      this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * Act only on this namespace's Application objects (default: every namespace). The watch
     * itself covers every namespace and filters here, so it needs list/watch on Application
     * objects cluster-wide.
     */
    public Builder namespace(String value) {
      this.namespace = value;
      return this;
    }

    /**
     * Whether to record Kubernetes Events on Application objects (default true): applied, drift
     * detected and corrected, denied by policy, a failed write, degraded, converged.
     */
    public Builder events(boolean value) {
      this.events = value;
      return this;
    }

    /** Records events with {@code value} (other limits, another component name) instead of the default recorder. */
    public Builder eventRecorder(EventRecorder value) {
      this.recorder = Objects.requireNonNull(value, "eventRecorder");
      this.events = true;
      return this;
    }

    /**
     * Runs the retries of failed writes to Application objects on {@code value} ({@link
     * Scheduler#manual} in tests); by default the operator starts a daemon thread of its own
     * with {@link #start()} and stops it with {@link #close()}. A given scheduler is not closed.
     */
    public Builder scheduler(Scheduler value) {
      this.scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    public ApplicationOperator build() {
      return new ApplicationOperator(this);
    }
  }

  /** Starts watching Application objects and writing their status. */
  public synchronized void start() {
    if (!handles.isEmpty()) {
      throw new IllegalStateException("the operator is already started");
    }
    scheduler = givenScheduler != null ? givenScheduler : Scheduler.threaded("application-operator-retries");
    handles.add(plane.addListener(this::onPlaneEvent));
    try {
      handles.add(source.watch(List.of(ApplicationCrd.GROUP_KIND), this::onWatchEvent));
    } catch (RuntimeException e) {
      close(); // leave nothing half-started, so start() may be called again
      throw e;
    }
    // writes that failed before a close are still owed
    retries.clear();
    for (Set<ResourceKey> keys : List.of(unwrittenStatus.keySet(), unhandled, unreleased)) {
      keys.forEach(this::retryLater);
    }
  }

  /** Stops watching; applications already submitted stay with the plane. */
  @Override
  public synchronized void close() {
    for (AutoCloseable h : handles) {
      try {
        h.close();
      } catch (Exception e) {
        LOG.warn("operator: could not stop a subscription", e);
      }
    }
    handles.clear();
    Scheduler s = scheduler;
    scheduler = null;
    if (s != null && s != givenScheduler) {
      s.close();
    }
    retries.clear(); // their tasks no longer run; start() schedules what is still owed
  }

  /** Makes the failed writes to {@code key}'s object again later, unless a retry is already scheduled. */
  private void retryLater(ResourceKey key) {
    retries.computeIfAbsent(key, k -> schedule(k, 1));
  }

  private @Nullable Integer schedule(ResourceKey key, int attempt) {
    Scheduler s = scheduler;
    if (s == null) {
      return null; // closed: start() schedules it again
    }
    long seconds = Math.min(MAX_RETRY_SECONDS, (long) FIRST_RETRY_SECONDS << Math.min(attempt - 1, 20));
    s.schedule(() -> retry(key), Duration.ofSeconds(seconds));
    return attempt;
  }

  /** A scheduled retry: what failed on the object is done again; still failing, it is scheduled again. */
  private void retry(ResourceKey key) {
    if (scheduler == null) {
      return; // closed meanwhile (a scheduler given to the operator runs on): start() retries
    }
    if (unhandled.remove(key)) {
      try {
        Optional<Resource> live = source.get(key);
        if (live.isPresent()) {
          onWatchEvent(new WatchEvent(source.name(), WatchEvent.Type.MODIFIED, live.get()));
        }
      } catch (ClusterException e) {
        unhandled.add(key);
      }
    }
    if (unreleased.remove(key)) {
      removeFinalizer(key);
    }
    if (unwrittenStatus.containsKey(key)) {
      synchronized (statusLocks[Math.floorMod(key.hashCode(), statusLocks.length)]) {
        ObjectNode status = unwrittenStatus.get(key);
        if (status != null && (!mayWrite(key.namespace() + "." + key.name()) || writeStatusLocked(key, status))) {
          unwrittenStatus.remove(key, status);
        }
      }
    }
    retries.compute(key, (k, attempt) -> owed(k) ? schedule(k, attempt == null ? 1 : attempt + 1) : null);
  }

  private boolean owed(ResourceKey key) {
    return unhandled.contains(key) || unreleased.contains(key) || unwrittenStatus.containsKey(key);
  }

  /**
   * Handling of one object's events is serialised: the watch's thread delivers them, and a retry
   * handles the object again on the scheduler's. Striped as the status locks, and always taken
   * before a status lock.
   */
  private final Object[] handleLocks = newLocks(64);

  private void onWatchEvent(WatchEvent event) {
    Resource object = event.resource();
    if (namespace != null && !namespace.equals(object.namespace())) {
      return;
    }
    ResourceKey key = object.key(source.name());
    synchronized (handleLocks[Math.floorMod(key.hashCode(), handleLocks.length)]) {
      handle(event, object, key);
    }
  }

  private void handle(WatchEvent event, Resource object, ResourceKey key) {
    String id = object.namespace() + "." + object.name();
    if (event.type() == WatchEvent.Type.DELETED) {
      unwrittenStatus.remove(key);
      unhandled.remove(key);
      unreleased.remove(key);
      Tracked gone = tracked.remove(id);
      if (gone != null && !finalizing.containsKey(id)) {
        // deleted without our finalizer (someone removed it): prune all the same
        removeOrReport(gone.app(), gone.subject(), null, id);
      }
      return;
    }
    if (object.isBeingDeleted()) {
      if (hasFinalizer(object) && finalizing.putIfAbsent(id, key) == null) {
        Tracked t = tracked.get(id);
        Application app = t != null ? t.app() : decodeOrNull(object);
        if (app == null) {
          // A spec that does not decode (edited while the operator was down, say) may still have
          // been applied before: the application is removed by its identity, through the inventory.
          app = identityOf(object);
        }
        if (app == null) {
          removeFinalizer(key); // no application can have been applied under this name
        } else {
          // its REMOVED event takes the finalizer off
          removeOrReport(app, t != null ? t.subject() : subjectOf(object), key, id);
        }
      }
      return;
    }
    if (!hasFinalizer(object)) {
      // Submit as soon as the finalizer is stored, not when its MODIFIED event comes back: that
      // event queues behind every other object's on this one watch thread, so at startup no
      // application would be submitted before every finalizer was written. The event then finds
      // the same application submitted and does nothing.
      Resource withFinalizer = addFinalizer(object);
      if (withFinalizer == null) {
        unhandled.add(key); // not stored: a retry handles the object again (or its next event does)
        retryLater(key);
        return;
      }
      object = withFinalizer;
    }
    Application app;
    Tracked before = tracked.get(id);
    Subject subject = subjectOf(object);
    try {
      app = ApplicationCodec.fromTree(envelope(object));
      plane.validate(app);
    } catch (ValidationException e) {
      if (before != null) {
        tracked.put(id, new Tracked(key, object, before.app(), before.objectGeneration(), e.getMessage(), before.subject()));
      }
      writeStatus(key, refused(object, "InvalidSpec", e.getMessage()));
      return;
    }
    if (before != null && before.app().sameAs(app) && before.invalid() == null && before.subject().equals(subject)) {
      tracked.put(id, new Tracked(key, object, before.app(), before.objectGeneration(), null, subject)); // events refer to the newest
      return; // a status write or a metadata change: nothing for the plane
    }
    // Tracked before it is submitted: its reconcile announces the status, which is written then,
    // and may do so before submit returns here (a worker can run it while this thread waits for a
    // core). An announcement that found no entry, or the last one, would be lost until the next
    // status change.
    Tracked next = new Tracked(key, object, app, object.generation(), null, subject);
    tracked.put(id, next);
    try {
      plane.submit(app, DriftPolicy.CORRECT, subject);
    } catch (RuntimeException e) {
      // A ValidationException here is what only submit can find: an object that another
      // submitted application already renders. It may go away without an edit of this object.
      boolean claimed = e instanceof ValidationException;
      boolean refused = claimed || e instanceof AccessDeniedException || e instanceof ProjectViolationException;
      // the last accepted application stays submitted, as with an invalid spec
      if (before == null) {
        tracked.remove(id, next);
      } else {
        tracked.replace(id, next, refused
            ? new Tracked(key, object, before.app(), before.objectGeneration(), e.getMessage(), before.subject())
            : before);
      }
      if (!refused) {
        // the plane could not take it now (its state store failed, say): submitted again later,
        // not only when somebody next edits the object
        LOG.warn("operator: submitting {} failed; trying again later: {}", id, e.toString());
        unhandled.add(key);
        retryLater(key);
        return;
      }
      writeStatus(key, refused(object, claimed ? "InvalidSpec"
          : e instanceof AccessDeniedException ? "Forbidden" : "OutsideProject", e.getMessage()));
      if (claimed) {
        unhandled.add(key); // submitted again later: the other application may let its objects go
        retryLater(key);
      }
    }
  }

  /**
   * A ValidatingAdmissionPolicy and its binding (YAML, two documents) that make the {@value
   * #REQUESTED_BY_ANNOTATION} annotation trustworthy: a request may set it only to the name of the
   * user making the request, and an edit of the spec by someone else must change or drop it;
   * metadata-only edits (the operator's finalizer, labels) keep it. Apply it to the cluster that
   * holds the Application objects (Kubernetes 1.30 or later).
   */
  public static String requestedByPolicyYaml() {
    String path = "/io/orchestrationplane/k8s/application-requested-by.yaml";
    try (java.io.InputStream in = ApplicationOperator.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("classpath resource " + path + " is missing from orchestration-k8s");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + path, e);
    }
  }

  /**
   * The subject an Application object acts as: the user its {@value #REQUESTED_BY_ANNOTATION}
   * annotation names (when it is a valid subject name), else {@code proj:<project>}; in the group
   * {@code proj:<project>} either way. The project is the plane's project for the object's
   * namespace, {@code default} when the plane has no projects, {@code none} when no project takes it.
   */
  public Subject subjectOf(Resource object) {
    String project = plane.projects().isEmpty() ? "default"
        : plane.projects().get().forNamespace(object.namespace()).map(Project::name).orElse("none");
    String group = "proj:" + project;
    String requested = object.annotations().get(REQUESTED_BY_ANNOTATION);
    if (requested != null && !requested.isBlank()) {
      try {
        return new Subject(requested.strip(), java.util.Set.of(group));
      } catch (IllegalArgumentException e) {
        LOG.warn("operator: {} on {} names no valid user ({}); acting as {}", REQUESTED_BY_ANNOTATION,
            object, e.getMessage(), group);
      }
    }
    return new Subject(group, java.util.Set.of(group));
  }

  /** Removes as {@code subject}; a refusal is written to the object's status and the next event tries again. */
  private void removeOrReport(Application app, Subject subject, @Nullable ResourceKey key, String id) {
    try {
      plane.remove(app, subject);
    } catch (AccessDeniedException | ProjectViolationException e) {
      LOG.warn("operator: removal of {} refused: {}", id, e.getMessage());
      if (key != null) {
        finalizing.remove(id); // the finalizer stays; the object's next event asks again
        source.get(key).ifPresent(live -> writeStatus(key, refused(live, "Forbidden", e.getMessage())));
      }
    }
  }

  private static boolean hasFinalizer(Resource object) {
    for (JsonNode f : object.json().path("metadata").path("finalizers")) {
      if (FINALIZER.equals(f.asString(""))) {
        return true;
      }
    }
    return false;
  }

  private static @Nullable Application decodeOrNull(Resource object) {
    try {
      return ApplicationCodec.fromTree(envelope(object));
    } catch (ValidationException e) {
      return null;
    }
  }

  /**
   * The application of the object's name and namespace with nothing in it: what its removal
   * needs (it prunes what the inventories on every cluster record for that id). Null when no
   * application can have that name.
   */
  private static @Nullable Application identityOf(Resource object) {
    try {
      return Application.builder(object.name())
          .namespace(object.namespace().isEmpty() ? "default" : object.namespace()).build();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The object as stored with the finalizer, or null when it could not be added. */
  private @Nullable Resource addFinalizer(Resource object) {
    try {
      return source.update(object.edit(t -> {
        ObjectNode m = (ObjectNode) t.get("metadata");
        ArrayNode finalizers = m.has("finalizers") && m.get("finalizers").isArray()
            ? (ArrayNode) m.get("finalizers") : m.putArray("finalizers");
        finalizers.add(FINALIZER);
      }));
    } catch (ClusterException e) {
      // the reason only: the request carried the spec, which a server's message may quote
      LOG.warn("operator: could not add the finalizer to {} on {} ({}); trying again later", object, source.name(),
          e.reason());
      return null;
    }
  }

  private void removeFinalizer(ResourceKey key) {
    for (int attempt = 1; attempt <= 5; attempt++) {
      try {
        Optional<Resource> live = source.get(key);
        if (live.isEmpty() || !hasFinalizer(live.get())) {
          finalizing.remove(key.namespace() + "." + key.name());
          unreleased.remove(key);
          return;
        }
        source.update(live.get().edit(t -> {
          ArrayNode kept = Json.JSON.getNodeFactory().arrayNode();
          for (JsonNode f : t.at("/metadata/finalizers")) {
            if (!FINALIZER.equals(f.asString(""))) {
              kept.add(f);
            }
          }
          ((ObjectNode) t.get("metadata")).set("finalizers", kept);
        }));
        finalizing.remove(key.namespace() + "." + key.name());
        unreleased.remove(key);
        return;
      } catch (ClusterException e) {
        if (e.reason() != ClusterException.Reason.CONFLICT || attempt == 5) {
          LOG.warn("operator: could not remove the finalizer of {} on {} ({}); trying again later", key.display(),
              source.name(), e.reason());
          // its application is removed: a retry takes the finalizer off (or the object's next event does)
          finalizing.remove(key.namespace() + "." + key.name());
          unreleased.add(key);
          retryLater(key);
          return;
        }
      }
    }
  }

  private void onPlaneEvent(PlaneEvent event) {
    recordEvent(event);
    if (event.type() == PlaneEvent.Type.REMOVED) {
      ResourceKey key = finalizing.get(event.application());
      if (key != null) {
        tracked.remove(event.application());
        removeFinalizer(key);
      }
      return;
    }
    if (event.type() != PlaneEvent.Type.STATUS_CHANGED) {
      return;
    }
    Tracked t = tracked.get(event.application());
    if (t != null && t.invalid() == null) {
      ApplicationStatus s;
      try {
        s = plane.status(t.app(), t.subject());
      } catch (AccessDeniedException | ProjectViolationException e) {
        return; // the application's subject may not read its status: the refusal is the status already written
      }
      writeStatus(t.key(), status(s, t.objectGeneration()));
    }
  }

  /**
   * Applications whose last plane event was APPLIED, or APPLIED and then a status change to
   * READY: a reconcile that applies emits APPLIED, then its status change, then CONVERGED when
   * that same reconcile found everything in sync and healthy. Such a CONVERGED is not recorded as
   * an Event of its own (one Event per apply, not two: every Event is an API request and an
   * object stored in the API server; the Applied Event and the Ready condition say it). A
   * CONVERGED after anything else (health reached in a later reconcile, which first announces a
   * status that is not READY; drift corrected; a retry) is recorded. Any other event ends the
   * entry, so the set holds only applications between an apply and their next event.
   */
  private final java.util.Set<String> appliedThisReconcile = ConcurrentHashMap.newKeySet();

  /**
   * A Kubernetes Event on the Application object for what the plane did. Plane event messages
   * name objects and fields, never secret values (denials and failures are redacted before they
   * become messages).
   */
  private void recordEvent(PlaneEvent event) {
    EventRecorder recorder = events;
    if (recorder == null || !mayWrite(event.application())) {
      return;
    }
    if (event.type() == PlaneEvent.Type.CONVERGED && appliedThisReconcile.remove(event.application())) {
      return; // the Applied Event of this reconcile and the Ready condition already say it
    }
    if (event.type() == PlaneEvent.Type.APPLIED) {
      appliedThisReconcile.add(event.application());
    } else if (event.type() != PlaneEvent.Type.STATUS_CHANGED || !Phase.READY.name().equals(event.message())) {
      // anything but the READY status the applying reconcile announces before its CONVERGED: a
      // later CONVERGED is news (should the message ever read otherwise, both Events are recorded)
      appliedThisReconcile.remove(event.application());
    }
    String reason;
    EventRecorder.Type type = EventRecorder.Type.NORMAL;
    switch (event.type()) {
      case APPLIED -> reason = "Applied";
      case DRIFT_DETECTED -> {
        reason = "DriftDetected";
        type = EventRecorder.Type.WARNING;
      }
      case DRIFT_CORRECTED -> reason = "DriftCorrected";
      case DENIED -> {
        reason = "DeniedByPolicy";
        type = EventRecorder.Type.WARNING;
      }
      case APPLY_FAILED -> {
        reason = "ApplyFailed";
        type = EventRecorder.Type.WARNING;
      }
      case DEGRADED -> {
        reason = "Degraded";
        type = EventRecorder.Type.WARNING;
      }
      case CONVERGED -> reason = "Converged";
      default -> {
        return;
      }
    }
    Tracked t = tracked.get(event.application());
    if (t != null) {
      recorder.record(t.object(), type, reason, event.message());
    }
  }

  /** The object as the codec's envelope: spec and identity, without server metadata or status. */
  private static JsonNode envelope(Resource object) {
    ObjectNode env = Json.object();
    env.put("apiVersion", object.apiVersion());
    env.put("kind", object.kind());
    ObjectNode metadata = env.putObject("metadata");
    metadata.put("name", object.name());
    metadata.put("namespace", object.namespace().isEmpty() ? "default" : object.namespace());
    Map<String, String> labels = object.labels();
    if (!labels.isEmpty()) {
      ObjectNode l = metadata.putObject("labels");
      labels.forEach(l::put);
    }
    JsonNode spec = object.json().get("spec");
    env.set("spec", spec == null ? Json.object() : spec.deepCopy());
    return env;
  }

  /** A condition whose type and status are unchanged keeps the transition time already written. */
  private static void keepTransitionTimes(ObjectNode status, JsonNode liveConditions) {
    for (JsonNode c : status.path("conditions")) {
      for (JsonNode old : liveConditions) {
        if (old.path("type").equals(c.path("type")) && old.path("status").equals(c.path("status"))
            && old.has("lastTransitionTime")) {
          ((ObjectNode) c).set("lastTransitionTime", old.get("lastTransitionTime").deepCopy());
        }
      }
    }
  }

  /**
   * Whether this replica may write the application's status and Events: while the plane's
   * {@link io.orchestrationplane.core.cluster.WritePermit} allows writes for it. A replica that
   * lost its lease (or the application's shard) in the middle of a reconcile sees that reconcile's
   * writes refused, and its plane reports the refusal; the replica that holds the lease writes
   * the status now, and this one must not overwrite it.
   */
  private boolean mayWrite(String applicationId) {
    return plane.writePermit().refusal(applicationId).isEmpty();
  }

  /** A Degraded status for an object the plane did not take: an invalid spec, or a refusal. */
  private ObjectNode refused(Resource object, String reason, String message) {
    ObjectNode status = Json.object();
    status.put("observedGeneration", object.generation());
    status.put("phase", "DEGRADED");
    status.put("resourceCount", 0);
    ArrayNode conditions = status.putArray("conditions");
    String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    for (String[] c : new String[][] {{Condition.READY, "False"}, {Condition.DEGRADED, "True"}}) {
      ObjectNode n = conditions.addObject();
      n.put("type", c[0]);
      n.put("status", c[1]);
      n.put("reason", reason);
      n.put("message", bounded(message));
      n.put("observedGeneration", object.generation());
      n.put("lastTransitionTime", now);
    }
    status.put("lastError", bounded(message));
    return status;
  }

  /** The status subresource for a plane status. */
  static ObjectNode status(ApplicationStatus s, long objectGeneration) {
    ObjectNode status = Json.object();
    status.put("observedGeneration", objectGeneration);
    status.put("phase", s.phase().name());
    status.put("resourceCount", (int) s.resources().stream().filter(ResourceStatus::desired).count());
    ArrayNode conditions = status.putArray("conditions");
    for (Condition c : s.conditions()) {
      ObjectNode n = conditions.addObject();
      n.put("type", c.type());
      n.put("status", switch (c.state()) {
        case TRUE -> "True";
        case FALSE -> "False";
        case UNKNOWN -> "Unknown";
      });
      n.put("reason", c.reason());
      n.put("message", bounded(c.message()));
      n.put("observedGeneration", objectGeneration);
      n.put("lastTransitionTime", DateTimeFormatter.ISO_INSTANT.format(c.lastTransitionTime().truncatedTo(ChronoUnit.SECONDS)));
    }
    List<ObjectNode> entries = new ArrayList<>(s.resources().size());
    long chars = 0;
    for (ResourceStatus r : s.resources()) {
      ObjectNode n = Json.object();
      n.put("cluster", r.key().cluster());
      n.put("kind", r.key().kind());
      if (!r.key().namespace().isEmpty()) {
        n.put("namespace", r.key().namespace());
      }
      n.put("name", r.key().name());
      n.put("health", r.health().health().name());
      n.put("sync", r.state());
      String message = r.lastWrite().filter(w -> !(w instanceof WriteResult.Created || w instanceof WriteResult.Updated))
          .map(WriteResult::describe).orElse(r.health().isHealthy() ? "" : r.health().message());
      if (!message.isEmpty()) {
        n.put("message", bounded(message, MAX_RESOURCE_MESSAGE));
      }
      entries.add(n);
      chars += entryChars(n);
    }
    ArrayNode resources = status.putArray("resources");
    if (chars <= MAX_STATUS_RESOURCES_CHARS) {
      entries.forEach(resources::add);
    } else { // the problems first, then the rest, while they fit
      long budget = MAX_STATUS_RESOURCES_CHARS;
      int omitted = 0;
      for (boolean problems : new boolean[] {true, false}) {
        for (int i = 0; i < entries.size(); i++) {
          ResourceStatus r = s.resources().get(i);
          if (problems != (!r.isSynced() || !r.health().isHealthy())) {
            continue;
          }
          long size = entryChars(entries.get(i));
          if (size <= budget) {
            resources.add(entries.get(i));
            budget -= size;
          } else {
            omitted++;
          }
        }
      }
      status.put("resourcesOmitted", omitted);
    }
    if (!s.lastError().isEmpty()) {
      status.put("lastError", bounded(s.lastError()));
    }
    return status;
  }

  /** The characters one {@code resources} entry adds to the status: its values, names and punctuation. */
  private static long entryChars(ObjectNode entry) {
    long chars = 2;
    for (Map.Entry<String, tools.jackson.databind.JsonNode> field : entry.properties()) {
      chars += field.getKey().length() + field.getValue().asString().length() + 6;
    }
    return chars;
  }

  /** The message, cut at {@link #MAX_STATUS_MESSAGE} characters with how many more there were. */
  static String bounded(String message) {
    return bounded(message, MAX_STATUS_MESSAGE);
  }

  /** The message, cut at {@code max} characters with how many more there were. */
  static String bounded(String message, int max) {
    if (message.length() <= max) {
      return message;
    }
    int end = max;
    if (Character.isHighSurrogate(message.charAt(end - 1))) {
      end--; // never half a character
    }
    return message.substring(0, end) + " ... (" + (message.length() - end) + " more characters)";
  }

  /**
   * Status writes of one object are serialised (the watch thread writes refusals, plane workers
   * write status changes: each read-compare-write must see the other's result); writes of
   * different objects are not, so one worker's request does not hold up every other worker's.
   * Striped rather than one lock per object, so nothing has to be forgotten when objects go.
   */
  private final Object[] statusLocks = newLocks(64);

  private static Object[] newLocks(int n) {
    Object[] locks = new Object[n];
    for (int i = 0; i < n; i++) {
      locks[i] = new Object();
    }
    return locks;
  }

  /**
   * Writes the status, or, when that fails, keeps it as the object's unwritten status (replacing
   * an older one) and retries it later: a converged application announces no further change that
   * would write it. A later successful write supersedes it.
   */
  private void writeStatus(ResourceKey key, ObjectNode status) {
    if (!mayWrite(key.namespace() + "." + key.name())) {
      unwrittenStatus.remove(key); // not this replica's to write: the one the permit allows writes it
      return;
    }
    boolean written;
    synchronized (statusLocks[Math.floorMod(key.hashCode(), statusLocks.length)]) {
      written = writeStatusLocked(key, status);
      if (written) {
        unwrittenStatus.remove(key);
      } else {
        unwrittenStatus.put(key, status);
      }
    }
    if (!written) {
      retryLater(key);
    }
  }

  /** True when the object holds the status now (or is gone); false when the write failed. */
  private boolean writeStatusLocked(ResourceKey key, ObjectNode status) {
    try {
      Optional<Resource> live = source.get(key);
      if (live.isEmpty()) {
        return true;
      }
      keepTransitionTimes(status, live.get().json().path("status").path("conditions"));
      if (status.equals(live.get().json().get("status"))) {
        return true;
      }
      try {
        source.updateStatus(live.get().edit(t -> t.set("status", status)));
      } catch (ClusterException e) {
        if (e.reason() != ClusterException.Reason.CONFLICT) {
          throw e;
        }
        // the copy we read was behind: write against whatever is live now
        source.updateStatus(live.get().edit(t -> {
          t.set("status", status);
          ((ObjectNode) t.get("metadata")).remove("resourceVersion");
        }));
      }
      return true;
    } catch (ClusterException e) {
      if (e.reason() == ClusterException.Reason.NOT_FOUND) {
        return true; // the object is gone, and its status with it
      }
      // the status holds the plane's messages, already free of secret values
      LOG.warn("operator: could not write the status of {} on {}; trying again later: {}", key.display(),
          source.name(), e.getMessage());
      return false;
    }
  }
}
