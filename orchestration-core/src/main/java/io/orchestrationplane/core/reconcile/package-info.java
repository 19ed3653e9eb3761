/**
 * The reconciler runtime: a {@link io.orchestrationplane.core.reconcile.WorkQueue} with
 * per-key backoff and an overall token bucket, a {@link io.orchestrationplane.core.reconcile.Controller}
 * that runs a user's {@link io.orchestrationplane.core.reconcile.Reconciler} on worker threads, the
 * built-in {@link io.orchestrationplane.core.reconcile.EventSources} (cluster watches, periodic
 * resync, manual triggers) and the {@link io.orchestrationplane.core.reconcile.Scheduler} through
 * which all waiting happens, so tests run on a {@link io.orchestrationplane.core.time.ManualClock}.
 *
 * <p>Parameters and return values are non-null unless documented otherwise. Controllers and
 * queues are thread-safe; a reconciler is called for one key by one worker at a time.
 */
@NullMarked
package io.orchestrationplane.core.reconcile;

import org.jspecify.annotations.NullMarked;
