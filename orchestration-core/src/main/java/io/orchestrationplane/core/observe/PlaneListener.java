package io.orchestrationplane.core.observe;


/**
 * Observes what the plane does in continuous mode: submissions, writes, drift, failures and
 * retries, convergence, removal. Called on the thread that did the work; keep it quick. A
 * listener that throws is logged and ignored.
 *
 * <pre>{@code
 * OrchestrationPlane.builder().listener(event -> log.info("{}", event))...
 * }</pre>
 */
@FunctionalInterface
public interface PlaneListener {
  void onEvent(PlaneEvent event);
}
