package io.orchestrationplane.core.status;

import io.orchestrationplane.core.apply.WriteResult;
import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.plan.FieldDiff;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The state of one object of an application on one cluster.
 *
 * @param key the object
 * @param environment the environment it belongs to
 * @param desired whether the application still wants it (false: a leftover awaiting prune)
 * @param present whether it exists on the cluster
 * @param inSync whether every field the plane sets equals the live value
 * @param drift the fields that differ (empty when in sync); secret values appear as digests
 * @param lastWrite what the plane's last write of it did (created, updated, failed, conflict,
 *     waiting); empty when it has not written it
 * @param health whether it works, with the reason ({@code MISSING} when absent)
 */
public record ResourceStatus(ResourceKey key, @Nullable String environment, boolean desired, boolean present, boolean inSync,
    List<FieldDiff> drift, Optional<WriteResult> lastWrite, HealthStatus health) {
  public ResourceStatus {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(health, "health");
    drift = List.copyOf(drift);
    lastWrite = lastWrite == null ? Optional.empty() : lastWrite;
  }

  /** True when the plane's last write of the object failed (a conflict is not a failure: the next plan decides again). */
  public boolean lastWriteFailed() {
    return lastWrite.filter(w -> w instanceof WriteResult.Failed).isPresent();
  }

  /** Desired, present and in sync. */
  public boolean isSynced() {
    return desired && present && inSync;
  }

  /**
   * {@code in sync}, {@code missing}, {@code drifted (2 fields)}, {@code leftover (to prune)}, or
   * {@code unknown} when its cluster could not be read.
   */
  public String state() {
    if (!desired) {
      return "leftover (to prune)";
    }
    if (!present && health.health() == io.orchestrationplane.core.health.Health.UNKNOWN) {
      return "unknown";
    }
    if (!present) {
      return "missing";
    }
    return inSync ? "in sync" : "drifted (" + drift.size() + (drift.size() == 1 ? " field)" : " fields)");
  }
}
