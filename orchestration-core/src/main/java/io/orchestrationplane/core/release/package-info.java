/**
 * Release management, part one: revisions. Every accepted change of an application (admitted and
 * applied) becomes an immutable, numbered {@link io.orchestrationplane.core.release.Revision} in
 * the plane's {@link io.orchestrationplane.core.state.StateStore}, with the digest of its rendered
 * desired state, its {@link io.orchestrationplane.core.release.RevisionSource source} and the
 * policy notices it passed. The facade reads history, compares two revisions ({@link
 * io.orchestrationplane.core.release.RevisionDiff}) and rolls back. See docs/delivery.md.
 *
 * <p>Every type here is immutable and thread-safe. Null-marked: parameters and return values are
 * non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.orchestrationplane.core.release;

import org.jspecify.annotations.NullMarked;
