/**
 * Validation of applications against the registered types and clusters, collecting every problem
 * with its field path. Stateless and thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.validate;

import org.jspecify.annotations.NullMarked;
