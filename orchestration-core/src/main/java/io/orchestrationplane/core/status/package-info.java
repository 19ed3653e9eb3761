/**
 * What the plane reports: {@link io.orchestrationplane.core.status.ApplicationStatus} with its
 * phase, conditions and per-object {@link io.orchestrationplane.core.status.ResourceStatus}, and
 * {@link io.orchestrationplane.core.status.StatusRules}, the one pure function that decides a
 * phase and conditions from a {@link io.orchestrationplane.core.status.Situation}. Immutable;
 * thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.status;

import org.jspecify.annotations.NullMarked;
