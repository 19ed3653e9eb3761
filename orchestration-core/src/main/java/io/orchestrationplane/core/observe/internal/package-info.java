/**
 * The plane's SLF4J logging as an observer; not API. Stateless and thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.observe.internal;

import org.jspecify.annotations.NullMarked;
