package io.orchestrationplane.core.internal;

import io.orchestrationplane.core.cluster.ClusterRegistry;
import io.orchestrationplane.core.observe.PlaneRecord;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.reconcile.Controller;
import io.orchestrationplane.core.reconcile.ControllerListener;
import io.orchestrationplane.core.reconcile.EventSources;
import io.orchestrationplane.core.reconcile.KeyStatus;
import io.orchestrationplane.core.reconcile.WorkQueue;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Inventory;
import io.orchestrationplane.core.resource.Ownership;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plane's continuous mode: the application reconciler on a {@link Controller}, one retried
 * watch per cluster, a periodic resync, and watches for kinds applications render later.
 * Thread-safe; start and stop are serialised.
 */
public final class ContinuousMode {
  private static final Logger LOG = LoggerFactory.getLogger(ContinuousMode.class);

  private final PlaneSettings settings;
  private final Pipeline pipeline;
  private final ApplicationReconciler reconciler;
  private volatile @Nullable Controller<String> controller;
  /** Kinds watched on every cluster while started; kinds rendered later get watches of their own. */
  private final Set<GroupKind> watchedKinds = ConcurrentHashMap.newKeySet();
  private final List<AutoCloseable> laterWatches = new CopyOnWriteArrayList<>();

  public ContinuousMode(PlaneSettings settings, Pipeline pipeline, ApplicationReconciler reconciler) {
    this.settings = settings;
    this.pipeline = pipeline;
    this.reconciler = reconciler;
    pipeline.onRenderedKinds(this::watchAlso);
  }

  /** Starts the controller, its watches and resync; submitted applications are queued. */
  public synchronized void start() {
    if (controller != null) {
      throw new IllegalStateException("the plane is already started");
    }
    Set<GroupKind> kinds = new LinkedHashSet<>(settings.kinds().watched());
    // Every plan lists the inventory's kind (ConfigMap) besides the rendered ones: watched too, a
    // driver that serves reads from its watches (KubernetesCluster) answers a resync of a
    // converged application with no request. (A kind the catalogue prunes but does not watch is
    // still listed from the server: it may be a custom kind not installed, which cannot be watched.)
    kinds.add(Inventory.PARENT_KIND);
    kinds.addAll(pipeline.renderedKinds(reconciler.submitted()));
    Controller.Builder<String> builder = Controller.builder("orchestration-plane", reconciler)
        .workers(settings.workers())
        .clock(settings.clock())
        .queue(settings.queue())
        .closeTimeout(settings.closeTimeout())
        .listener(reconciler)
        .listener(new Telemetry())
        .queueListener(new QueueTelemetry())
        .eventSource(EventSources.resync(settings.resyncPeriod(), EventSources.DEFAULT_RESYNC_JITTER,
            new Random(42), reconciler::submitted));
    // One watch per cluster, each retried on its own: an unreachable cluster must not keep the
    // plane from reconciling the others.
    List<GroupKind> watched = List.copyOf(kinds);
    for (ClusterRegistry.Entry entry : settings.clusters().entries()) {
      builder.eventSource(EventSources.retrying(() -> EventSources.watch(entry.driver(), watched,
          EventSources.byLabel(Ownership.APPLICATION_LABEL, id -> id)), "watch of cluster " + entry.name()));
    }
    if (settings.scheduler() != null) {
      builder.scheduler(settings.scheduler());
    }
    Controller<String> c = builder.build();
    c.start();
    watchedKinds.clear();
    watchedKinds.addAll(kinds);
    controller = c;
    c.enqueueAll(reconciler.submitted());
  }

  private static final String CONTROLLER = "orchestration-plane";

  private Subject subjectOf(String id) {
    return reconciler.subjectOf(id, settings.subject());
  }

  /** Tells observers how each reconcile ended ({@link PlaneRecord.Reconciled}), for metrics. */
  private final class Telemetry implements ControllerListener<String> {
    @Override
    public void reconcileFinished(String key, KeyStatus<String> status, @Nullable Throwable error) {
      PlaneRecord.Reconciled.Result result = switch (status.outcome()) {
        case DONE -> PlaneRecord.Reconciled.Result.SUCCESS;
        case RETRY -> PlaneRecord.Reconciled.Result.REQUEUE;
        case REQUEUE -> PlaneRecord.Reconciled.Result.REQUEUE_AFTER;
        case TERMINAL -> PlaneRecord.Reconciled.Result.TERMINAL_ERROR;
        default -> PlaneRecord.Reconciled.Result.ERROR;
      };
      Duration took = Duration.between(status.startedAt(), status.finishedAt());
      pipeline.emit(new PlaneRecord.Reconciled(status.finishedAt(), subjectOf(key), key, CONTROLLER, result,
          took.isNegative() ? Duration.ZERO : took));
    }
  }

  /** Tells observers of the work queue's traffic ({@link PlaneRecord.Queued}), for metrics. */
  private final class QueueTelemetry implements WorkQueue.Listener<String> {
    @Override
    public void added(String key, int depth) {
      emit(key, PlaneRecord.Queued.Activity.ADDED, Duration.ZERO, depth);
    }

    @Override
    public void handedOut(String key, Duration queued, int depth) {
      emit(key, PlaneRecord.Queued.Activity.HANDED_OUT, queued, depth);
    }

    @Override
    public void done(String key, Duration worked) {
      emit(key, PlaneRecord.Queued.Activity.DONE, worked, -1);
    }

    @Override
    public void retried(String key) {
      emit(key, PlaneRecord.Queued.Activity.RETRIED, Duration.ZERO, -1);
    }

    private void emit(String key, PlaneRecord.Queued.Activity activity, Duration duration, int depth) {
      pipeline.emit(new PlaneRecord.Queued(settings.clock().instant(), subjectOf(key), key, CONTROLLER, activity,
          duration, depth));
    }
  }

  /**
   * Starts watches for kinds an application renders that are not watched yet (a custom type's
   * StatefulSet, say), so their changes trigger reconciles at once rather than at the next
   * resync. A cluster whose watch fails is logged; resync covers it.
   */
  private void watchAlso(Set<GroupKind> kinds) {
    Controller<String> c = controller;
    if (c == null) {
      return;
    }
    List<GroupKind> missing = kinds.stream().filter(watchedKinds::add)
        .sorted(Comparator.comparing(GroupKind::toString)).toList();
    if (missing.isEmpty()) {
      return;
    }
    for (ClusterRegistry.Entry entry : settings.clusters().entries()) {
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

  public boolean isStarted() {
    return controller != null;
  }

  /** Stops the controller and every watch; what was submitted stays. */
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

  /** Queues an application when started. */
  public void enqueue(String id) {
    Controller<String> c = controller;
    if (c != null) {
      c.enqueue(id);
    }
  }

  public int runPending() {
    Controller<String> c = controller;
    if (c == null) {
      throw new IllegalStateException("start() the plane first");
    }
    return c.runPending();
  }

  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    Controller<String> c = controller;
    return c == null || c.awaitIdle(timeout);
  }
}
