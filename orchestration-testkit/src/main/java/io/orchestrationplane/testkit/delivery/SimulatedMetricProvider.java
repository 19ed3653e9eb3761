package io.orchestrationplane.testkit.delivery;

import io.orchestrationplane.delivery.analysis.MetricProvider;
import io.orchestrationplane.delivery.analysis.MetricProviderException;
import io.orchestrationplane.delivery.analysis.MetricQuery;
import io.orchestrationplane.delivery.analysis.MetricValue;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A {@link MetricProvider} whose answers a test scripts over time: per query, what it answers
 * from an instant on (a value, an error), read at the measurement's time (the analysis' clock,
 * a {@code ManualClock} in a test). So a canary can be healthy for five minutes and then start
 * failing, without threads or sleeps.
 *
 * <pre>{@code
 * SimulatedMetricProvider metrics = SimulatedMetricProvider.create(clock)
 *     .set("error-rate", MetricValue.vector(0.001))                                      // from now on
 *     .setAt("error-rate", clock.instant().plus(Duration.ofMinutes(5)), MetricValue.vector(0.07))
 *     .failAt("latency", clock.instant(), "connection refused");
 * Analysis analysis = Analysis.builder().provider(metrics).build();
 * }</pre>
 *
 * A query with nothing scripted at the time asked answers with an error (a test that forgot a
 * value sees ERROR measurements, never a success). Takes no metric options. Thread-safe.
 */
public final class SimulatedMetricProvider implements MetricProvider {
  /** The default name metrics use: {@code provider: {simulated: {query: ...}}}. */
  public static final String NAME = "simulated";

  private final Clock clock;
  private final String name;
  private final Map<String, TreeMap<Instant, Answer>> script = new HashMap<>();
  private final List<MetricQuery> queries = new ArrayList<>();

  private sealed interface Answer permits Value, Failure {}

  private record Value(MetricValue value) implements Answer {}

  private record Failure(String message) implements Answer {}

  private SimulatedMetricProvider(Clock clock, String name) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.name = Objects.requireNonNull(name, "name");
  }

  /** A provider named {@value #NAME}; {@code clock} is the "now" of {@link #set} and {@link #fail}. */
  public static SimulatedMetricProvider create(Clock clock) {
    return new SimulatedMetricProvider(clock, NAME);
  }

  /** A provider with another name (to simulate several sources). */
  public static SimulatedMetricProvider create(Clock clock, String name) {
    return new SimulatedMetricProvider(clock, name);
  }

  @Override public String name() {
    return name;
  }

  /** {@code query} answers {@code value} from the clock's now on (until scripted otherwise). */
  public SimulatedMetricProvider set(String query, MetricValue value) {
    return setAt(query, clock.instant(), value);
  }

  /** {@code query} answers {@code value} from {@code from} on. */
  public synchronized SimulatedMetricProvider setAt(String query, Instant from, MetricValue value) {
    script.computeIfAbsent(query, q -> new TreeMap<>()).put(from, new Value(Objects.requireNonNull(value, "value")));
    return this;
  }

  /** {@code query} fails with {@code message} from the clock's now on (a provider error: ERROR measurements). */
  public SimulatedMetricProvider fail(String query, String message) {
    return failAt(query, clock.instant(), message);
  }

  /** {@code query} fails with {@code message} from {@code from} on. */
  public synchronized SimulatedMetricProvider failAt(String query, Instant from, String message) {
    script.computeIfAbsent(query, q -> new TreeMap<>()).put(from, new Failure(Objects.requireNonNull(message, "message")));
    return this;
  }

  /** Every query asked so far, oldest first. */
  public synchronized List<MetricQuery> queries() {
    return List.copyOf(queries);
  }

  @Override public synchronized MetricValue measure(MetricQuery query) {
    queries.add(query);
    TreeMap<Instant, Answer> answers = script.get(query.query());
    Entry<Instant, Answer> e = answers == null ? null : answers.floorEntry(query.time());
    if (e == null) {
      throw new MetricProviderException("simulated provider " + name + ": nothing scripted for query '" + query.query()
          + "' at " + query.time());
    }
    if (e.getValue() instanceof Failure f) {
      throw new MetricProviderException(f.message());
    }
    return ((Value) e.getValue()).value();
  }

  @Override public String toString() {
    return "SimulatedMetricProvider[" + name + "]";
  }
}
