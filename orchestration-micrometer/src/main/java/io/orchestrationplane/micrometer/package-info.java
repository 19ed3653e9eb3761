/**
 * Metrics of the plane on Micrometer: {@link io.orchestrationplane.micrometer.PlaneMetrics}, a
 * {@code PlaneObserver} that publishes controller-runtime's reconcile and workqueue metrics and
 * the plane's own (writes, drift corrections, policy denials, applications by phase, API requests
 * and circuit-breaker state per cluster). Thread-safe. See docs/governance.md, "Metrics".
 */
@NullMarked
package io.orchestrationplane.micrometer;

import org.jspecify.annotations.NullMarked;
