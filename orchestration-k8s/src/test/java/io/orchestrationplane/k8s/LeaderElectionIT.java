package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two candidates on one mock server. fabric8's elector runs on real time, so the durations are
 * short and the waits poll with deadlines instead of sleeping a fixed time.
 */
class LeaderElectionIT {
  private static final Duration LEASE = Duration.ofMillis(3000);
  private static final Duration RENEW = Duration.ofMillis(2000);
  private static final Duration RETRY = Duration.ofMillis(200);

  private MockApi api;
  private KubernetesClient clientA;
  private KubernetesClient clientB;
  private final List<LeadershipEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    api = new MockApi();
    clientA = api.rawClient();
    clientB = api.rawClient();
  }

  @AfterEach
  void stop() {
    clientA.close();
    clientB.close();
    api.close();
  }

  private LeaderElection candidate(KubernetesClient client, String identity) {
    return LeaderElection.builder(client, "ops", "orchestration-plane", identity)
        .leaseDuration(LEASE).renewDeadline(RENEW).retryPeriod(RETRY)
        .onEvent(events::add)
        .build();
  }

  @Test
  void onlyOneLeadsAndStoppingItHandsOverWithinTheLease() {
    try (LeaderElection a = candidate(clientA, "a"); LeaderElection b = candidate(clientB, "b")) {
      a.start();
      b.start();
      await(() -> a.isLeader() || b.isLeader(), Duration.ofSeconds(10));
      LeaderElection leader = a.isLeader() ? a : b;
      LeaderElection follower = leader == a ? b : a;
      assertThat(follower.isLeader()).isFalse();

      Instant stopped = Instant.now();
      leader.close();
      // The event is emitted just after isLeader() turns true: wait for the event itself.
      await(() -> events.stream().anyMatch(e -> e.type() == LeadershipEvent.Type.STARTED_LEADING
          && e.identity().equals(follower.identity())), LEASE.multipliedBy(6));
      Duration handover = Duration.between(stopped, Instant.now());
      // reported, not asserted: wall-clock time depends on the machine's load (the benchmark measures it)
      System.out.println("leader election: handover took " + handover.toMillis() + " ms (lease " + LEASE.toMillis() + " ms)");

      assertThat(follower.isLeader()).isTrue();
      assertThat(leader.isLeader()).isFalse();
      assertThat(events).filteredOn(e -> e.type() == LeadershipEvent.Type.STARTED_LEADING)
          .extracting(LeadershipEvent::identity).containsExactly(leader.identity(), follower.identity());
      assertThat(events).filteredOn(e -> e.type() == LeadershipEvent.Type.STOPPED_LEADING)
          .extracting(LeadershipEvent::identity).containsExactly(leader.identity());
    }
  }

  @Test
  void aLeaderThatLosesTheLeaseStopsAndLaterLeadsAgain() {
    try (LeaderElection a = candidate(clientA, "a")) {
      a.start();
      await(a::isLeader, Duration.ofSeconds(10));

      // Someone else takes the lease (as a partitioned peer whose clock ran ahead would).
      // The leader renews concurrently, so retry the takeover on conflicts.
      for (int attempt = 1; ; attempt++) {
        Lease lease = clientB.leases().inNamespace("ops").withName("orchestration-plane").get();
        lease.getSpec().setHolderIdentity("intruder");
        lease.getSpec().setRenewTime(ZonedDateTime.now());
        try {
          clientB.leases().inNamespace("ops").resource(lease).update();
          break;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409 || attempt == 20) {
            throw e;
          }
        }
      }

      await(() -> !a.isLeader(), RENEW.plus(LEASE).multipliedBy(4));
      await(() -> events.stream().filter(e -> e.type() == LeadershipEvent.Type.STARTED_LEADING).count() >= 2,
          LEASE.multipliedBy(8));

      assertThat(events).extracting(LeadershipEvent::type).containsSubsequence(
          LeadershipEvent.Type.STARTED_LEADING, LeadershipEvent.Type.STOPPED_LEADING,
          LeadershipEvent.Type.STARTED_LEADING);
    }
  }

  @Test
  void aSlowOnStartLeadingDoesNotHoldUpTheRenewals() throws InterruptedException {
    CountDownLatch starting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    LeaderElection a = LeaderElection.builder(clientA, "ops", "orchestration-plane", "a")
        .leaseDuration(LEASE).renewDeadline(RENEW).retryPeriod(RETRY)
        .onStartLeading(() -> { // a plane starting its informers on a loaded machine
          starting.countDown();
          try {
            release.await(1, TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        })
        .build();
    try (a) {
      a.start();
      assertThat(starting.await(10, TimeUnit.SECONDS)).as("onStartLeading called").isTrue();
      ZonedDateTime first = renewTime();
      // While the callback still runs, the elector keeps renewing the lease, so nobody can take it.
      await(() -> renewTime().isAfter(first), LEASE.multipliedBy(4));
      assertThat(a.isLeader()).isTrue();
      assertThat(a.refusal()).isEmpty();
    } finally {
      release.countDown();
    }
  }

  private ZonedDateTime renewTime() {
    return clientB.leases().inNamespace("ops").withName("orchestration-plane").get().getSpec().getRenewTime();
  }

  private static void await(BooleanSupplier condition, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.onSpinWait();
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
    }
  }
}
