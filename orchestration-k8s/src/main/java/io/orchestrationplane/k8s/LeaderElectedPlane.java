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
 * <pre>{@code
 * LeaderElection election = LeaderElection.builder(cluster, "ops", "orchestration-plane", podName).build();
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
