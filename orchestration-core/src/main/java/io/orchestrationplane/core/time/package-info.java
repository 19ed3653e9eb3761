/**
 * Time for tests: a {@link io.orchestrationplane.core.time.ManualClock} that only moves when told
 * to. Thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.time;

import org.jspecify.annotations.NullMarked;
