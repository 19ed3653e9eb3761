/**
 * Metric analysis, as Argo Rollouts' AnalysisTemplate and AnalysisRun: an {@link
 * io.orchestrationplane.delivery.analysis.AnalysisTemplate} lists {@link
 * io.orchestrationplane.delivery.analysis.Metric}s, each queried from a {@link
 * io.orchestrationplane.delivery.analysis.MetricProvider} (SPI: Prometheus, the plane's own
 * resource health, your own) at an interval and judged by CEL conditions over {@code result};
 * an {@link io.orchestrationplane.delivery.analysis.AnalysisRun} is the resumable state of one
 * analysis, advanced by {@link io.orchestrationplane.delivery.analysis.Analysis#evaluate} on the
 * caller's clock (no threads, no sleeps) and stored as JSON; {@link
 * io.orchestrationplane.delivery.analysis.AnalysisStep} gates a delivery workflow on one. The
 * semantics (measurement and run phases, limits, no data and NaN) are in {@code docs/delivery.md},
 * "Analysis".
 *
 * <p>Thread-safety: value types (templates, metrics, runs, results) are immutable; {@code
 * Analysis}, the providers here and {@code AnalysisStep} are thread-safe.
 */
@NullMarked
package io.orchestrationplane.delivery.analysis;

import org.jspecify.annotations.NullMarked;
