/**
 * The desired-state model users write: {@link io.orchestrationplane.core.model.Application}s of
 * components, traits and environments, their YAML/JSON codec with field paths, lines and
 * columns in every error, and the {@link io.orchestrationplane.core.model.DriftPolicy} of a
 * submission. Depends only on {@code core.resource}. Immutable values; thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.model;

import org.jspecify.annotations.NullMarked;
