package io.orchestrationplane.core.health.internal;

import static io.orchestrationplane.core.health.internal.Fields.argo;
import static io.orchestrationplane.core.health.internal.Fields.list;
import static io.orchestrationplane.core.health.internal.Fields.text;

import io.orchestrationplane.core.health.Health;
import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Pods, with Argo CD's verdicts and messages (gitops-engine {@code pkg/health/health_pod.go}).
 * For {@code restartPolicy: Always} (the default) a container waiting with a reason starting
 * {@code Err} or ending {@code Error}/{@code BackOff} is DEGRADED whatever the phase, with the
 * waiting messages. Init containers are not looked at for that (a crash-looping init container
 * leaves the pod Pending, so PROGRESSING), only for the message of a Failed pod. Pods with a
 * finite life ({@code Never}, {@code OnFailure}) are PROGRESSING while they run, so a job-like pod
 * is not failed early while it retries. Otherwise the message is the pod's {@code status.message}.
 */
final class PodAssessor {
  private PodAssessor() {}

  static HealthStatus assess(Resource pod) {
    JsonNode status = pod.json().path("status");
    String restartPolicy = text(pod.json().path("spec"), "restartPolicy");
    boolean always = restartPolicy.isEmpty() || "Always".equals(restartPolicy);
    String podMessage = text(status, "message");
    if (always) {
      List<String> messages = new ArrayList<>();
      boolean failing = false;
      for (JsonNode c : list(status, "containerStatuses")) {
        JsonNode waiting = c.path("state").get("waiting");
        String reason = text(waiting, "reason");
        if (waiting != null && (reason.startsWith("Err") || reason.endsWith("Error") || reason.endsWith("BackOff"))) {
          failing = true;
          messages.add(text(waiting, "message"));
        }
      }
      if (failing) {
        return argo(Health.DEGRADED, pod, String.join(", ", messages));
      }
    }
    String phase = text(status, "phase");
    switch (phase) {
      case "Pending":
        return argo(Health.PROGRESSING, pod, podMessage);
      case "Succeeded":
        return argo(Health.HEALTHY, pod, podMessage);
      case "Failed":
        return argo(Health.DEGRADED, pod, podMessage.isEmpty() ? failure(status) : podMessage);
      case "Running":
        if ("Never".equals(restartPolicy) || "OnFailure".equals(restartPolicy)) {
          return argo(Health.PROGRESSING, pod, podMessage);
        }
        if (!always) {
          return argo(Health.UNKNOWN, pod, podMessage); // a policy Kubernetes does not have
        }
        JsonNode ready = Fields.condition(status, "Ready");
        if (ready != null && "True".equals(text(ready, "status"))) {
          return argo(Health.HEALTHY, pod, podMessage);
        }
        for (JsonNode c : list(status, "containerStatuses")) {
          JsonNode terminated = c.path("lastState").get("terminated");
          if (terminated != null && !terminated.isNull()) {
            return argo(Health.DEGRADED, pod, podMessage);
          }
        }
        return argo(Health.PROGRESSING, pod, podMessage);
      default:
        return argo(Health.UNKNOWN, pod, podMessage);
    }
  }

  /** The first init or app container that terminated with a message, OOMKilled or a non-zero exit code. */
  private static String failure(JsonNode status) {
    List<JsonNode> containers = list(status, "initContainerStatuses");
    containers.addAll(list(status, "containerStatuses"));
    for (JsonNode c : containers) {
      JsonNode t = c.path("state").get("terminated");
      if (t == null || t.isNull()) {
        continue;
      }
      if (!text(t, "message").isEmpty()) {
        return text(t, "message");
      }
      if ("OOMKilled".equals(text(t, "reason"))) {
        return "OOMKilled";
      }
      long exitCode = Fields.number(t, "exitCode", 0);
      if (exitCode != 0) {
        return "container \"" + text(c, "name") + "\" failed with exit code " + exitCode;
      }
    }
    return "";
  }
}
