package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
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
}
