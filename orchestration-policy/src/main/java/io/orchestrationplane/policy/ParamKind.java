package io.orchestrationplane.policy;

import java.util.Objects;

/** The kind of object a policy reads as {@code params}, e.g. {@code v1 ConfigMap}. */
public record ParamKind(String apiVersion, String kind) {
  public ParamKind {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
  }
}
