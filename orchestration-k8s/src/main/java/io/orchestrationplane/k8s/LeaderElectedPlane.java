package io.orchestrationplane.k8s;

import io.orchestrationplane.core.OrchestrationPlane;
import java.util.Objects;

/**
 * High availability: several replicas run the same plane, and only the one holding the Lease
 * reconciles. Gaining leadership {@link OrchestrationPlane#start() starts} continuous mode, losing
 * it {@link OrchestrationPlane#stop() stops} it (the JVM keeps running, and the replica campaigns
 * again); submitted applications are kept either way, so a replica that regains the lease picks
 * up where it was.
 *
 * <p>The plane must be built with the election as its {@link
 * io.orchestrationplane.core.cluster.WritePermit}: a replica that loses the lease then refuses its
 * next write at once, even inside a reconcile that has not finished, so two replicas never write
 * at the same time; stopping continuous mode afterwards only ends the threads.
 *
 * <pre>{@code
 * LeaderElection election = LeaderElection.builder(cluster, "ops", "orchestration-plane", podName).build();
 * OrchestrationPlane plane = OrchestrationPlane.builder().clusters(registry).writePermit(election).build();
 * try (LeaderElectedPlane ha = LeaderElectedPlane.start(plane, election)) {
 *   plane.submit(app);   // every replica knows the desired state; only the leader acts on it
 *   ...
 * }
 * }</pre>
 */
public final class LeaderElectedPlane implements AutoCloseable {
  private final OrchestrationPlane plane;
  private final LeaderElection election;

  private LeaderElectedPlane(OrchestrationPlane plane, LeaderElection election) {
    this.plane = plane;
    this.election = election;
  }

  /** Wires leadership to the plane's continuous mode and starts campaigning. */
  public static LeaderElectedPlane start(OrchestrationPlane plane, LeaderElection election) {
    Objects.requireNonNull(plane, "plane");
    Objects.requireNonNull(election, "election");
    if (plane.writePermit() != election) {
      throw new IllegalArgumentException("build the plane with .writePermit(election): otherwise a replica that lost "
          + "the lease could still write until its in-flight reconciles end");
    }
    LeaderElectedPlane ha = new LeaderElectedPlane(plane, election);
    election.addListener(event -> {
      switch (event.type()) {
        case STARTED_LEADING -> ha.lead();
        case STOPPED_LEADING -> plane.stop();
        default -> { }
      }
    });
    election.start();
    return ha;
  }

  private synchronized void lead() {
    if (!plane.isStarted()) {
      plane.start();
    }
  }

  /** True while this replica leads (and so reconciles). */
  public boolean isLeader() {
    return election.isLeader();
  }

  public OrchestrationPlane plane() {
    return plane;
  }

  public LeaderElection election() {
    return election;
  }

  /** Steps down (releasing the lease, so another replica takes over at once) and stops reconciling. */
  @Override
  public void close() {
    election.close();
    plane.stop();
  }
}
