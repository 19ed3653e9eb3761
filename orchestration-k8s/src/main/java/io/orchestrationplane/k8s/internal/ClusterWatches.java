package io.orchestrationplane.k8s.internal;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.k8s.KubernetesCluster;
import io.orchestrationplane.k8s.WatchFailure;
import io.orchestrationplane.k8s.internal.ApiDiscovery.ApiKind;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watches of one Kubernetes driver: one {@link InformerWatch} per {@code watch} call, a
 * monitor that reports informers that stay disconnected, and the informer stores that the
 * driver's reads are answered from. Thread-safe.
 */
public final class ClusterWatches implements AutoCloseable {
  // the driver's logger, as before the driver was split into collaborators
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesCluster.class);

  private final String cluster;
  private final KubernetesClient client;
  private final ApiDiscovery discovery;
  private final ObjectMemory memory;
  private final Consumer<WatchFailure> watchFailures;
  private final boolean cachedReads;
  private final Clock clock;
  private final Duration stallTimeout;
  private final Duration startTimeout;
  private final Set<InformerWatch> watches = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService monitor; // guarded by this

  /**
   * @param cachedReads whether reads of watched kinds are answered from the informer stores
   * @param stallTimeout how long an informer may stay disconnected before it is reported
   * @param startTimeout how long {@link #watch} waits for the informers' first lists
   */
  public ClusterWatches(String cluster, KubernetesClient client, ApiDiscovery discovery, ObjectMemory memory,
      Consumer<WatchFailure> watchFailures, boolean cachedReads, Clock clock, Duration stallTimeout,
      Duration startTimeout) {
    this.cluster = cluster;
    this.client = client;
    this.discovery = discovery;
    this.memory = memory;
    this.watchFailures = watchFailures;
    this.cachedReads = cachedReads;
    this.clock = clock;
    this.stallTimeout = stallTimeout;
    this.startTimeout = startTimeout;
  }

  /**
   * Watches the given kinds (at least one) in every namespace through one informer each, and
   * returns once every informer has listed, so ADDED events of existing objects are queued.
   */
  public AutoCloseable watch(Collection<GroupKind> kinds, Consumer<WatchEvent> listener) {
    if (kinds == null || kinds.isEmpty()) {
      throw new IllegalArgumentException("watch on cluster " + cluster + " needs at least one kind");
    }
    List<ApiKind> resolved = new ArrayList<>();
    for (GroupKind gk : new LinkedHashSet<>(kinds)) {
      resolved.add(discovery.resolve(gk));
    }
    Consumer<WatchEvent> forgetDeleted = event -> {
      if (event.type() == WatchEvent.Type.DELETED) {
        memory.forgetConversion(event.resource());
      }
      listener.accept(event);
    };
    InformerWatch watch = new InformerWatch(cluster, client, resolved, forgetDeleted, memory::fromCache,
        this::report, watches::remove, clock, stallTimeout);
    watches.add(watch);
    startMonitor();
    try {
      watch.start(startTimeout);
    } catch (RuntimeException e) {
      watch.close();
      throw ClusterErrors.map(cluster, "watch " + kinds, e);
    }
    return watch;
  }

  /**
   * The store of a running, synced informer of one of these watches for the kind, or {@code
   * null} (also when cached reads are off). Reads of watched kinds are served from it, like
   * controller-runtime's cached client: as fresh as the last watch event, with no request.
   */
  public @Nullable ResourceItemStore readCache(GroupKind groupKind) {
    if (!cachedReads || watches.isEmpty()) {
      return null;
    }
    ApiKind kind;
    try {
      kind = discovery.resolve(groupKind); // the version reads are in: the written one, else the preferred one
    } catch (ClusterException e) {
      return null;
    }
    for (InformerWatch w : watches) {
      ResourceItemStore store = w.syncedStore(kind);
      if (store != null) {
        return store;
      }
    }
    return null;
  }

  /** Whether reads of the kind are answered from a watch's store now. */
  public boolean servesReads(GroupKind kind) {
    return readCache(kind) != null;
  }

  /** Stops every watch and the monitor. */
  @Override
  public void close() {
    for (InformerWatch w : List.copyOf(watches)) {
      w.close();
    }
    synchronized (this) {
      if (monitor != null) {
        monitor.shutdownNow();
      }
    }
  }

  // fabric8 8 reconnects a broken watch forever without telling its informer's exception
  // handler, so a periodic check reports informers that stay disconnected.
  private synchronized void startMonitor() {
    if (monitor != null) {
      return;
    }
    monitor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "orchestration-plane-watch-monitor-" + cluster);
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(10, stallTimeout.toMillis() / 4);
    monitor.scheduleWithFixedDelay(() -> {
      for (InformerWatch w : watches) {
        try {
          w.checkConnected();
        } catch (RuntimeException e) {
          LOG.warn("checking watches of cluster {} failed", cluster, e);
        }
      }
    }, period, period, TimeUnit.MILLISECONDS);
  }

  private void report(WatchFailure failure) {
    LOG.warn("watch of {} on cluster {} failed{}: {}", failure.kind(), cluster,
        failure.retrying() ? " (retrying)" : " (stopped)", failure.cause().toString());
    try {
      watchFailures.accept(failure);
    } catch (RuntimeException e) {
      LOG.warn("watch failure callback of cluster {} failed", cluster, e);
    }
  }
}
