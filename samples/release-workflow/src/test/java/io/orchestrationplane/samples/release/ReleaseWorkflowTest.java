package io.orchestrationplane.samples.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.delivery.ReleaseStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReleaseWorkflowTest {
  @Test
  void theDemoPromotesReleaseOneAndRollsProdBackFromReleaseTwo() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ReleaseStatus status = ReleaseWorkflow.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out).contains("refused (dana is the author of release 1 of shop.shop and may not approve it)")
        .contains("waiting for change window of prod, opening at 2026-03-03T08:00:00Z")
        .contains("Tue 09:00  prod's change window opened")
        .contains("run 1 SUCCEEDED: release 1 delivered")
        .contains("rolled back prod to release 1")
        .contains("prod runs ghcr.io/acme/shop-api:1.4.2 again");
    assertThat(status.run().orElseThrow().phase()).isEqualTo(ReleaseStatus.RunPhase.ROLLED_BACK);
    assertThat(status.environments().get("prod").release()).isEqualTo(1);
    assertThat(status.environments().get("staging").release()).isEqualTo(2);
  }
}
