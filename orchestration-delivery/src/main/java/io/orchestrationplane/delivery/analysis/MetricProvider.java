package io.orchestrationplane.delivery.analysis;

import java.util.List;
import java.util.Map;

/**
 * Where metrics come from (SPI): a metric names its provider by {@link #name()}. Built in:
 * {@link PrometheusProvider} (Prometheus' HTTP query API) and {@link ResourceHealthProvider} (the
 * health of the plane's own objects); the testkit has a scripted one. Register providers with
 * {@link Analysis.Builder#provider}.
 *
 * <p>{@link #measure} is called synchronously from {@link Analysis#evaluate}: bound its time
 * yourself (a timeout). Any {@link RuntimeException} it throws is an ERROR measurement with the
 * exception's message, counted towards the metric's {@code consecutiveErrorLimit}; so the
 * message must not hold secrets (tokens, authorization headers). Implementations must be
 * thread-safe.
 */
public interface MetricProvider {
  /** The name metrics use ({@code provider: {prometheus: {...}}} in YAML): lowercase letters, digits and '-'. */
  String name();

  /**
   * Problems of a metric's options for this provider, each {@code "options.NAME: what is wrong"}
   * (an option it does not know is a problem: options are never ignored). By default every
   * option is one (a provider without options); override it when yours takes some.
   */
  default List<String> validate(Map<String, String> options) {
    return options.keySet().stream().sorted().map(k -> "options." + k + ": unknown option of provider " + name()).toList();
  }

  /** Measures once. Throw {@link MetricProviderException} (or any runtime exception) when it cannot. */
  MetricValue measure(MetricQuery query);
}
