package io.orchestrationplane.testkit;

import io.orchestrationplane.core.observe.EventSeries;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.core.observe.PlaneListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The events a plane emitted, in order, captured for assertions.
 *
 * <pre>{@code
 * assertThat(events.types()).containsSubsequence(SUBMITTED, APPLIED, CONVERGED);
 * assertThat(events.ofType(PlaneEvent.Type.DRIFT_CORRECTED)).hasSize(1);
 * assertThat(events.collapsed()).extracting(EventSeries::count).containsOnly(1);  // nothing repeated
 * }</pre>
 *
 * <p>{@link #toString()} shows repeated identical events once, with their count and last time.
 */
public final class PlaneEvents implements PlaneListener {
  private final List<PlaneEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void onEvent(PlaneEvent event) {
    events.add(event);
  }

  /** Every event so far, oldest first. */
  public List<PlaneEvent> all() {
    return List.copyOf(events);
  }

  /** The types of every event so far, oldest first. */
  public List<PlaneEvent.Type> types() {
    return events.stream().map(PlaneEvent::type).toList();
  }

  /** Events of one type. */
  public List<PlaneEvent> ofType(PlaneEvent.Type type) {
    return events.stream().filter(e -> e.type() == type).toList();
  }

  /** Events of one application ({@code <namespace>.<name>}). */
  public List<PlaneEvent> of(String application) {
    return events.stream().filter(e -> e.application().equals(application)).toList();
  }

  /**
   * Every event so far with identical events in a row collapsed into one {@link EventSeries}
   * (count, first and last time), per application: what a retry storm looks like at a glance.
   */
  public List<EventSeries> collapsed() {
    return EventSeries.collapse(all());
  }

  /** Forgets every event so far (to assert on what happens next). */
  public void clear() {
    events.clear();
  }

  public int size() {
    return events.size();
  }

  /** One line per series of identical events: {@code <time> <app> <TYPE>: <message> (x3, last <time>)}. */
  @Override
  public String toString() {
    return collapsed().stream().map(EventSeries::toString).collect(Collectors.joining("\n"));
  }
}
