/**
 * The planner's differ and normalisers; not API. Stateless and thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.plan.internal;

import org.jspecify.annotations.NullMarked;
