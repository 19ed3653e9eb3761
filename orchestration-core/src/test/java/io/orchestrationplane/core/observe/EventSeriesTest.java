package io.orchestrationplane.core.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.observe.PlaneEvent.Type;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventSeriesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static PlaneEvent at(int second, String app, Type type, String message) {
    return new PlaneEvent(T0.plusSeconds(second), app, type, message);
  }

  @Test
  void identicalEventsInARowBecomeOneSeriesWithCountAndFirstAndLastTime() {
    List<EventSeries> series = EventSeries.collapse(List.of(
        at(0, "shop.shop", Type.APPLY_FAILED, "Deployment shop/api (cluster prod): apply failed: server error"),
        at(1, "shop.shop", Type.APPLY_FAILED, "Deployment shop/api (cluster prod): apply failed: server error"),
        at(3, "shop.shop", Type.APPLY_FAILED, "Deployment shop/api (cluster prod): apply failed: server error"),
        at(4, "shop.shop", Type.STATUS_CHANGED, "READY")));

    assertThat(series).hasSize(2);
    assertThat(series.get(0).count()).isEqualTo(3);
    assertThat(series.get(0).first()).isEqualTo(T0);
    assertThat(series.get(0).last()).isEqualTo(T0.plusSeconds(3));
    assertThat(series.get(0)).hasToString("2026-01-01T00:00:00Z shop.shop APPLY_FAILED: Deployment shop/api (cluster "
        + "prod): apply failed: server error (x3, last 2026-01-01T00:00:03Z)");
    assertThat(series.get(1)).hasToString("2026-01-01T00:00:04Z shop.shop STATUS_CHANGED: READY");
  }

  @Test
  void anotherApplicationInBetweenDoesNotBreakASeriesButADifferentEventDoes() {
    List<EventSeries> series = EventSeries.collapse(List.of(
        at(0, "a.a", Type.STATUS_CHANGED, "PROGRESSING"),
        at(1, "b.b", Type.STATUS_CHANGED, "PROGRESSING"),
        at(2, "a.a", Type.STATUS_CHANGED, "PROGRESSING"),
        at(3, "a.a", Type.STATUS_CHANGED, "READY"),
        at(4, "a.a", Type.STATUS_CHANGED, "PROGRESSING"),
        at(5, "a.a", Type.STATUS_CHANGED, "PROGRESSING", Subject.of("alice"))));

    assertThat(series).extracting(s -> s.event().application() + " " + s.event().message() + " x" + s.count())
        .containsExactly("a.a PROGRESSING x2", "b.b PROGRESSING x1", "a.a READY x1", "a.a PROGRESSING x1",
            "a.a PROGRESSING x1");
  }

  private static PlaneEvent at(int second, String app, Type type, String message, Subject subject) {
    return new PlaneEvent(T0.plusSeconds(second), app, type, message, subject);
  }
}
