/**
 * Health assessment: whether live objects work, not merely exist. {@link
 * io.orchestrationplane.core.health.HealthAssessors} assesses any object with per-kind
 * {@link io.orchestrationplane.core.health.HealthAssessor}s (built-ins for the Kubernetes workload,
 * network, storage and API kinds), and {@link io.orchestrationplane.core.health.ApplicationHealth}
 * aggregates many into one status naming the first unhealthy resource. See docs/health.md.
 * Assessors are stateless; the registry is immutable and thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.health;

import org.jspecify.annotations.NullMarked;
