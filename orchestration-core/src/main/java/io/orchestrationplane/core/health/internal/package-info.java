/**
 * The built-in health assessors; not API. Stateless and thread-safe.
 */
package io.orchestrationplane.core.health.internal;
