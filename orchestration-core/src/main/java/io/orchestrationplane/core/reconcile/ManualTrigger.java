package io.orchestrationplane.core.reconcile;

import java.util.Collection;

/**
 * An event source you fire by hand, e.g. when desired state changes through an API call.
 * Created with {@link EventSources#manual()} and given to one controller.
 *
 * <pre>{@code
 * ManualTrigger<String> submitted = EventSources.manual();
 * Controller<String> c = Controller.builder("apps", reconciler).eventSource(submitted).build();
 * c.start();
 * submitted.trigger("shop.api");
 * }</pre>
 */
public interface ManualTrigger<T> extends EventSource<T> {

  /** Queues {@code key}; false when the source is not started or already closed. */
  boolean trigger(T key);

  /** Queues every key; returns how many were accepted. */
  default int triggerAll(Collection<? extends T> keys) {
    int accepted = 0;
    for (T key : keys) {
      if (trigger(key)) {
        accepted++;
      }
    }
    return accepted;
  }
}
