/**
 * Helpers behind the vocabulary (strict JSON reading, stored forms, quantities, list
 * semantics, jq paths); not API. Stateless and thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.resource.internal;

import org.jspecify.annotations.NullMarked;
