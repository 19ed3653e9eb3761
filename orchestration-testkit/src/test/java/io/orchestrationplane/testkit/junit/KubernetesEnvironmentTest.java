package io.orchestrationplane.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The parts of {@link KubernetesEnvironment} that need no server: waiting and settings. */
class KubernetesEnvironmentTest {

  @Test
  void awaitReturnsOnceTheConditionHoldsPollingUntilThen() {
    AtomicInteger polls = new AtomicInteger();

    KubernetesEnvironment.await(() -> polls.incrementAndGet() >= 3, Duration.ofSeconds(10));

    assertThat(polls.get()).isEqualTo(3);
  }

  @Test
  void awaitFailsAfterTheLimitSayingWhatWasAwaited() {
    assertThatThrownBy(() -> KubernetesEnvironment.await(() -> "the api is not ready", () -> false,
        Duration.ofMillis(30)))
        .isInstanceOf(AssertionError.class)
        .hasMessage("the api is not ready (waited PT0.03S)");
  }

  @Test
  void settingsAreCheckedWhenGiven() {
    assertThatThrownBy(() -> KubernetesEnvironment.builder().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive");
    assertThatThrownBy(() -> KubernetesEnvironment.builder().workers(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers must be at least 1");
    assertThatThrownBy(() -> KubernetesEnvironment.builder().cluster("a").cluster("a:tier=x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster 'a' is declared twice");
    assertThatThrownBy(() -> KubernetesEnvironment.builder().clock(ManualClock.create()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a ManualClock does not move on its own");
  }
}
