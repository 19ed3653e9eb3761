/**
 * Implementations of {@link io.orchestrationplane.core.state.StateStore} (in memory, and one file
 * per key in a directory); may change without notice. Both are thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.state.internal;

import org.jspecify.annotations.NullMarked;
