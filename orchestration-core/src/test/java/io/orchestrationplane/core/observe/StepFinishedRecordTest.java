package io.orchestrationplane.core.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.audit.internal.AuditMapper;
import io.orchestrationplane.core.observe.PlaneRecord.StepFinished;
import io.orchestrationplane.core.observe.PlaneRecord.StepFinished.Outcome;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A finished workflow step is telemetry: checked at construction, not kept by the audit log. */
class StepFinishedRecordTest {
  static final Instant T = Instant.parse("2026-03-02T09:00:00Z");

  @Test
  void theAuditLogDoesNotKeepAFinishedStep() {
    StepFinished f = new StepFinished(T, Subject.of("dana"), "shop.shop", "deploy-dev", "apply", "dev",
        Outcome.SUCCEEDED, Duration.ofSeconds(3), 1);
    assertThat(AuditMapper.map(f)).isNull();
  }

  @Test
  void invariantsAreCheckedAtConstruction() {
    assertThatThrownBy(() -> new StepFinished(T, Subject.of("dana"), "shop.shop", "s", "apply", "", Outcome.FAILED,
        Duration.ofSeconds(-1), 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration");
    assertThatThrownBy(() -> new StepFinished(T, Subject.of("dana"), "shop.shop", "s", "apply", "", Outcome.FAILED,
        Duration.ZERO, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attempts");
    assertThatThrownBy(() -> new StepFinished(T, Subject.of("dana"), "shop.shop", "", "apply", "", Outcome.FAILED,
        Duration.ZERO, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step");
  }
}
