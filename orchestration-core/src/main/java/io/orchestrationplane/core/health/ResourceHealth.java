package io.orchestrationplane.core.health;

import io.orchestrationplane.core.resource.ResourceKey;
import java.util.Objects;

/** The health of one object of an application, named by its key. */
public record ResourceHealth(ResourceKey key, HealthStatus status) {
  public ResourceHealth {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(status, "status");
  }

  public Health health() {
    return status.health();
  }

  public String message() {
    return status.message();
  }
}
