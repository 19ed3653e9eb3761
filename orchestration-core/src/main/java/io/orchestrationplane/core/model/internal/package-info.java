/**
 * The model's YAML reader that keeps line and column of every node, and the leaves of property
 * values (what sensitive-value checks look for); not API. Thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.model.internal;

import org.jspecify.annotations.NullMarked;
