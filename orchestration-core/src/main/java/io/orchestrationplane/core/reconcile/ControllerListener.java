package io.orchestrationplane.core.reconcile;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Observes a controller's work per key, e.g. to publish status, events or metrics. Called on the
 * worker thread that ran the reconcile, so keep it quick; a listener that throws is logged and
 * ignored. Every method has an empty default.
 *
 * @param <T> the controller's key type
 */
public interface ControllerListener<T> {

  /** A reconcile of {@code key} is starting; {@code attempt} is 1 plus its consecutive failures. */
  default void reconcileStarted(T key, int attempt) {}

  /**
   * A reconcile of {@code key} finished; {@code status} says how and what was scheduled next.
   * {@code error} is the exception the reconciler threw, or {@code null}.
   */
  default void reconcileFinished(T key, KeyStatus<T> status, @Nullable Throwable error) {}

  /** A failed reconcile of {@code key} will be retried after {@code delay}. */
  default void retryScheduled(T key, int attempt, Duration delay, String reason) {}

  /** A reconcile of {@code key} failed terminally; it is not retried until a new event. */
  default void terminalError(T key, String reason) {}
}
