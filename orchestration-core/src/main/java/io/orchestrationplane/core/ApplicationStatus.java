package io.orchestrationplane.core;

import io.orchestrationplane.core.plan.PlanProblem;
import java.util.List;
import java.util.Objects;

/**
 * What {@code OrchestrationPlane.status(app)} reports: per environment and object whether it is
 * present and in sync, and what the last write did; plus problems (unreachable clusters, objects
 * owned by someone else).
 */
public record ApplicationStatus(String application, List<ResourceStatus> resources, List<PlanProblem> problems) {
  public ApplicationStatus {
    Objects.requireNonNull(application, "application");
    resources = List.copyOf(resources);
    problems = List.copyOf(problems);
  }

  /** True when every desired object is present and in sync, nothing is left to prune, and there are no problems. */
  public boolean isInSync() {
    return problems.isEmpty() && resources.stream().allMatch(r -> r.desired() && r.present() && r.inSync());
  }

  /** The objects of one environment. */
  public List<ResourceStatus> environment(String name) {
    return resources.stream().filter(r -> name.equals(r.environment())).toList();
  }

  /** Objects that are missing, drifted or awaiting prune. */
  public List<ResourceStatus> outOfSync() {
    return resources.stream().filter(r -> !(r.desired() && r.present() && r.inSync())).toList();
  }

  /** One line per object, for people. */
  public String toText() {
    StringBuilder sb = new StringBuilder("Status of ").append(application).append(isInSync() ? ": in sync" : ": out of sync")
        .append('\n');
    for (ResourceStatus r : resources) {
      String state = !r.desired() ? "leftover (to prune)" : !r.present() ? "missing" : r.inSync() ? "in sync"
          : "drifted (" + r.drift().size() + " field" + (r.drift().size() == 1 ? "" : "s") + ")";
      sb.append("  ").append(r.key().cluster()).append(' ').append(r.key().display()).append(": ").append(state);
      if (!r.lastResult().isEmpty()) {
        sb.append(" — last write ").append(r.lastResult());
      }
      sb.append('\n');
    }
    problems.forEach(p -> sb.append("  ! ").append(p).append('\n'));
    return sb.toString();
  }
}
