/**
 * The stored form of wave progress (one JSON document per application in the {@code waves}
 * namespace of the state store). Thread-safety: stateless.
 */
@NullMarked
package io.orchestrationplane.delivery.wave.internal;

import org.jspecify.annotations.NullMarked;
