/**
 * Durable state: the {@link io.orchestrationplane.core.state.StateStore} SPI where the plane keeps
 * what must survive a restart (revisions, workflow progress, approvals), with its in-memory and
 * file-backed implementations. Values are JSON documents under a namespaced {@link
 * io.orchestrationplane.core.state.StateKey}, each with a version that grows with every write;
 * writes are conditional on the version read (optimistic concurrency) and report a {@link
 * io.orchestrationplane.core.state.VersionConflict} as a result, not as an exception. See
 * docs/state.md.
 *
 * <p>Depends only on the JDK, Jackson, slf4j and {@code core.resource}. Keys, configs and results
 * are immutable; a {@code StateEntry}'s JSON tree is its reader's own copy, not shared with the
 * store or other readers. Every {@code StateStore} implementation must be thread-safe.
 * Parameters and return values are non-null unless documented otherwise.
 */
@NullMarked
package io.orchestrationplane.core.state;

import org.jspecify.annotations.NullMarked;
