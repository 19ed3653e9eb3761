/**
 * A custom controller on the plane's runtime: {@code TeamReconciler} gives each team of a
 * directory a Namespace, a ResourceQuota and a default-deny NetworkPolicy, and {@code
 * TeamNamespaces} runs it on a controller fed by a watch and a periodic resync. The reconciler is
 * called from the controller's worker threads and keeps no mutable state of its own. Null-marked.
 */
@NullMarked
package io.orchestrationplane.samples.teams;

import org.jspecify.annotations.NullMarked;
