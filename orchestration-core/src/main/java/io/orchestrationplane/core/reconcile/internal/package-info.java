/** Implementation of the reconciler runtime; may change without notice. Thread-safe. */
@NullMarked
package io.orchestrationplane.core.reconcile.internal;

import org.jspecify.annotations.NullMarked;
