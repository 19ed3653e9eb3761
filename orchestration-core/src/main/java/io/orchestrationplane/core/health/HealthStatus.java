package io.orchestrationplane.core.health;

import io.orchestrationplane.core.resource.ResourceKey;
import java.util.Objects;

/**
 * The result of assessing one object: a {@link Health} and a message saying why, such as
 * {@code Deployment shop/api: Waiting for rollout to finish: 0 of 3 updated replicas are available...}
 * (for built-in kinds, the object followed by Argo CD's message).
 *
 * <pre>{@code
 * HealthStatus s = HealthStatus.progressing("Widget shop/w: waiting for its database");
 * }</pre>
 */
public record HealthStatus(Health health, String message) {
  public HealthStatus {
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(message, "message");
  }

  public static HealthStatus healthy(String message) {
    return new HealthStatus(Health.HEALTHY, message);
  }

  public static HealthStatus progressing(String message) {
    return new HealthStatus(Health.PROGRESSING, message);
  }

  public static HealthStatus degraded(String message) {
    return new HealthStatus(Health.DEGRADED, message);
  }

  public static HealthStatus suspended(String message) {
    return new HealthStatus(Health.SUSPENDED, message);
  }

  public static HealthStatus unknown(String message) {
    return new HealthStatus(Health.UNKNOWN, message);
  }

  /** The status of a desired object that does not exist in the cluster. */
  public static HealthStatus missing(ResourceKey key) {
    return new HealthStatus(Health.MISSING, key.display() + " does not exist");
  }

  /** True when {@link #health()} is {@link Health#HEALTHY}. */
  public boolean isHealthy() {
    return health == Health.HEALTHY;
  }

  @Override
  public String toString() {
    return health + (message.isEmpty() ? "" : ": " + message);
  }
}
