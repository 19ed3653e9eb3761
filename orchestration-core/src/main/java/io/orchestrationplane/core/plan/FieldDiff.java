package io.orchestrationplane.core.plan;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One field that differs between desired and live: its path ({@code spec.replicas},
 * {@code spec.template.spec.containers[name=api].image}, {@code metadata.labels['app.kubernetes.io/name']}),
 * the live value ({@code null} when absent) and the desired value ({@code null} when the plane
 * stopped setting the field). List elements merged by key are named by key
 * ({@code containers[name=api].env[name=LOG].value}). Values of sensitive fields (Secret data,
 * sensitive properties) are keyed digests, never the values.
 */
public record FieldDiff(String path, @Nullable JsonNode before, @Nullable JsonNode after) {
  public FieldDiff {
    Objects.requireNonNull(path, "path");
  }

  /** True when the live object lacks the field. */
  public boolean isAddition() {
    return before == null;
  }

  /** True when the plane set the field last time and no longer does: the apply removes it. */
  public boolean isRemoval() {
    return after == null;
  }
}
