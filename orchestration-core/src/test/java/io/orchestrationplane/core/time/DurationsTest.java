package io.orchestrationplane.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void twoLargestUnitsAsPeopleWriteThem() {
    assertThat(Durations.human(Duration.ofSeconds(150))).isEqualTo("2m 30s");
    assertThat(Durations.human(Duration.ofSeconds(59))).isEqualTo("59s");
    assertThat(Durations.human(Duration.ofMinutes(3))).isEqualTo("3m");
    assertThat(Durations.human(Duration.ofSeconds(3605))).isEqualTo("1h");
    assertThat(Durations.human(Duration.ofSeconds(3_900))).isEqualTo("1h 5m");
    assertThat(Durations.human(Duration.ofSeconds(90_061))).isEqualTo("1d 1h");
    assertThat(Durations.human(Duration.ofDays(400))).isEqualTo("400d");
  }

  @Test
  void belowASecondInMillisecondsAndNothingNegative() {
    assertThat(Durations.human(Duration.ofMillis(450))).isEqualTo("450ms");
    assertThat(Durations.human(Duration.ofNanos(10))).isEqualTo("<1ms");
    assertThat(Durations.human(Duration.ofMillis(1500))).isEqualTo("1s");
    assertThat(Durations.human(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.human(Duration.ofSeconds(-5))).isEqualTo("0s");
  }
}
