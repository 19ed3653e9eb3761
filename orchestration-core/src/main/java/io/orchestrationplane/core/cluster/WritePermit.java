package io.orchestrationplane.core.cluster;

import java.util.Optional;

/**
 * Whether the plane may write to clusters at this moment, asked before every write. A replica of
 * a highly available plane writes only while it holds its lease: the Kubernetes module's
 * {@code LeaderElection} is a permit, so a replica that loses the lease refuses its next write at
 * once, even in the middle of a reconcile, and two replicas never write at the same time.
 *
 * <pre>{@code
 * OrchestrationPlane.builder().writePermit(election)...
 * }</pre>
 *
 * <p>A permit may also answer per application ({@link #refusal(String)}): the Kubernetes module's
 * {@code Sharding} lets a replica write only for the applications of the shards whose Leases it
 * holds. Continuous mode does not reconcile an application whose writes are refused (planning it
 * would only read, and its status would report a refusal that is no fault); it reconciles it
 * when it is queued again once the permit allows it ({@code OrchestrationPlane.requeue}).
 *
 * <p>Implementations are thread-safe and answer quickly (no I/O).
 */
@FunctionalInterface
public interface WritePermit {
  /** Every write is allowed. */
  WritePermit ALWAYS = Optional::empty;

  /** Why writing is not allowed now, or empty when it is. */
  Optional<String> refusal();

  /**
   * Why writing for the application {@code applicationId} ({@code <namespace>.<name>}) is not
   * allowed now, or empty when it is. Asked before every write of that application's plans;
   * by default the same answer as {@link #refusal()}.
   */
  default Optional<String> refusal(String applicationId) {
    return refusal();
  }
}
