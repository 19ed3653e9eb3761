/**
 * The implementation of access control and projects: glob patterns, the RBAC evaluator and the
 * project fence over rendered objects. Immutable and thread-safe once built.
 */
@NullMarked
package io.orchestrationplane.core.access.internal;

import org.jspecify.annotations.NullMarked;
