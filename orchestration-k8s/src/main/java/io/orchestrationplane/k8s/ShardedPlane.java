package io.orchestrationplane.k8s;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.observe.PlaneRecord;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scale-out: several replicas run the same plane, each reconciling the applications of the shards
 * its {@link Sharding} owns. Every replica is started (continuous mode) and knows every
 * application; the plane must be built with the sharding as its {@link
 * io.orchestrationplane.core.cluster.WritePermit}, so an application outside this replica's shards
 * is neither planned nor written, and a shard this replica stops owning refuses its next write at
 * once, even inside a reconcile that has not finished.
 *
 * <p>Wiring: when a shard is acquired, its applications are queued for a reconcile at once
 * ({@link OrchestrationPlane#requeue}); a shard is released (its Lease handed back) only once no
 * reconcile of its applications is in progress here, so the next owner never overlaps this one.
 *
 * <pre>{@code
 * Sharding sharding = Sharding.builder(cluster, "ops", "orchestration-plane", podName).shards(12).build();
 * OrchestrationPlane plane = OrchestrationPlane.builder().clusters(registry).writePermit(sharding).build();
 * try (ShardedPlane sharded = ShardedPlane.start(plane, sharding)) {
 *   plane.submit(app);
 * }
 * }</pre>
 */
public final class ShardedPlane implements AutoCloseable {
  private final OrchestrationPlane plane;
  private final Sharding sharding;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final AutoCloseable observer;

  private ShardedPlane(OrchestrationPlane plane, Sharding sharding) {
    this.plane = plane;
    this.sharding = sharding;
    this.observer = plane.addObserver(this::observe);
    sharding.workInProgress(() -> List.copyOf(inFlight));
    sharding.addListener(this::onEvent);
  }

  /** Wires the sharding to the plane, starts continuous mode and the sharding's background rounds. */
  public static ShardedPlane start(OrchestrationPlane plane, Sharding sharding) {
    ShardedPlane sharded = wire(plane, sharding);
    if (!plane.isStarted()) {
      plane.start();
    }
    sharding.start();
    return sharded;
  }

  /**
   * Wires the sharding to the plane without starting anything: the caller starts the plane and
   * runs the sharding's rounds ({@link Sharding#tick()}, or {@link Sharding#start()}).
   */
  public static ShardedPlane wire(OrchestrationPlane plane, Sharding sharding) {
    Objects.requireNonNull(plane, "plane");
    Objects.requireNonNull(sharding, "sharding");
    if (plane.writePermit() != sharding) {
      throw new IllegalArgumentException("build the plane with .writePermit(sharding): otherwise a replica would "
          + "write for applications of shards it does not own");
    }
    return new ShardedPlane(plane, sharding);
  }

  private void observe(PlaneRecord record) {
    if (record instanceof PlaneRecord.Queued q) {
      switch (q.activity()) {
        case HANDED_OUT -> inFlight.add(q.application());
        case DONE -> inFlight.remove(q.application());
        default -> { }
      }
    }
  }

  private void onEvent(ShardingEvent event) {
    if (event.type() != ShardingEvent.Type.ACQUIRED) {
      return;
    }
    List<String> ids = plane.statuses().keySet().stream()
        .filter(id -> ShardAssignment.shardOf(id, event.shards()) == event.shard()).sorted().toList();
    plane.requeue(ids);
  }

  public OrchestrationPlane plane() {
    return plane;
  }

  public Sharding sharding() {
    return sharding;
  }

  /** Stops continuous mode (in-flight reconciles end), then releases every shard and the heartbeat. */
  @Override
  public void close() {
    plane.stop();
    try {
      observer.close();
    } catch (Exception e) {
      // the plane's observer handles do not throw
    }
    sharding.close();
  }
}
