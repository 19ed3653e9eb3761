package io.orchestrationplane.policy;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * What one mutating policy changed, for plans and audit: the RFC 6902 JSON Patch from the object before it ran
 * to the object after (an empty array never appears: a policy that changed nothing is not listed).
 *
 * @param patch a JSON array of {@code {op, path, value}} operations (a defensive copy is kept)
 */
public record AppliedMutation(String policy, String binding, JsonNode patch) {
  public AppliedMutation {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(binding, "binding");
    Objects.requireNonNull(patch, "patch");
    if (!patch.isArray()) {
      throw new IllegalArgumentException("patch must be a JSON array of operations");
    }
    patch = patch.deepCopy();
  }

  @Override public JsonNode patch() {
    return patch.deepCopy();
  }

  @Override public String toString() {
    return policy + (binding.equals(policy) ? "" : " (binding " + binding + ")") + ": " + patch;
  }
}
