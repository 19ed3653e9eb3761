package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {
  // Building a client opens no connection; these tests never start an election.
  private final KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.empty()).build();

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void defaultsAreFifteenTenAndTwoSecondsAndNobodyLeadsBeforeStart() {
    LeaderElection election = LeaderElection.builder(client, "ops", "plane", "pod-a").build();

    assertThat(election.isLeader()).isFalse();
    assertThat(election.currentLeader()).isEmpty();
    assertThat(election.identity()).isEqualTo("pod-a");
  }

  @Test
  void aRenewDeadlineNotShorterThanTheLeaseIsRejected() {
    LeaderElection.Builder b = LeaderElection.builder(client, "ops", "plane", "pod-a")
        .leaseDuration(Duration.ofSeconds(10)).renewDeadline(Duration.ofSeconds(10));

    assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaseDuration");
  }

  @Test
  void aRetryPeriodTooCloseToTheRenewDeadlineIsRejected() {
    LeaderElection.Builder b = LeaderElection.builder(client, "ops", "plane", "pod-a")
        .renewDeadline(Duration.ofSeconds(2)).retryPeriod(Duration.ofSeconds(2));

    assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryPeriod");
  }

  @Test
  void aBlankIdentityIsRejected() {
    assertThatThrownBy(() -> LeaderElection.builder(client, "ops", "plane", " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("identity");
  }

  @Test
  void aClosedElectionCannotStart() {
    LeaderElection election = LeaderElection.builder(client, "ops", "plane", "pod-a").build();
    election.close();

    assertThatThrownBy(election::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void theFenceHoldsFromTheRenewTimeItWroteUntilTheRenewDeadline() {
    long[] nanos = {1_000_000_000L};
    ZonedDateTime wall = ZonedDateTime.of(2026, 12, 3, 12, 0, 0, 0, ZoneOffset.UTC);
    LeaseFence fence = new LeaseFence("pod-a", Duration.ofSeconds(2), () -> nanos[0], () -> wall);
    assertThat(fence.holds()).as("nothing written yet").isFalse();

    // Written 500 ms after the renewTime it carries (the request was slow): the hold counts from renewTime.
    fence.written(record("pod-a", wall.minus(Duration.ofMillis(500))));
    assertThat(fence.holds()).isTrue();
    nanos[0] += Duration.ofMillis(1499).toNanos();
    assertThat(fence.holds()).isTrue();
    nanos[0] += Duration.ofMillis(1).toNanos();
    assertThat(fence.holds()).as("2 s after the renewTime, with no renewal since").isFalse();

    fence.written(record("pod-a", wall));
    assertThat(fence.holds()).isTrue();
    fence.written(record("pod-b", wall));
    assertThat(fence.holds()).as("a record naming another holder ends the hold").isFalse();

    fence.written(record("pod-a", wall));
    fence.release();
    assertThat(fence.holds()).isFalse();
  }

  @Test
  void anElectionThatNeverRenewedRefusesWrites() {
    LeaderElection election = LeaderElection.builder(client, "ops", "plane", "pod-a").build();

    assertThat(election.refusal()).hasValueSatisfying(r -> assertThat(r).contains("pod-a").contains("ops/plane"));
  }

  private static LeaderElectionRecord record(String holder, ZonedDateTime renewTime) {
    return new LeaderElectionRecord(holder, Duration.ofSeconds(15), renewTime.minusMinutes(1), renewTime, 0);
  }
}
