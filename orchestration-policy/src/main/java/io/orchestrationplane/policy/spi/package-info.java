/**
 * What users implement for the policy engine: the {@link io.orchestrationplane.policy.spi.Authorizer}
 * answering CEL {@code authorizer} checks and the {@link io.orchestrationplane.policy.spi.ParamResolver}
 * looking up a binding's params. Implementations must be thread-safe: one built engine calls them
 * from every thread that evaluates; the records passed to them are immutable.
 *
 * <p>Null-marked: parameters and return values are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.orchestrationplane.policy.spi;

import org.jspecify.annotations.NullMarked;
