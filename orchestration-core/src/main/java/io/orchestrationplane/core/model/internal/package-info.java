/**
 * The model's YAML reader that keeps line and column of every node, the leaves of property
 * values (what sensitive-value checks look for), and the compact immutable maps and lists that
 * hold property values; not API. Thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.model.internal;

import org.jspecify.annotations.NullMarked;
