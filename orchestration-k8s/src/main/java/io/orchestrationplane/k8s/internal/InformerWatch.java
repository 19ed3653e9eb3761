package io.orchestrationplane.k8s.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.k8s.WatchFailure;
import io.orchestrationplane.k8s.internal.ApiDiscovery.ApiKind;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One watch: an informer per kind, all namespaces, feeding one listener. */
public final class InformerWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InformerWatch.class);

  private final String cluster;
  private final KubernetesClient client;
  private final List<ApiKind> kinds;
  private final Consumer<WatchEvent> listener;
  private final Function<GenericKubernetesResource, Resource> convert;
  private final Consumer<WatchFailure> failures;
  private final Consumer<InformerWatch> onClose;
  // Read by the cluster's watch monitor while start() still adds to it.
  private final List<SharedIndexInformer<GenericKubernetesResource>> informers =
      new CopyOnWriteArrayList<>();
  // the item store of informers.get(i), added before its informer
  private final List<ResourceItemStore> stores = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Clock clock;
  private final Duration stallTimeout;
  private final Map<SharedIndexInformer<GenericKubernetesResource>, Instant> disconnectedSince =
      new ConcurrentHashMap<>();
  private final Set<SharedIndexInformer<GenericKubernetesResource>> reportedStall =
      ConcurrentHashMap.newKeySet();
  private final Set<SharedIndexInformer<GenericKubernetesResource>> reportedStop =
      ConcurrentHashMap.newKeySet();

  public InformerWatch(String cluster, KubernetesClient client, List<ApiKind> kinds, Consumer<WatchEvent> listener,
      Function<GenericKubernetesResource, Resource> convert, Consumer<WatchFailure> failures,
      Consumer<InformerWatch> onClose, Clock clock, Duration stallTimeout) {
    this.clock = clock;
    this.stallTimeout = stallTimeout;
    this.cluster = cluster;
    this.client = client;
    this.kinds = List.copyOf(kinds);
    this.listener = listener;
    this.convert = convert;
    this.failures = failures;
    this.onClose = onClose;
  }

  /** Starts every informer and waits until each has listed (so ADDED events are queued). */
  public void start(Duration timeout) {
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (ApiKind kind : kinds) {
      var op = client.genericKubernetesResources(kind.context());
      SharedIndexInformer<GenericKubernetesResource> informer =
          (kind.namespaced() ? op.inAnyNamespace() : op).runnableInformer(0);
      // the store holds the Resources the driver reads and indexes them by application; no
      // reader uses fabric8's namespace index, which would only cost a set entry per object
      ResourceItemStore store = new ResourceItemStore(convert, client.getKubernetesSerialization());
      informer.itemStore(store);
      informer.removeNamespaceIndex();
      informer.addEventHandler(handler());
      informer.exceptionHandler((isStarted, t) -> {
        // fabric8's default: keep going once started, unless the data cannot be read at all.
        boolean retry = isStarted && !ExceptionHandler.isDeserializationException(t);
        if (!closed.get() && (retry || reportedStop.add(informer))) {
          failures.accept(new WatchFailure(cluster, kind.groupKind(), retry, t));
        }
        return retry;
      });
      informer.stopped().whenComplete((ignored, t) -> {
        if (t != null && !closed.get() && reportedStop.add(informer)) {
          failures.accept(new WatchFailure(cluster, kind.groupKind(), false, t));
        }
      });
      stores.add(store);
      informers.add(informer);
      started.add(informer.start().toCompletableFuture());
    }
    try {
      CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting watch on cluster " + cluster, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("watch on cluster " + cluster + " could not start: " + e.getCause(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("watch on cluster " + cluster + " did not start within " + timeout,
          new HttpTimeoutException("informer start"));
    }
  }

  /**
   * The store of this watch's informer for {@code kind} when that informer is running, has listed
   * once and is watching, so its store mirrors the cluster (as of the last event); otherwise {@code
   * null}.
   */
  public @Nullable ResourceItemStore syncedStore(ApiDiscovery.ApiKind kind) {
    if (closed.get()) {
      return null;
    }
    for (int i = 0; i < informers.size(); i++) {
      SharedIndexInformer<GenericKubernetesResource> informer = informers.get(i);
      // a disconnected informer's store goes stale: then reads go to the server (and fail or not);
      // an informer of another version than the one read holds objects in the wrong form
      if (kinds.get(i).equals(kind) && informer.isRunning() && informer.hasSynced()
          && informer.isWatching()) {
        return stores.get(i);
      }
    }
    return null;
  }

  /**
   * Reports, once per outage, each running informer that has not been watching for longer than
   * the stall timeout; called periodically by the cluster's watch monitor.
   */
  public void checkConnected() {
    if (closed.get()) {
      return;
    }
    Instant now = clock.instant();
    for (int i = 0; i < informers.size(); i++) {
      SharedIndexInformer<GenericKubernetesResource> informer = informers.get(i);
      if (!informer.isRunning() || informer.isWatching()) {
        disconnectedSince.remove(informer);
        reportedStall.remove(informer);
        continue;
      }
      Instant since = disconnectedSince.computeIfAbsent(informer, k -> now);
      if (Duration.between(since, now).compareTo(stallTimeout) >= 0 && reportedStall.add(informer)) {
        ApiKind kind = kinds.get(i);
        failures.accept(new WatchFailure(cluster, kind.groupKind(), true, new IOException(
            "watch of " + kind.groupKind() + " on cluster " + cluster + " disconnected since " + since
                + "; the informer keeps reconnecting")));
      }
    }
  }

  private ResourceEventHandler<GenericKubernetesResource> handler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource obj) {
        emit(WatchEvent.Type.ADDED, obj);
      }

      @Override
      public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
        emit(WatchEvent.Type.MODIFIED, newObj);
      }

      @Override
      public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
        emit(WatchEvent.Type.DELETED, obj);
      }
    };
  }

  private void emit(WatchEvent.Type type, GenericKubernetesResource obj) {
    if (closed.get()) {
      return;
    }
    try {
      listener.accept(new WatchEvent(cluster, type, convert.apply(obj)));
    } catch (RuntimeException e) {
      LOG.warn("watch listener on cluster {} failed on {} event", cluster, type, e);
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (SharedIndexInformer<GenericKubernetesResource> informer : informers) {
      try {
        informer.stop();
      } catch (RuntimeException e) {
        LOG.debug("stopping informer on cluster {} failed", cluster, e);
      }
    }
    onClose.accept(this);
  }
}
