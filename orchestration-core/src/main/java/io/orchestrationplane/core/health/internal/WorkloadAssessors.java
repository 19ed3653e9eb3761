package io.orchestrationplane.core.health.internal;

import static io.orchestrationplane.core.health.internal.Fields.condition;
import static io.orchestrationplane.core.health.internal.Fields.number;
import static io.orchestrationplane.core.health.internal.Fields.text;

import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.resource.Resource;
import tools.jackson.databind.JsonNode;

/**
 * Deployment, StatefulSet, DaemonSet and ReplicaSet, with Argo CD's semantics: nothing counts
 * until the controller has observed the current generation; then replicas decide. A missing
 * {@code spec.replicas} means 1, the API server's default.
 */
final class WorkloadAssessors {
  private WorkloadAssessors() {}

  static HealthStatus deployment(Resource d) {
    JsonNode spec = d.json().path("spec");
    JsonNode status = d.json().path("status");
    if (Fields.isTrue(spec, "paused")) {
      return HealthStatus.suspended(d + " is paused");
    }
    long observed = number(status, "observedGeneration", 0);
    if (d.generation() > observed) {
      return waitingForGeneration(d, observed);
    }
    long desired = number(spec, "replicas", 1);
    long updated = number(status, "updatedReplicas", 0);
    long total = number(status, "replicas", 0);
    long available = number(status, "availableReplicas", 0);
    JsonNode progressing = condition(status, "Progressing");
    if (progressing != null && "ProgressDeadlineExceeded".equals(text(progressing, "reason"))) {
      String why = text(progressing, "message");
      return HealthStatus.degraded(d + " exceeded its progress deadline with " + available + "/" + desired
          + " available replicas" + (why.isEmpty() ? "" : ": " + why));
    }
    if (updated < desired) {
      return HealthStatus.progressing(d + " is rolling out: " + updated + "/" + desired + " replicas updated, "
          + available + " available");
    }
    if (total > updated) {
      long old = total - updated;
      return HealthStatus.progressing(d + " is rolling out: " + old + " old replica" + (old == 1 ? "" : "s")
          + " pending termination");
    }
    if (available < updated) {
      return HealthStatus.progressing(d + " has " + available + "/" + desired + " available replicas");
    }
    return HealthStatus.healthy(d + " has " + available + "/" + desired + " available replicas");
  }

  static HealthStatus statefulSet(Resource s) {
    JsonNode spec = s.json().path("spec");
    JsonNode status = s.json().path("status");
    long observed = number(status, "observedGeneration", 0);
    if (observed == 0 || s.generation() > observed) {
      return waitingForGeneration(s, observed);
    }
    long desired = number(spec, "replicas", 1);
    long ready = number(status, "readyReplicas", 0);
    if (ready < desired) {
      return HealthStatus.progressing(s + " has " + ready + "/" + desired + " ready replicas");
    }
    JsonNode strategy = spec.path("updateStrategy");
    String type = text(strategy, "type");
    JsonNode rollingUpdate = strategy.get("rollingUpdate");
    long updated = number(status, "updatedReplicas", 0);
    // With rollingUpdate set, the updated count decides and the revisions do not (as in Argo CD);
    // a partition left out is the API server's default, 0.
    if (("RollingUpdate".equals(type) || type.isEmpty()) && rollingUpdate != null && rollingUpdate.isObject()) {
      long partition = number(rollingUpdate, "partition", 0);
      long target = desired - partition;
      String rollout = partition > 0 ? " partitioned rollout" : " rollout";
      if (updated < target) {
        return HealthStatus.progressing(s + rollout + ": " + updated + "/" + target + " replicas updated");
      }
      return HealthStatus.healthy(s + rollout + " complete: " + updated + " replicas updated");
    }
    if ("OnDelete".equals(type)) {
      return HealthStatus.healthy(s + " has " + ready + "/" + desired + " ready replicas (update strategy OnDelete)");
    }
    String current = text(status, "currentRevision");
    String update = text(status, "updateRevision");
    if (!current.equals(update)) {
      return HealthStatus.progressing(s + " is rolling out: " + updated + "/" + desired
          + " replicas at revision " + update);
    }
    return HealthStatus.healthy(s + " has " + ready + "/" + desired + " ready replicas at revision " + update);
  }

  static HealthStatus daemonSet(Resource d) {
    JsonNode spec = d.json().path("spec");
    JsonNode status = d.json().path("status");
    long observed = number(status, "observedGeneration", 0);
    if (d.generation() > observed) {
      return waitingForGeneration(d, observed);
    }
    long desired = number(status, "desiredNumberScheduled", 0);
    long updated = number(status, "updatedNumberScheduled", 0);
    long available = number(status, "numberAvailable", 0);
    if ("OnDelete".equals(text(spec.path("updateStrategy"), "type"))) {
      return HealthStatus.healthy(d + " has " + updated + "/" + desired + " updated pods (update strategy OnDelete)");
    }
    if (updated < desired) {
      return HealthStatus.progressing(d + " is rolling out: " + updated + "/" + desired + " pods updated");
    }
    if (available < desired) {
      return HealthStatus.progressing(d + " has " + available + "/" + desired + " available pods");
    }
    return HealthStatus.healthy(d + " has " + available + "/" + desired + " available pods");
  }

  static HealthStatus replicaSet(Resource r) {
    JsonNode spec = r.json().path("spec");
    JsonNode status = r.json().path("status");
    long observed = number(status, "observedGeneration", 0);
    if (r.generation() > observed) {
      return waitingForGeneration(r, observed);
    }
    JsonNode failure = condition(status, "ReplicaFailure");
    if (failure != null && "True".equals(text(failure, "status"))) {
      return HealthStatus.degraded(r + " cannot create replicas: " + Fields.reasonAndMessage(failure));
    }
    long desired = number(spec, "replicas", 1);
    long available = number(status, "availableReplicas", 0);
    if (available < desired) {
      return HealthStatus.progressing(r + " has " + available + "/" + desired + " available replicas");
    }
    return HealthStatus.healthy(r + " has " + available + "/" + desired + " available replicas");
  }

  private static HealthStatus waitingForGeneration(Resource r, long observed) {
    return HealthStatus.progressing(r + ": waiting for the controller to observe generation " + r.generation()
        + " (observed " + observed + ")");
  }
}
