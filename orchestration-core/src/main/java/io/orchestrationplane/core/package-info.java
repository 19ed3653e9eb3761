/**
 * The facade: {@link io.orchestrationplane.core.OrchestrationPlane} and its builder, the one type most
 * users need. It depends on every capability below it and nothing depends on it; its
 * implementation (the pipeline, continuous mode, the application reconciler) lives in
 * {@code core.internal}. The plane is thread-safe; its builder is not, and is read only once, by
 * {@code build()}.
 */
@NullMarked
package io.orchestrationplane.core;

import org.jspecify.annotations.NullMarked;
