/**
 * The plane's durable state and audit log in a relational database: {@link
 * io.orchestrationplane.jdbc.JdbcStateStore}, a {@link io.orchestrationplane.core.state.StateStore}
 * over PostgreSQL through a {@link javax.sql.DataSource} the embedder supplies (this module brings
 * no driver). Built for platforms that embed the plane in several instances of their own service:
 * every instance sees the same revisions and workflow state, with optimistic concurrency on every
 * row. See docs/state.md. {@link io.orchestrationplane.jdbc.JdbcAuditSink}, an {@link
 * io.orchestrationplane.core.audit.AuditSink} in an append-only table with one writer per table;
 * see docs/governance.md.
 *
 * <p>Thread-safety: {@code JdbcStateStore} and {@code JdbcAuditSink} are thread-safe (each call
 * borrows a connection of its own). Null-marked: parameters and return
 * values are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.orchestrationplane.jdbc;

import org.jspecify.annotations.NullMarked;
