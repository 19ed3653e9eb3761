package io.orchestrationplane.core.health.internal;

import static io.orchestrationplane.core.health.internal.Fields.argo;
import static io.orchestrationplane.core.health.internal.Fields.condition;
import static io.orchestrationplane.core.health.internal.Fields.number;
import static io.orchestrationplane.core.health.internal.Fields.text;

import io.orchestrationplane.core.health.Health;
import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.resource.Resource;
import tools.jackson.databind.JsonNode;

/**
 * Deployment, StatefulSet, DaemonSet and ReplicaSet, with Argo CD's verdicts and messages
 * (gitops-engine {@code pkg/health/health_deployment.go}, {@code health_statefulset.go},
 * {@code health_daemonset.go}, {@code health_replicaset.go}): nothing counts until the controller
 * has observed the current generation; then replicas decide. A missing {@code spec.replicas}
 * means 1, and a StatefulSet's missing {@code rollingUpdate.partition} 0, the API server's
 * defaults (Argo CD reads defaulted objects).
 */
final class WorkloadAssessors {
  private WorkloadAssessors() {}

  static HealthStatus deployment(Resource d) {
    JsonNode spec = d.json().path("spec");
    JsonNode status = d.json().path("status");
    if (Fields.isTrue(spec, "paused")) {
      return argo(Health.SUSPENDED, d, "Deployment is paused");
    }
    if (d.generation() > number(status, "observedGeneration", 0)) {
      return argo(Health.PROGRESSING, d,
          "Waiting for rollout to finish: observed deployment generation less than desired generation");
    }
    long desired = number(spec, "replicas", 1);
    long updated = number(status, "updatedReplicas", 0);
    long total = number(status, "replicas", 0);
    long available = number(status, "availableReplicas", 0);
    JsonNode progressing = condition(status, "Progressing");
    if (progressing != null && "ProgressDeadlineExceeded".equals(text(progressing, "reason"))) {
      return argo(Health.DEGRADED, d, "Deployment \"" + d.name() + "\" exceeded its progress deadline");
    }
    if (updated < desired) {
      return argo(Health.PROGRESSING, d, "Waiting for rollout to finish: " + updated + " out of " + desired
          + " new replicas have been updated...");
    }
    if (total > updated) {
      return argo(Health.PROGRESSING, d, "Waiting for rollout to finish: " + (total - updated)
          + " old replicas are pending termination...");
    }
    if (available < updated) {
      return argo(Health.PROGRESSING, d, "Waiting for rollout to finish: " + available + " of " + updated
          + " updated replicas are available...");
    }
    return argo(Health.HEALTHY, d, "");
  }

  static HealthStatus statefulSet(Resource s) {
    JsonNode spec = s.json().path("spec");
    JsonNode status = s.json().path("status");
    long observed = number(status, "observedGeneration", 0);
    if (observed == 0 || s.generation() > observed) {
      return argo(Health.PROGRESSING, s, "Waiting for statefulset spec update to be observed...");
    }
    long desired = number(spec, "replicas", 1);
    long ready = number(status, "readyReplicas", 0);
    if (ready < desired) {
      return argo(Health.PROGRESSING, s, "Waiting for " + (desired - ready) + " pods to be ready...");
    }
    JsonNode strategy = spec.path("updateStrategy");
    String type = text(strategy, "type");
    JsonNode rollingUpdate = strategy.get("rollingUpdate");
    long updated = number(status, "updatedReplicas", 0);
    // With rollingUpdate set, the updated count decides and the revisions do not (as in Argo CD).
    if (("RollingUpdate".equals(type) || type.isEmpty()) && rollingUpdate != null && rollingUpdate.isObject()) {
      long target = desired - number(rollingUpdate, "partition", 0);
      if (updated < target) {
        return argo(Health.PROGRESSING, s, "Waiting for partitioned roll out to finish: " + updated + " out of "
            + target + " new pods have been updated...");
      }
      return argo(Health.HEALTHY, s, "partitioned roll out complete: " + updated + " new pods have been updated...");
    }
    if ("OnDelete".equals(type)) {
      return argo(Health.HEALTHY, s, "statefulset has " + ready + " ready pods");
    }
    String current = text(status, "currentRevision");
    String update = text(status, "updateRevision");
    if (!current.equals(update)) {
      return argo(Health.PROGRESSING, s, "waiting for statefulset rolling update to complete " + updated
          + " pods at revision " + update + "...");
    }
    return argo(Health.HEALTHY, s, "statefulset rolling update complete " + number(status, "currentReplicas", 0)
        + " pods at revision " + current + "...");
  }

  /** {@code numberMisscheduled} does not count, as in Argo CD (and {@code kubectl rollout status}). */
  static HealthStatus daemonSet(Resource d) {
    JsonNode spec = d.json().path("spec");
    JsonNode status = d.json().path("status");
    if (d.generation() > number(status, "observedGeneration", 0)) {
      return argo(Health.PROGRESSING, d,
          "Waiting for rollout to finish: observed daemon set generation less than desired generation");
    }
    long desired = number(status, "desiredNumberScheduled", 0);
    long updated = number(status, "updatedNumberScheduled", 0);
    long available = number(status, "numberAvailable", 0);
    if ("OnDelete".equals(text(spec.path("updateStrategy"), "type"))) {
      return argo(Health.HEALTHY, d, "daemon set " + updated + " out of " + desired + " new pods have been updated");
    }
    if (updated < desired) {
      return argo(Health.PROGRESSING, d, "Waiting for daemon set \"" + d.name() + "\" rollout to finish: " + updated
          + " out of " + desired + " new pods have been updated...");
    }
    if (available < desired) {
      return argo(Health.PROGRESSING, d, "Waiting for daemon set \"" + d.name() + "\" rollout to finish: "
          + available + " of " + desired + " updated pods are available...");
    }
    return argo(Health.HEALTHY, d, "");
  }

  static HealthStatus replicaSet(Resource r) {
    JsonNode spec = r.json().path("spec");
    JsonNode status = r.json().path("status");
    if (r.generation() > number(status, "observedGeneration", 0)) {
      return argo(Health.PROGRESSING, r,
          "Waiting for rollout to finish: observed replica set generation less than desired generation");
    }
    JsonNode failure = condition(status, "ReplicaFailure");
    if (failure != null && "True".equals(text(failure, "status"))) {
      return argo(Health.DEGRADED, r, text(failure, "message"));
    }
    long desired = number(spec, "replicas", 1);
    long available = number(status, "availableReplicas", 0);
    if (available < desired) {
      return argo(Health.PROGRESSING, r, "Waiting for rollout to finish: " + available + " out of " + desired
          + " new replicas are available...");
    }
    return argo(Health.HEALTHY, r, "");
  }
}
