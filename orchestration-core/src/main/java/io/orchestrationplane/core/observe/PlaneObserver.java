package io.orchestrationplane.core.observe;

import io.orchestrationplane.core.observe.internal.LoggingObserver;

/**
 * Receives a typed {@link PlaneRecord} for every step the plane takes: the seam the audit log,
 * metrics and events subscribe to. Called on the thread that did the work, in the order the steps
 * happened for one application; keep it quick. An observer that throws is logged and ignored:
 * it never stops the plane or another observer.
 *
 * <pre>{@code
 * OrchestrationPlane.builder().observer(record -> {
 *   if (record instanceof PlaneRecord.Written w && w.result().isFailure()) {
 *     alert(w.subject() + " could not write " + w.key());
 *   }
 * })...
 * }</pre>
 */
@FunctionalInterface
public interface PlaneObserver {
  void observe(PlaneRecord record);

  /**
   * The plane's own logging, through SLF4J (logger {@code io.orchestrationplane.core.observe}):
   * failed writes and denials at WARN (as the plane always has), executions, writes and plans at DEBUG. Every plane
   * has it unless built with {@code logging(false)}.
   */
  static PlaneObserver logging() {
    return LoggingObserver.INSTANCE;
  }
}
