package io.orchestrationplane.core.plan;

import java.util.Objects;

/**
 * A difference the planner found and did not count, with the rule that made it ignore it.
 *
 * @param diff the difference
 * @param reason which rule ignored it ({@code ignoreDifferences jsonPointer /spec/replicas},
 *     {@code field manager kube-controller-manager}, a normalizer's reason)
 */
public record IgnoredDiff(FieldDiff diff, String reason) {
  public IgnoredDiff {
    Objects.requireNonNull(diff, "diff");
    Objects.requireNonNull(reason, "reason");
  }
}
