/**
 * Time: a {@link io.orchestrationplane.core.time.ManualClock} for tests that only moves when told
 * to, and {@link io.orchestrationplane.core.time.Durations} for durations in messages
 * ({@code 2m 30s}). Thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.time;

import org.jspecify.annotations.NullMarked;
