package io.orchestrationplane.policy;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A Gatekeeper Constraint carried by the {@link PolicyBinding} that instantiates its ConstraintTemplate. The
 * constraint object is the binding's {@code params} (so {@code variables.params} is its
 * {@code spec.parameters}, null when it has none, exactly as Gatekeeper binds it), and {@link #match()} decides
 * which requests it applies to with Gatekeeper's matching rules.
 *
 * @param object the whole constraint as written (a defensive copy is kept)
 */
public record GatekeeperConstraint(String kind, String name, JsonNode object, ConstraintMatch match) {
  public GatekeeperConstraint {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(object, "object of constraint " + kind + "/" + name);
    Objects.requireNonNull(match, "match of constraint " + kind + "/" + name);
    object = object.deepCopy();
  }

  /** A copy of the constraint object (the stored one is never handed out, so it cannot change). */
  @Override public JsonNode object() {
    return object.deepCopy();
  }

}
