package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterLimitsTest {
  @Test
  void defaultsAreFiftyRequestsPerSecondAndFiveAttempts() {
    ClusterLimits limits = ClusterLimits.defaults();

    assertThat(limits.requestsPerSecond()).isEqualTo(50);
    assertThat(limits.maxAttempts()).isEqualTo(5);
    assertThat(limits.initialBackoff()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void theBuilderRejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> ClusterLimits.builder().requestsPerSecond(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestsPerSecond");
    assertThatThrownBy(() -> ClusterLimits.builder().jitter(1.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter");
    assertThatThrownBy(() -> ClusterLimits.builder().initialBackoff(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialBackoff");
    assertThatThrownBy(() -> ClusterLimits.builder().failureRateThreshold(101))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failureRateThreshold");
    assertThatThrownBy(() -> ClusterLimits.builder().backoffMultiplier(0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backoffMultiplier");
  }

  @Test
  void aMaxBackoffBelowTheInitialBackoffIsRejectedAtBuild() {
    ClusterLimits.Builder b = ClusterLimits.builder()
        .initialBackoff(Duration.ofSeconds(2)).maxBackoff(Duration.ofSeconds(1));

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBackoff");
  }

  @Test
  void toBuilderKeepsEveryValue() {
    ClusterLimits limits = ClusterLimits.builder().requestsPerSecond(7).maxAttempts(2)
        .openDuration(Duration.ofSeconds(3)).build();

    assertThat(limits.toBuilder().build()).isEqualTo(limits);
  }
}
