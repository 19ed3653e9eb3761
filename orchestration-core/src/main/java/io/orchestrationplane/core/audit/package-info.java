/**
 * The tamper-evident audit trail: {@link io.orchestrationplane.core.audit.AuditLog}, an observer
 * that appends every decision of the plane as a hash-chained {@link
 * io.orchestrationplane.core.audit.AuditRecord}, signs RFC 6962 Merkle roots as {@link
 * io.orchestrationplane.core.audit.Checkpoint}s, verifies and proves consistency; the {@link
 * io.orchestrationplane.core.audit.AuditSink} SPI and the built-in sinks. See docs/governance.md.
 *
 * <p>Values are immutable; {@code AuditLog} and the built-in sinks are thread-safe. Null-marked:
 * parameters and return values are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.orchestrationplane.core.audit;

import org.jspecify.annotations.NullMarked;
