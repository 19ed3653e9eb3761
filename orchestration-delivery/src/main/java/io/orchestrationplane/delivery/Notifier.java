package io.orchestrationplane.delivery;

/**
 * Sends {@link Notification}s (SPI), registered by name with {@link Delivery.Builder#notifier};
 * {@link WebhookNotifier} posts them as JSON. A notify step is delivered at least once: a crash
 * between sending and recording sends it again.
 */
public interface Notifier {
  /** Sends one notification; an exception fails the step's attempt (its retries apply). */
  void send(Notification notification);
}
