package io.orchestrationplane.core.reconcile;

/** How one reconcile of a key ended. */
public enum Outcome {
  /** Converged; the key's backoff is reset and nothing more is scheduled. */
  DONE,
  /** Converged for now; the reconciler asked to run again after a delay. */
  REQUEUE,
  /** The reconciler reported a retryable failure; retried with backoff. */
  RETRY,
  /** The reconciler threw; logged and retried with backoff. */
  ERROR,
  /** The reconciler reported a failure retrying cannot fix; not retried until a new event. */
  TERMINAL
}
