/**
 * The audit log's machinery: the canonical JSON form, the RFC 6962 Merkle tree, the verifier,
 * which plane records become audit records, and the built-in sinks. Not API. Each class says
 * whether it is thread-safe. Null-marked.
 */
@NullMarked
package io.orchestrationplane.core.audit.internal;

import org.jspecify.annotations.NullMarked;
