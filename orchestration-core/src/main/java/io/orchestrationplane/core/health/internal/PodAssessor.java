package io.orchestrationplane.core.health.internal;

import static io.orchestrationplane.core.health.internal.Fields.list;
import static io.orchestrationplane.core.health.internal.Fields.text;

import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Pods, with Argo CD's semantics. For {@code restartPolicy: Always} (the default) a container
 * waiting with a reason starting {@code Err} or ending {@code Error}/{@code BackOff} is DEGRADED
 * whatever the phase. Pods with a finite life ({@code Never}, {@code OnFailure}) are PROGRESSING
 * while they run, so a job-like pod is not failed early while it retries.
 */
final class PodAssessor {
  private PodAssessor() {}

  static HealthStatus assess(Resource pod) {
    JsonNode status = pod.json().path("status");
    String restartPolicy = text(pod.json().path("spec"), "restartPolicy");
    boolean always = restartPolicy.isEmpty() || "Always".equals(restartPolicy);
    String podMessage = text(status, "message");
    if (always) {
      List<String> failures = new ArrayList<>();
      for (JsonNode c : list(status, "containerStatuses")) {
        JsonNode waiting = c.path("state").get("waiting");
        String reason = text(waiting, "reason");
        if (waiting != null && (reason.startsWith("Err") || reason.endsWith("Error") || reason.endsWith("BackOff"))) {
          String msg = text(waiting, "message");
          failures.add("container " + text(c, "name") + " is waiting: " + reason + (msg.isEmpty() ? "" : ": " + msg));
        }
      }
      if (!failures.isEmpty()) {
        return HealthStatus.degraded(pod + " " + String.join("; ", failures));
      }
    }
    String phase = text(status, "phase");
    switch (phase) {
      case "Pending":
        return HealthStatus.progressing(pod + " is pending" + pendingWhy(status, podMessage));
      case "Succeeded":
        return HealthStatus.healthy(pod + " succeeded" + suffix(podMessage));
      case "Failed":
        return HealthStatus.degraded(pod + " failed: " + failure(status, podMessage));
      case "Running":
        if (!always) {
          return HealthStatus.progressing(pod + " is running (restartPolicy " + restartPolicy + ")" + suffix(podMessage));
        }
        JsonNode ready = Fields.condition(status, "Ready");
        if (ready != null && "True".equals(text(ready, "status"))) {
          return HealthStatus.healthy(pod + " is running and ready" + suffix(podMessage));
        }
        for (JsonNode c : list(status, "containerStatuses")) {
          JsonNode terminated = c.path("lastState").get("terminated");
          if (terminated != null && !terminated.isNull()) {
            return HealthStatus.degraded(pod + " is not ready: container " + text(c, "name") + " terminated ("
                + terminatedWhy(terminated) + ")" + suffix(podMessage));
          }
        }
        return HealthStatus.progressing(pod + " is running but not ready"
            + (ready == null ? "" : suffix(Fields.reasonAndMessage(ready))));
      default:
        return HealthStatus.unknown(pod + " has " + (phase.isEmpty() ? "no phase yet" : "unexpected phase " + phase)
            + suffix(podMessage));
    }
  }

  private static String pendingWhy(JsonNode status, String podMessage) {
    if (!podMessage.isEmpty()) {
      return ": " + podMessage;
    }
    JsonNode scheduled = Fields.condition(status, "PodScheduled");
    if (scheduled != null && "False".equals(text(scheduled, "status"))) {
      return ": " + Fields.reasonAndMessage(scheduled);
    }
    for (JsonNode c : list(status, "containerStatuses")) {
      JsonNode waiting = c.path("state").get("waiting");
      if (waiting != null && !text(waiting, "reason").isEmpty()) {
        return ": container " + text(c, "name") + " is waiting: " + Fields.reasonAndMessage(waiting);
      }
    }
    return "";
  }

  private static String failure(JsonNode status, String podMessage) {
    if (!podMessage.isEmpty()) {
      return podMessage;
    }
    List<JsonNode> containers = list(status, "initContainerStatuses");
    containers.addAll(list(status, "containerStatuses"));
    for (JsonNode c : containers) {
      JsonNode t = c.path("state").get("terminated");
      if (t == null || t.isNull()) {
        continue;
      }
      if (!text(t, "message").isEmpty() || "OOMKilled".equals(text(t, "reason")) || Fields.number(t, "exitCode", 0) != 0) {
        return "container " + text(c, "name") + " " + terminatedWhy(t);
      }
    }
    String reason = text(status, "reason");
    return reason.isEmpty() ? "phase Failed" : reason;
  }

  private static String terminatedWhy(JsonNode terminated) {
    StringBuilder out = new StringBuilder("exited with code ").append(Fields.number(terminated, "exitCode", 0));
    String reason = text(terminated, "reason");
    if (!reason.isEmpty()) {
      out.append(", reason ").append(reason);
    }
    String message = text(terminated, "message");
    if (!message.isEmpty()) {
      out.append(": ").append(message);
    }
    return out.toString();
  }

  private static String suffix(String message) {
    return message.isEmpty() ? "" : ": " + message;
  }
}
