package io.orchestrationplane.core.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Identical {@link PlaneEvent}s in a row, collapsed into one entry with a count and the times of
 * the first and the last, as Kubernetes aggregates repeated Events ({@code count},
 * {@code firstTimestamp}, {@code lastTimestamp}). A retry storm reads as one line:
 *
 * <pre>
 * 2026-01-01T00:00:01Z shop.shop APPLY_FAILED: Deployment shop/api (cluster prod): apply failed: ... (x5, last 2026-01-01T00:00:41Z)
 * </pre>
 *
 * <p>Events are identical when application, type, message and subject are equal; a series of one
 * application goes on while that application's events repeat, whatever other applications do in
 * between, and ends at its first different event.
 *
 * @param event the first event of the series
 * @param count how many identical events, at least 1
 * @param last the time of the last one
 */
public record EventSeries(PlaneEvent event, int count, Instant last) {
  public EventSeries {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(last, "last");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
    if (last.isBefore(event.time())) {
      throw new IllegalArgumentException("last " + last + " is before the first event at " + event.time());
    }
  }

  /** The time of the first event. */
  public Instant first() {
    return event.time();
  }

  /** The events collapsed, in the order each series began. */
  public static List<EventSeries> collapse(List<PlaneEvent> events) {
    List<EventSeries> out = new ArrayList<>();
    Map<String, Integer> open = new HashMap<>(); // application -> index of its current series in out
    for (PlaneEvent e : events) {
      Integer at = open.get(e.application());
      if (at != null && sameAs(out.get(at).event, e)) {
        EventSeries s = out.get(at);
        Instant last = e.time().isAfter(s.last) ? e.time() : s.last;
        out.set(at, new EventSeries(s.event, s.count + 1, last));
      } else {
        open.put(e.application(), out.size());
        out.add(new EventSeries(e, 1, e.time()));
      }
    }
    return List.copyOf(out);
  }

  private static boolean sameAs(PlaneEvent a, PlaneEvent b) {
    return a.type() == b.type() && a.message().equals(b.message()) && a.subject().equals(b.subject());
  }

  /** The first event's line, with {@code (xN, last <time>)} when it repeated. */
  @Override
  public String toString() {
    return event + (count == 1 ? "" : " (x" + count + ", last " + last + ")");
  }
}
