package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShardingTest {
  // Building a client opens no connection; these tests never run a round.
  private final KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.empty()).build();

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void beforeAnyRoundNothingIsOwnedAndEveryWriteIsRefusedNamingTheShardAndItsLease() {
    Sharding sharding = Sharding.builder(client, "ops", "planes", "pod-a").shards(8).build();

    assertThat(sharding.ownedShards()).isEmpty();
    assertThat(sharding.shardCount()).isEqualTo(8);
    int shard = ShardAssignment.shardOf("shop.api", 8);
    assertThat(sharding.shardOf("shop.api")).isEqualTo(shard);
    assertThat(sharding.refusal("shop.api")).hasValue("replica pod-a does not own shard " + shard + " of 8 (Lease "
        + "ops/planes-shard-" + shard + ") that application shop.api belongs to");
    assertThat(sharding.refusal()).isPresent();
    assertThat(sharding.epoch("shop.api")).isEmpty();
  }

  @Test
  void aRenewDeadlineNotShorterThanTheLeaseIsRejected() {
    Sharding.Builder b = Sharding.builder(client, "ops", "planes", "pod-a")
        .leaseDuration(Duration.ofSeconds(10)).renewDeadline(Duration.ofSeconds(10));

    assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leaseDuration (PT10S) must be longer than renewDeadline (PT10S)");
  }

  @Test
  void aRetryPeriodNotShorterThanTheRenewDeadlineIsRejected() {
    Sharding.Builder b = Sharding.builder(client, "ops", "planes", "pod-a")
        .renewDeadline(Duration.ofSeconds(2)).retryPeriod(Duration.ofSeconds(2));

    assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryPeriod");
  }

  @Test
  void leaseDurationsAreWholeSecondsAsLeasesStoreThem() {
    assertThatThrownBy(() -> Sharding.builder(client, "ops", "planes", "pod-a").leaseDuration(Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaseDurationSeconds");
  }

  @Test
  void identitiesMustBeDnsNamesBecauseTheyNameLeases() {
    assertThatThrownBy(() -> Sharding.builder(client, "ops", "planes", "Pod_A"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("identity must be a lower-case DNS name")
        .hasMessageContaining("'Pod_A'");
    assertThatThrownBy(() -> Sharding.builder(client, "ops", "planes", "pod-a").shards(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shards must be between 1 and 4096");
  }

  @Test
  void aPlaneNotBuiltWithTheShardingAsItsPermitIsRejected() {
    Sharding sharding = Sharding.builder(client, "ops", "planes", "pod-a").build();
    try (OrchestrationPlane plane = OrchestrationPlane.builder().cluster(InMemoryCluster.create("c")).build()) {
      assertThatThrownBy(() -> ShardedPlane.wire(plane, sharding)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(".writePermit(sharding)");
    }
  }
}
