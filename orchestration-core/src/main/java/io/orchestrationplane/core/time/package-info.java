/**
 * Time: a {@link io.orchestrationplane.core.time.ManualClock} for tests that only moves when told
 * to, and {@link io.orchestrationplane.core.time.Durations} for durations in messages
 * ({@code 2m 30s}), and {@link io.orchestrationplane.core.time.InstantText} for an instant's
 * {@code toString} text without a formatter (audit records, workflow documents). Thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.time;

import org.jspecify.annotations.NullMarked;
