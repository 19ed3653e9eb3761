package io.orchestrationplane.samples.progressive;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.delivery.rollout.RolloutStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressiveDeliveryTest {
  @Test
  void theGoodReleaseIsPromotedThroughTenFiftyHundredAndTheBadOneIsRolledBack() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<RolloutStatus> results = ProgressiveDelivery.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out).contains("route api=90 api-canary=10").contains("route api=50 api-canary=50")
        .contains("route api=0 api-canary=100")
        .contains("stable runs ghcr.io/acme/shop-api:1.4.1")
        .contains("aborted: analysis error-rate failed: metric error-rate measured 0.07, which fails result < 0.01")
        .contains("canary removed; route api=100");
    assertThat(results.get(0).phase()).isEqualTo(RolloutStatus.Phase.HEALTHY);
    assertThat(results.get(1).phase()).isEqualTo(RolloutStatus.Phase.DEGRADED);
    assertThat(results.get(1).failingMeasurement().expression()).isEqualTo("result < 0.01");
  }
}
