/** The rollout engine: state documents, step applications and transitions. Thread-safe through compare-and-set on the store. */
@NullMarked
package io.orchestrationplane.delivery.rollout.internal;

import org.jspecify.annotations.NullMarked;
