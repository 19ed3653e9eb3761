package io.orchestrationplane.delivery;

import java.util.List;
import java.util.Map;

/**
 * A step type of your own (SPI), registered with {@link Delivery.Builder#stepType}: a smoke
 * test, a database migration gate, a ticket check. {@link #run} is called for each attempt; the
 * engine records that an attempt started before calling it, so after a crash an attempt may be
 * run again (at least once): make it idempotent. Two engines sharing a store never run the
 * same attempt at once.
 */
public interface StepType {
  /** The {@code type} steps name it by: lowercase letters, digits and '-'; not a built-in's. */
  String name();

  /** Problems of a step's properties, each {@code "property: what is wrong"}; none by default. */
  default List<String> validate(Map<String, Object> properties) {
    return List.of();
  }

  /**
   * One attempt. An exception (an {@code Error} such as {@code AssertionError} included) or a null
   * result counts as a failed attempt with its message.
   */
  StepResult run(StepContext context);
}
