/**
 * Execution: the {@link io.orchestrationplane.core.apply.Executor} writes a plan's changes in
 * dependency order with preconditions on every write; each write's result is a sealed {@link
 * io.orchestrationplane.core.apply.WriteResult}; an {@link io.orchestrationplane.core.apply.ExecutionStrategy}
 * decides how a plan is executed (all at once by default; rollouts plug in here). Results are
 * immutable; the executor is thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.apply;

import org.jspecify.annotations.NullMarked;
