package io.orchestrationplane.core.admit;

import io.orchestrationplane.core.resource.ResourceKey;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One write an admission policy denied: the object on its cluster, the environment and component
 * that rendered it (null for objects no component rendered), the policy and binding that denied
 * it, and the message, redacted like every policy message of a plan.
 *
 * @param key the object, with its cluster
 * @param environment the environment the write belongs to
 * @param component the component that rendered the object
 * @param policy the ValidatingAdmissionPolicy (or imported Kyverno / Gatekeeper policy) that denied it
 * @param binding the binding whose Deny action applied (equal to {@code policy} when they share a name)
 * @param message what the policy said, secret values replaced by digests
 */
public record Denial(ResourceKey key, @Nullable String environment, @Nullable String component, String policy,
    String binding, String message) {
  public Denial {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(binding, "binding");
    Objects.requireNonNull(message, "message");
  }

  /** {@code Deployment shop/api (cluster prod): policy: message}, as {@link AdmissionDeniedException#violations()} lists it. */
  @Override
  public String toString() {
    return key.display() + " (cluster " + key.cluster() + "): " + policy
        + (binding.equals(policy) ? "" : " (binding " + binding + ")") + ": " + message;
  }
}
