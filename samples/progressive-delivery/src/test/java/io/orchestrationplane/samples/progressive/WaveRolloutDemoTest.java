package io.orchestrationplane.samples.progressive;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.delivery.wave.WaveProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WaveRolloutDemoTest {
  @Test
  void theSecondWaveFailsAndTheUsClustersAreNeverWritten() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    WaveProgress progress = WaveRolloutDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(progress.state()).isEqualTo(WaveProgress.State.STOPPED);
    assertThat(progress.currentWave()).isEqualTo(1);
    assertThat(progress.clusters(WaveProgress.Phase.PENDING)).containsExactly("us-1", "us-2", "us-3");
    assertThat(out).contains("rollout complete")
        .contains("images: canary-1=shop-api:1.0 eu-1=shop-api:1.0 eu-2=shop-api:1.0 us-1=shop-api:1.0")
        .contains("rollout STOPPED: group region=eu: 2 of 2 clusters failed (maxFailures 0)")
        .contains("images: canary-1=shop-api:2.0 eu-1=shop-api:2.0 eu-2=shop-api:2.0 us-1=shop-api:1.0 "
            + "us-2=shop-api:1.0 us-3=shop-api:1.0");
  }
}
