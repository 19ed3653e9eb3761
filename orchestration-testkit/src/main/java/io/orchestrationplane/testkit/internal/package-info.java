/**
 * Implementation of the test fixtures: the scheduler that records when the plane's timers are due,
 * and the lookup by cluster name that gives every fixture the same messages. Not API: may change
 * without notice. {@code TrackingScheduler} is thread-safe; {@code ClusterLookup} holds no state.
 * Null-marked.
 */
@NullMarked
package io.orchestrationplane.testkit.internal;

import org.jspecify.annotations.NullMarked;
