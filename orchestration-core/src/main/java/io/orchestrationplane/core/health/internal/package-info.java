/**
 * The built-in health assessors; not API. Stateless and thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.health.internal;

import org.jspecify.annotations.NullMarked;
