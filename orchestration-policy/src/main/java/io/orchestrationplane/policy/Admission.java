package io.orchestrationplane.policy;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The engine's full answer to an {@link AdmissionRequest} ({@link PolicyEngine#admit}): mutating policies first
 * (in order, with reinvocation), then the validating policies on the mutated object, as the API server does.
 *
 * @param object the object after every mutation (the request's object when nothing changed; null for DELETE)
 * @param mutations what each mutating policy changed, in the order they changed it
 * @param patch the RFC 6902 JSON Patch from the request's object to {@code object} (what an AdmissionReview
 *     response carries); an empty array when nothing changed
 * @param decision validation of the mutated object, plus the failures of mutating policies (a failing mutation
 *     under failurePolicy Fail is a denying {@link Violation} with {@code error} set)
 */
public record Admission(@Nullable JsonNode object, List<AppliedMutation> mutations, JsonNode patch, Decision decision) {
  public Admission {
    mutations = List.copyOf(mutations);
    Objects.requireNonNull(decision, "decision");
    // Kept without copying (the engine hands over trees it no longer touches, and admitting is on the plane's
    // write path); the accessors return copies, so nothing read from an Admission can change it.
    patch = patch == null ? JsonNodeFactory.instance.arrayNode() : patch;
  }

  @Override public @Nullable JsonNode object() {
    return object == null ? null : object.deepCopy();
  }

  @Override public JsonNode patch() {
    return patch.deepCopy();
  }

  /** True unless a violation (validation or failed mutation) carries the Deny action. */
  public boolean allowed() {
    return decision.allowed();
  }

  /** Whether any mutation changed the object. */
  public boolean mutated() {
    return !mutations.isEmpty();
  }
}
