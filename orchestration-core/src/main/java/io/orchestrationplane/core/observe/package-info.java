/**
 * Observation: the {@link io.orchestrationplane.core.observe.Subject} acting on every call, and the
 * typed {@link io.orchestrationplane.core.observe.PlaneRecord}s of each step (plans admitted or
 * denied, each write, each execution, continuous mode's {@link
 * io.orchestrationplane.core.observe.PlaneEvent}s) that {@link
 * io.orchestrationplane.core.observe.PlaneObserver}s receive: the seam for audit, metrics, events
 * and logging. Records are immutable; observers are called on the working thread.
 */
@NullMarked
package io.orchestrationplane.core.observe;

import org.jspecify.annotations.NullMarked;
