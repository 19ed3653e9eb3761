/**
 * Implementations of {@link io.orchestrationplane.core.state.StateStore} (in memory, and one file
 * per key in a directory); may change without notice. Both are thread-safe.
 */
package io.orchestrationplane.core.state.internal;
