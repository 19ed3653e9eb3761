/**
 * Planning: the {@link io.orchestrationplane.core.plan.Planner} compares rendered objects with
 * the clusters' live (stored) state in Kubernetes terms and returns a reviewable {@link
 * io.orchestrationplane.core.plan.Plan} of creates, updates and deletes with field diffs,
 * secrets shown as digests. Plans are immutable; the planner is thread-safe (its plan reuse is
 * described on the class).
 */
@NullMarked
package io.orchestrationplane.core.plan;

import org.jspecify.annotations.NullMarked;
