/**
 * The facade's implementation: the pipeline of stages (validate, render, claim, plan, admit,
 * execute, record), continuous mode, the application reconciler (which reaches the pipeline only
 * through the narrow {@code ApplicationReconciler.Stages} it owns), the drift-correction guard and
 * the immutable settings a plane is built with. The pipeline records each accepted change as a
 * revision ({@code core.release}) and renders revisions again for diff and rollback. Not API:
 * may change without notice. Thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.internal;

import org.jspecify.annotations.NullMarked;
