/**
 * The plane's SLF4J logging as an observer; not API. Stateless and thread-safe.
 */
package io.orchestrationplane.core.observe.internal;
