package io.orchestrationplane.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkQueueConfigTest {

  @Test
  void defaultsAreFiveMillisecondsDoublingToFiveMinutesAndTenPerSecondBurstHundred() {
    WorkQueue.Config config = WorkQueue.Config.defaults();

    assertThat(config.baseDelay()).isEqualTo(Duration.ofMillis(5));
    assertThat(config.maxDelay()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.rate()).isEqualTo(10.0);
    assertThat(config.burst()).isEqualTo(100);
    assertThat(WorkQueue.Config.custom().build()).isEqualTo(config);
  }

  @Test
  void builderSetsEveryValueAndLeavesTheOriginalUntouched() {
    WorkQueue.Config config = WorkQueue.Config.custom()
        .baseDelay(Duration.ofMillis(10)).maxDelay(Duration.ofSeconds(30)).rate(2.5).burst(7).build();
    WorkQueue.Config changed = config.toBuilder().burst(8).build();

    assertThat(config).isEqualTo(new WorkQueue.Config(Duration.ofMillis(10), Duration.ofSeconds(30), 2.5, 7));
    assertThat(changed.burst()).isEqualTo(8);
    assertThat(config.burst()).isEqualTo(7);
  }

  @Test
  void rejectsANonPositiveBaseDelayNamingIt() {
    assertThatThrownBy(() -> WorkQueue.Config.custom().baseDelay(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("baseDelay must be positive, was PT0S");
  }

  @Test
  void rejectsAMaxDelayBelowTheBaseDelay() {
    assertThatThrownBy(() -> WorkQueue.Config.custom()
            .baseDelay(Duration.ofSeconds(2)).maxDelay(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxDelay must be >= baseDelay (PT2S), was PT1S");
  }

  @Test
  void rejectsARateThatIsNotPositiveAndFinite() {
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> WorkQueue.Config.custom().rate(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("rate must be a positive finite number")
          .hasMessageEndingWith("was " + bad);
    }
  }

  @Test
  void rejectsABurstBelowOne() {
    assertThatThrownBy(() -> WorkQueue.Config.custom().burst(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("burst must be >= 1, was 0");
  }

  @Test
  void theConstructorChecksTheSameInvariants() {
    assertThatThrownBy(() -> new WorkQueue.Config(Duration.ofMillis(5), Duration.ofMinutes(5), 10, -3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("burst must be >= 1, was -3");
  }
}
