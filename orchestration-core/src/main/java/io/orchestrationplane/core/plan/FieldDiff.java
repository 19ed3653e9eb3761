package io.orchestrationplane.core.plan;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One field that differs between desired and live: its path ({@code spec.replicas},
 * {@code spec.template.spec.containers[0].image}, {@code metadata.labels['app.kubernetes.io/name']}),
 * the live value ({@code null} when absent) and the desired value. Values of sensitive fields
 * (Secret data) are digests, never the values.
 */
public record FieldDiff(String path, JsonNode before, JsonNode after) {
  public FieldDiff {
    Objects.requireNonNull(path, "path");
  }

  /** True when the live object lacks the field. */
  public boolean isAddition() {
    return before == null;
  }
}
