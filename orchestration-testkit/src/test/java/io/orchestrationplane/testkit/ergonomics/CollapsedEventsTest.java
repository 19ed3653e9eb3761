package io.orchestrationplane.testkit.ergonomics;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.testkit.PlaneEvents;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The captured events print repeated identical events once, with their count and last time. */
class CollapsedEventsTest {
  @Test
  void aRetryStormReadsAsOneLine() {
    PlaneEvents events = new PlaneEvents();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 4; i++) {
      events.onEvent(new PlaneEvent(t.plusSeconds(10L * i), "shop.shop", PlaneEvent.Type.APPLY_FAILED,
          "Deployment shop/api (cluster prod): apply failed: server error"));
    }
    events.onEvent(new PlaneEvent(t.plusSeconds(50), "shop.shop", PlaneEvent.Type.CONVERGED, "5 objects in sync and healthy"));

    assertThat(events.all()).hasSize(5);
    assertThat(events.collapsed()).hasSize(2);
    assertThat(events).hasToString("""
        2026-01-01T00:00:00Z shop.shop APPLY_FAILED: Deployment shop/api (cluster prod): apply failed: server error \
        (x4, last 2026-01-01T00:00:30Z)
        2026-01-01T00:00:50Z shop.shop CONVERGED: 5 objects in sync and healthy""");
  }
}
