/**
 * The kind catalogue: one table, keyed by group/kind, of what the plane knows about kinds without
 * asking a cluster (scope, apply order, health assessor, whether watched and pruned). Immutable
 * and thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.kind;

import org.jspecify.annotations.NullMarked;
