/**
 * The built-in component and trait types; not API. Stateless and thread-safe.
 */
package io.orchestrationplane.core.render.internal;
