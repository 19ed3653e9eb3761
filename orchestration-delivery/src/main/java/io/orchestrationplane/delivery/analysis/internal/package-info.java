/**
 * The analysis engine behind {@link io.orchestrationplane.delivery.analysis.Analysis}: condition
 * evaluation, the metric and run assessment (Argo Rollouts' rules), the JSON form of runs and
 * templates, and the Prometheus response reader. May change without notice.
 *
 * <p>Thread-safety: stateless, or immutable after construction.
 */
@NullMarked
package io.orchestrationplane.delivery.analysis.internal;

import org.jspecify.annotations.NullMarked;
