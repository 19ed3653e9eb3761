package io.orchestrationplane.delivery.analysis;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a {@link MetricProvider} is asked to measure.
 *
 * @param metric the metric's name (for messages)
 * @param query the provider's query, with the run's {@code {{args.NAME}}} already substituted
 * @param options the metric's provider options (checked by {@link MetricProvider#validate})
 * @param time the analysis' clock now: the instant to measure at (Prometheus' {@code time}, the end of a range)
 */
public record MetricQuery(String metric, String query, Map<String, String> options, Instant time) {
  public MetricQuery {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(query, "query");
    options = Collections.unmodifiableMap(new TreeMap<>(options));
    Objects.requireNonNull(time, "time");
  }
}
