package io.orchestrationplane.core.status;

import io.orchestrationplane.core.health.ApplicationHealth;
import io.orchestrationplane.core.health.ResourceHealth;
import io.orchestrationplane.core.plan.PlanProblem;
import io.orchestrationplane.core.plan.PolicyNotice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code OrchestrationPlane.status(app)} reports: the generation of the desired state it
 * describes, a phase, the conditions {@code Ready}/{@code Progressing}/{@code Degraded} with
 * reason, message and last transition time, each object's sync state per environment and
 * cluster, problems (unreachable clusters, objects owned by someone else) and the last error.
 * When not ready, the Degraded or Progressing message names the blocking object and the cause,
 * e.g. {@code Deployment shop/api (cluster prod): apply failed: conflict (...), retrying in 40ms}.
 *
 * @param application the application id, {@code <namespace>.<name>}
 * @param observedGeneration the desired-state generation this status describes (0 for a one-off status)
 * @param phase the summary
 * @param conditions Ready, Progressing, Degraded
 * @param resources every object, desired or awaiting prune
 * @param problems what the plan could not do
 * @param lastError the last failure, empty when the last reconcile succeeded
 * @param health the worst health of the desired objects, naming the first unhealthy one
 * @param notices what admission policies warned about or audited in the last plan
 */
public record ApplicationStatus(String application, long observedGeneration, Phase phase, List<Condition> conditions,
    List<ResourceStatus> resources, List<PlanProblem> problems, String lastError, ApplicationHealth health,
    List<PolicyNotice> notices) {

  /** The state of one environment: its phase and objects. */
  public record EnvironmentStatus(String name, Phase phase, List<ResourceStatus> resources) {
    public EnvironmentStatus {
      resources = List.copyOf(resources);
    }
  }

  public ApplicationStatus {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(phase, "phase");
    conditions = List.copyOf(conditions);
    resources = List.copyOf(resources);
    problems = List.copyOf(problems);
    lastError = lastError == null ? "" : lastError;
    Objects.requireNonNull(health, "health");
    notices = List.copyOf(notices);
  }

  /** The health of the desired objects of a list of statuses. */
  public static ApplicationHealth healthOf(List<ResourceStatus> resources) {
    return ApplicationHealth.of(resources.stream().filter(ResourceStatus::desired)
        .map(r -> new ResourceHealth(r.key(), r.health())).toList());
  }

  /** True when every desired object is present and in sync, nothing is left to prune, and there are no problems. */
  public boolean isInSync() {
    return problems.isEmpty() && resources.stream().allMatch(ResourceStatus::isSynced);
  }

  /** True when the phase is READY. */
  public boolean isReady() {
    return phase == Phase.READY;
  }

  /** The condition of that type, if reported. */
  public Optional<Condition> condition(String type) {
    for (Condition c : conditions) { // a loop, not a stream: every reconcile asks
      if (c.type().equals(type)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The objects of one environment. */
  public List<ResourceStatus> environment(String name) {
    return resources.stream().filter(r -> name.equals(r.environment())).toList();
  }

  /** Per environment (in the order objects appear): its phase and objects. */
  public List<EnvironmentStatus> environments() {
    Map<String, List<ResourceStatus>> byEnv = new LinkedHashMap<>();
    for (ResourceStatus r : resources) {
      byEnv.computeIfAbsent(String.valueOf(r.environment()), k -> new ArrayList<>()).add(r);
    }
    List<EnvironmentStatus> out = new ArrayList<>();
    byEnv.forEach((env, list) -> {
      out.add(new EnvironmentStatus(env, StatusRules.environmentPhase(list), list));
    });
    return out;
  }

  /** Objects that are missing, drifted or awaiting prune. */
  public List<ResourceStatus> outOfSync() {
    return resources.stream().filter(r -> !r.isSynced()).toList();
  }

  /** A few lines for people: phase, conditions, then one line per object. */
  public String toText() {
    StringBuilder sb = new StringBuilder("Status of ").append(application).append(": ").append(phase)
        .append(isInSync() ? " (in sync)" : " (out of sync)");
    if (observedGeneration > 0) {
      sb.append(", generation ").append(observedGeneration);
    }
    sb.append(", health ").append(health.health());
    if (!health.message().isEmpty() && !health.health().equals(io.orchestrationplane.core.health.Health.HEALTHY)) {
      sb.append(" (").append(health.message()).append(')');
    }
    sb.append('\n');
    for (Condition c : conditions) {
      sb.append("  ").append(c).append('\n');
    }
    for (ResourceStatus r : resources) {
      sb.append("  ").append(r.key().cluster()).append(' ').append(r.key().display()).append(": ").append(r.state())
          .append(", ").append(r.health().health());
      r.lastWrite().ifPresent(w -> sb.append(" — last write ").append(w.describe()));
      sb.append('\n');
    }
    problems.forEach(p -> sb.append("  ! ").append(p).append('\n'));
    notices.forEach(n -> sb.append("  ? ").append(n).append('\n'));
    return sb.toString();
  }
}
