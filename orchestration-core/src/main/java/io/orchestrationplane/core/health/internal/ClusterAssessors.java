package io.orchestrationplane.core.health.internal;

import static io.orchestrationplane.core.health.internal.Fields.condition;
import static io.orchestrationplane.core.health.internal.Fields.list;
import static io.orchestrationplane.core.health.internal.Fields.text;

import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Services, Ingresses, PersistentVolumeClaims, HorizontalPodAutoscalers, APIServices, Namespaces
 * and CustomResourceDefinitions.
 */
final class ClusterAssessors {
  private static final String HPA_V1_CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions";

  private ClusterAssessors() {}

  /** Only LoadBalancer services wait for something: an entry in the ingress list, even an empty one. */
  static HealthStatus service(Resource svc) {
    String type = text(svc.json().path("spec"), "type");
    if (!"LoadBalancer".equals(type)) {
      return HealthStatus.healthy(svc + " exists (type " + (type.isEmpty() ? "ClusterIP" : type) + ")");
    }
    return loadBalancer(svc);
  }

  static HealthStatus ingress(Resource ing) {
    return loadBalancer(ing);
  }

  private static HealthStatus loadBalancer(Resource r) {
    List<JsonNode> ingress = list(r.json().path("status").path("loadBalancer"), "ingress");
    if (ingress.isEmpty()) {
      return HealthStatus.progressing(r + " is waiting for a load balancer address");
    }
    List<String> addresses = new ArrayList<>();
    for (JsonNode i : ingress) {
      String a = !text(i, "hostname").isEmpty() ? text(i, "hostname") : text(i, "ip");
      if (!a.isEmpty()) {
        addresses.add(a);
      }
    }
    return HealthStatus.healthy(r + " has load balancer address " + (addresses.isEmpty() ? "(unnamed)" : String.join(", ", addresses)));
  }

  static HealthStatus persistentVolumeClaim(Resource pvc) {
    String phase = text(pvc.json().path("status"), "phase");
    return switch (phase) {
      case "Bound" -> HealthStatus.healthy(pvc + " is bound to volume " + text(pvc.json().path("spec"), "volumeName"));
      case "Pending", "" -> HealthStatus.progressing(pvc + " is waiting to be bound");
      case "Lost" -> HealthStatus.degraded(pvc + " lost its volume " + text(pvc.json().path("spec"), "volumeName"));
      default -> HealthStatus.unknown(pvc + " has unexpected phase " + phase);
    };
  }

  /**
   * The first condition that is degraded (by type and reason) or healthy (AbleToScale or
   * ScalingLimited True) decides; none means PROGRESSING. autoscaling/v1 objects carry their
   * conditions as JSON in an annotation.
   */
  static HealthStatus horizontalPodAutoscaler(Resource hpa) {
    List<JsonNode> conditions;
    if ("autoscaling/v1".equals(hpa.apiVersion()) && hpa.annotation(HPA_V1_CONDITIONS) != null) {
      JsonNode parsed;
      try {
        parsed = Json.readJson(hpa.annotation(HPA_V1_CONDITIONS));
      } catch (IllegalArgumentException e) {
        return HealthStatus.unknown(hpa + ": annotation " + HPA_V1_CONDITIONS + " is not valid JSON: " + e.getMessage());
      }
      if (!parsed.isArray() && !parsed.isNull()) {
        return HealthStatus.unknown(hpa + ": annotation " + HPA_V1_CONDITIONS + " is not a list of conditions");
      }
      conditions = new ArrayList<>();
      parsed.forEach(conditions::add);
    } else {
      conditions = list(hpa.json().path("status"), "conditions");
    }
    for (JsonNode c : conditions) {
      String type = text(c, "type");
      String reason = text(c, "reason");
      boolean degraded = ("AbleToScale".equals(type) && ("FailedGetScale".equals(reason) || "FailedUpdateScale".equals(reason)))
          || ("ScalingActive".equals(type) && ("FailedGetResourceMetric".equals(reason) || "InvalidSelector".equals(reason)));
      if (degraded) {
        return HealthStatus.degraded(hpa + " cannot scale: " + type + " " + Fields.reasonAndMessage(c));
      }
      boolean isTrue = "True".equals(text(c, "status"));
      if (isTrue && ("AbleToScale".equals(type) || "ScalingLimited".equals(type))) {
        return HealthStatus.healthy(hpa + " " + type + ": " + Fields.reasonAndMessage(c));
      }
    }
    return HealthStatus.progressing(hpa + " is waiting to autoscale");
  }

  static HealthStatus apiService(Resource api) {
    JsonNode available = condition(api.json().path("status"), "Available");
    if (available == null) {
      return HealthStatus.progressing(api + " is waiting to be processed");
    }
    if ("True".equals(text(available, "status"))) {
      return HealthStatus.healthy(api + " is available: " + Fields.reasonAndMessage(available));
    }
    return HealthStatus.progressing(api + " is not available: " + Fields.reasonAndMessage(available));
  }

  /** A namespace is usable once it exists; Terminating is PROGRESSING (it is going away). */
  static HealthStatus namespace(Resource ns) {
    String phase = text(ns.json().path("status"), "phase");
    if ("Terminating".equals(phase)) {
      return HealthStatus.progressing(ns + " is terminating");
    }
    return HealthStatus.healthy(ns + " is active");
  }

  /**
   * Established means the API serves the new kind. As in Argo CD: no conditions yet is
   * PROGRESSING; names that clash (NamesAccepted False), conditions without Established True, or
   * a non-structural schema need a fix, so they are DEGRADED. Established False with reason
   * {@code Installing} is the API server still at work, so PROGRESSING.
   */
  static HealthStatus customResourceDefinition(Resource crd) {
    JsonNode status = crd.json().path("status");
    if (list(status, "conditions").isEmpty()) {
      return HealthStatus.progressing(crd + " is waiting to be established (no conditions yet)");
    }
    JsonNode terminating = condition(status, "Terminating");
    if (terminating != null && "True".equals(text(terminating, "status"))) {
      return HealthStatus.progressing(crd + " is terminating: " + Fields.reasonAndMessage(terminating));
    }
    JsonNode names = condition(status, "NamesAccepted");
    if (names != null && "False".equals(text(names, "status"))) {
      return HealthStatus.degraded(crd + " names not accepted: " + Fields.reasonAndMessage(names));
    }
    JsonNode established = condition(status, "Established");
    if (established == null || !"True".equals(text(established, "status"))) {
      if (established != null && "Installing".equals(text(established, "reason"))) {
        return HealthStatus.progressing(crd + " is being installed: " + Fields.reasonAndMessage(established));
      }
      return HealthStatus.degraded(crd + " is not established"
          + (established == null ? "" : ": " + Fields.reasonAndMessage(established)));
    }
    JsonNode nonStructural = condition(status, "NonStructuralSchema");
    if (nonStructural != null && "True".equals(text(nonStructural, "status"))) {
      return HealthStatus.degraded(crd + " has a non-structural schema: " + Fields.reasonAndMessage(nonStructural));
    }
    return HealthStatus.healthy(crd + " is established");
  }
}
