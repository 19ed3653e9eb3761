package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Operator mode and leader election over HTTP against the CRUD mock API server. */
class OperatorAndLeaderElectionIT {
  /** A bound for a hang, not a speed: on a loaded two-core machine the first status took over 20 s once. */
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void applicationObjectsAreReconciledUpdatedAndPrunedWithTheirStatusWritten() throws Exception {
    try (MockApi api = new MockApi(); KubernetesCluster ops = api.cluster("ops");
        OrchestrationPlane plane = OrchestrationPlane.builder().cluster(ops).workers(1).build();
        ApplicationOperator operator = ApplicationOperator.builder(plane, ops).build()) {
      ops.apply(ApplicationCrd.definition());
      operator.start();
      plane.start();

      ops.apply(Resource.fromYaml(ApplicationOperatorTest.application("fast")));
      ResourceKey config = ApplicationOperatorTest.CONFIG;
      await(() -> ops.get(config).map(r -> r.at("/data/mode").asString()).filter("fast"::equals));
      Resource withStatus = await(() -> ops.get(ApplicationOperatorTest.APP)
          .filter(r -> r.at("/status/phase").asString().equals("READY")));
      assertThat(withStatus.at("/status/resources/0/sync").asString()).isEqualTo("in sync");

      ops.apply(Resource.fromYaml(ApplicationOperatorTest.application("safe")));
      await(() -> ops.get(config).map(r -> r.at("/data/mode").asString()).filter("safe"::equals));

      ops.delete(ApplicationOperatorTest.APP);
      await(() -> ops.get(config).isEmpty() ? Optional.of(true) : Optional.empty());
    }
  }

  @Test
  void onlyTheLeaderReconcilesAndAnotherReplicaTakesOverWhenItStepsDown() throws Exception {
    // A lease long enough that a loaded machine cannot let it expire while its holder is busy;
    // the handover below does not wait for it: the leader releases the lease when it steps down.
    Duration lease = Duration.ofSeconds(8);
    try (MockApi api = new MockApi(); KubernetesCluster a = api.cluster("shared"); KubernetesCluster b = api.cluster("shared")) {
      LeaderElection electionA = election(a, "replica-a", lease);
      LeaderElection electionB = election(b, "replica-b", lease);
      OrchestrationPlane planeA = OrchestrationPlane.builder().cluster(a).workers(1).writePermit(electionA).build();
      OrchestrationPlane planeB = OrchestrationPlane.builder().cluster(b).workers(1).writePermit(electionB).build();
      Application app = Application.builder("settings").namespace("team-a")
          .component(Component.builder("config", "k8s-objects").property("objects", List.of(Map.of(
              "apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "app-config"),
              "data", Map.of("mode", "fast")))).build())
          .build();
      planeA.submit(app);
      planeB.submit(app);
      LeaderElectedPlane haA = LeaderElectedPlane.start(planeA, electionA);
      LeaderElectedPlane haB = LeaderElectedPlane.start(planeB, electionB);
      try {
        await(() -> haA.isLeader() || haB.isLeader() ? Optional.of(true) : Optional.empty());
        LeaderElectedPlane leader = haA.isLeader() ? haA : haB;
        LeaderElectedPlane follower = leader == haA ? haB : haA;
        await(() -> leader.plane().isStarted() ? Optional.of(true) : Optional.empty());
        assertThat(follower.plane().isStarted()).as("only the leader reconciles").isFalse();
        await(() -> a.get(ApplicationOperatorTest.CONFIG));

        Instant stepDown = Instant.now();
        leader.close();
        await(() -> follower.isLeader() && follower.plane().isStarted() ? Optional.of(true) : Optional.empty());
        Duration handover = Duration.between(stepDown, Instant.now());
        // reported, not asserted: wall-clock time depends on the machine's load
        System.out.println("leader handover took " + handover.toMillis() + " ms (lease " + lease.toMillis() + " ms)");
        assertThat(leader.plane().isStarted()).isFalse();
        // The old leader's plane refuses to write, even when asked directly: two writers never overlap.
        var refused = leader.plane().apply(leader.plane().planDelete(app));
        assertThat(refused.failure()).hasValueSatisfying(o -> assertThat(o.message())
            .contains("not attempted").contains("does not hold the lease"));
        assertThat(a.get(ApplicationOperatorTest.CONFIG)).as("nothing deleted by the old leader").isPresent();

        a.delete(ApplicationOperatorTest.CONFIG); // the new leader restores it
        await(() -> b.get(ApplicationOperatorTest.CONFIG));
      } finally {
        haA.close();
        haB.close();
        planeA.close();
        planeB.close();
      }
    }
  }

  @Test
  void aPlaneWithoutTheElectionAsItsWritePermitIsRefused() {
    try (MockApi api = new MockApi(); KubernetesCluster a = api.cluster("shared");
        OrchestrationPlane plane = OrchestrationPlane.builder().cluster(a).workers(0).build()) {
      LeaderElection election = election(a, "replica-a", Duration.ofSeconds(3));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> LeaderElectedPlane.start(plane, election))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".writePermit(election)");
    }
  }

  private static LeaderElection election(KubernetesCluster cluster, String identity, Duration lease) {
    return LeaderElection.builder(cluster, "default", "orchestration-plane", identity)
        .leaseDuration(lease).renewDeadline(lease.multipliedBy(3).dividedBy(4)).retryPeriod(Duration.ofMillis(250))
        .build();
  }

  /** Polls until the supplier yields a value; the system under test runs on its own threads. */
  private static <T> T await(Supplier<Optional<T>> probe) {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      LockSupport.parkNanos(20_000_000L);
    }
  }
}
