/**
 * What the module's JDBC components share: {@link io.orchestrationplane.jdbc.internal.Database}
 * borrows connections from the embedder's {@code DataSource}, runs statements and transactions,
 * and turns {@link java.sql.SQLException}s into the plane's exceptions (the caller's type);
 * {@link io.orchestrationplane.jdbc.internal.SqlNames} checks and quotes schema names. The state
 * store and the audit sink use them. Not public API.
 *
 * <p>Thread-safety: both are thread-safe (immutable, each call borrows a connection of its own).
 * Null-marked.
 */
@NullMarked
package io.orchestrationplane.jdbc.internal;

import org.jspecify.annotations.NullMarked;
