package io.orchestrationplane.k8s;

import java.time.Instant;
import java.util.Objects;

/**
 * A change of what a {@link Sharding} replica owns.
 *
 * @param type what happened
 * @param identity this replica's identity
 * @param shard the shard concerned (for {@link Type#SHARD_COUNT_CHANGED}: -1)
 * @param shards the shard count the shard belongs to (for {@link Type#SHARD_COUNT_CHANGED}: the new count)
 * @param leaseTransitions the shard Lease's {@code spec.leaseTransitions} after an acquisition (an
 *     epoch: every acquisition of a shard increments it), else -1
 * @param at when this replica saw it, by its clock
 */
public record ShardingEvent(Type type, String identity, int shard, int shards, int leaseTransitions, Instant at) {
  /** What happened. */
  public enum Type {
    /** This replica acquired the shard's Lease: its applications are reconciled here from now on. */
    ACQUIRED,
    /** This replica stopped the shard's work and released its Lease (rebalancing, shard count change, close). */
    RELEASED,
    /** This replica could not renew the shard's Lease within the renew deadline, or another holds it: its writes stopped. */
    LOST,
    /** The shard count (the {@code <name>-sharding} ConfigMap) changed; held shards of the old count are released. */
    SHARD_COUNT_CHANGED
  }

  public ShardingEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(at, "at");
  }
}
