/**
 * The planner's differ and normalisers; not API. Stateless and thread-safe.
 */
package io.orchestrationplane.core.plan.internal;
