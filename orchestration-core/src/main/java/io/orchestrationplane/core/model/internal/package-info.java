/**
 * The model's YAML reader that keeps line and column of every node; not API. Thread-safe.
 */
package io.orchestrationplane.core.model.internal;
