/**
 * Validation of applications against the registered types and clusters, collecting every problem
 * with its field path. Stateless and thread-safe.
 */
package io.orchestrationplane.core.validate;
