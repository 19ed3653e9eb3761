package io.orchestrationplane.policy;

import org.jspecify.annotations.Nullable;

/**
 * Which params objects a binding uses: one by {@code name} (and {@code namespace}), or every object
 * matching {@code selector} (the policy is then evaluated once per object).
 *
 * @param name object name, or null when selecting
 * @param namespace namespace of the params; null means the request's namespace for namespaced params
 * @param selector label selector, or null when naming
 * @param denyWhenNotFound {@code parameterNotFoundAction}: true = Deny (the default), false = Allow
 */
public record ParamRef(@Nullable String name, @Nullable String namespace, @Nullable LabelSelector selector, boolean denyWhenNotFound) {
  public ParamRef {
    if ((name == null) == (selector == null)) {
      throw new IllegalArgumentException("paramRef needs exactly one of name or selector (name="
          + name + ", selector=" + selector + ")");
    }
  }

  /** A reference by name. */
  public static ParamRef named(String namespace, String name) {
    return new ParamRef(name, namespace, null, true);
  }
}
