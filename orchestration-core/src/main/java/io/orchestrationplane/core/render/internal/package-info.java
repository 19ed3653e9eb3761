/**
 * The built-in component and trait types; not API. Stateless and thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.render.internal;

import org.jspecify.annotations.NullMarked;
