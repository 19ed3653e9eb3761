/**
 * How revisions are kept: {@code RevisionLog} numbers, records, prunes and reads them in a {@link
 * io.orchestrationplane.core.state.StateStore} (one create-only document per revision), and
 * computes the digest of a rendered desired state; {@code RevisionCodec} is their strict stored
 * form. Used by the plane's implementation ({@code core.internal}), not by users.
 *
 * <p>Thread-safe: a {@code RevisionLog} holds no state but the digest key it reads once; any
 * number of planes may share one store.
 */
@NullMarked
package io.orchestrationplane.core.release.internal;

import org.jspecify.annotations.NullMarked;
