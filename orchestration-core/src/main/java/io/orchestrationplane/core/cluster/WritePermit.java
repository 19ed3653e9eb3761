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
 * <p>Implementations are thread-safe and answer quickly (no I/O).
 */
@FunctionalInterface
public interface WritePermit {
  /** Every write is allowed. */
  WritePermit ALWAYS = Optional::empty;

  /** Why writing is not allowed now, or empty when it is. */
  Optional<String> refusal();
}
