/**
 * The plane's durable state in a relational database: {@link
 * io.orchestrationplane.jdbc.JdbcStateStore}, a {@link io.orchestrationplane.core.state.StateStore}
 * over PostgreSQL through a {@link javax.sql.DataSource} the embedder supplies (this module brings
 * no driver). Built for platforms that embed the plane in several instances of their own service:
 * every instance sees the same revisions and workflow state, with optimistic concurrency on every
 * row. See docs/state.md.
 *
 * <p>Thread-safety: {@code JdbcStateStore} is thread-safe (each call borrows a connection of its
 * own); {@code JdbcStateStore.Settings} is an immutable value. Null-marked: parameters and return
 * values are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.orchestrationplane.jdbc;

import org.jspecify.annotations.NullMarked;
