/** Implementation of the reconciler runtime; may change without notice. */
package io.orchestrationplane.core.reconcile.internal;
