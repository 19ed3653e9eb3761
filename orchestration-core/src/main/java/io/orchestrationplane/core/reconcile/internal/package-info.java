/** Implementation of the reconciler runtime; may change without notice. Thread-safe. */
package io.orchestrationplane.core.reconcile.internal;
