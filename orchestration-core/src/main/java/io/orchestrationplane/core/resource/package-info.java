/**
 * The vocabulary every other package speaks: {@link io.orchestrationplane.core.resource.Resource}
 * (an immutable Kubernetes object), its {@link io.orchestrationplane.core.resource.ResourceKey}
 * and {@link io.orchestrationplane.core.resource.GroupKind}, JSON handling, ownership labels and
 * the inventory record, content hashes and the redaction of secret values. Depends on nothing
 * else in core. Immutable values; thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.resource;

import org.jspecify.annotations.NullMarked;
