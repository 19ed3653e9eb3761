/**
 * The model's YAML reader that keeps line and column of every node; not API. Thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.model.internal;

import org.jspecify.annotations.NullMarked;
