package io.orchestrationplane.core.plan;

import io.orchestrationplane.core.resource.ResourceKey;
import java.util.Objects;

/**
 * What admission policies said about one change that they did not deny: a warning, an audit
 * record, an evaluation error under failurePolicy Ignore, or a mutation applied to it. Shown in plan output and status.
 *
 * @param key the object
 * @param policy the policy (and binding) that spoke
 * @param action {@code Warn}, {@code Audit}, {@code Error}, or {@code Mutate} (the message is then the JSON Patch a
 *     mutating policy applied to the planned object)
 * @param message the policy's message
 */
public record PolicyNotice(ResourceKey key, String policy, String action, String message) {
  public PolicyNotice {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(action, "action");
    message = message == null ? "" : message;
  }

  @Override
  public String toString() {
    return action.toLowerCase(java.util.Locale.ROOT) + ": " + key.display() + " (cluster " + key.cluster() + "): "
        + policy + ": " + message;
  }
}
