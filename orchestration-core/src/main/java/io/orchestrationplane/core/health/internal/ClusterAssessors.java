package io.orchestrationplane.core.health.internal;

import static io.orchestrationplane.core.health.internal.Fields.argo;
import static io.orchestrationplane.core.health.internal.Fields.condition;
import static io.orchestrationplane.core.health.internal.Fields.list;
import static io.orchestrationplane.core.health.internal.Fields.text;

import io.orchestrationplane.core.health.Health;
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

  /**
   * As Argo CD ({@code pkg/health/health_service.go}): only LoadBalancer services wait, for an
   * entry in the ingress list, even an empty one. Argo CD gives no message.
   */
  static HealthStatus service(Resource svc) {
    if (!"LoadBalancer".equals(text(svc.json().path("spec"), "type"))) {
      return argo(Health.HEALTHY, svc, "");
    }
    return loadBalancer(svc);
  }

  /** As a LoadBalancer Service ({@code pkg/health/health_ingress.go}). */
  static HealthStatus ingress(Resource ing) {
    return loadBalancer(ing);
  }

  private static HealthStatus loadBalancer(Resource r) {
    boolean assigned = !list(r.json().path("status").path("loadBalancer"), "ingress").isEmpty();
    return argo(assigned ? Health.HEALTHY : Health.PROGRESSING, r, "");
  }

  /**
   * As Argo CD ({@code pkg/health/health_pvc.go}): Bound HEALTHY, Pending PROGRESSING, Lost
   * DEGRADED, with no message; other phases UNKNOWN. No phase at all is PROGRESSING (ours: Argo CD
   * says UNKNOWN, but it only sees claims the API server has defaulted to Pending).
   */
  static HealthStatus persistentVolumeClaim(Resource pvc) {
    return switch (text(pvc.json().path("status"), "phase")) {
      case "Bound" -> argo(Health.HEALTHY, pvc, "");
      case "Pending", "" -> argo(Health.PROGRESSING, pvc, "");
      case "Lost" -> argo(Health.DEGRADED, pvc, "");
      default -> argo(Health.UNKNOWN, pvc, "");
    };
  }

  /**
   * As Argo CD ({@code pkg/health/health_hpa.go}): the first condition that is degraded (by type
   * and reason) or healthy (AbleToScale or ScalingLimited True) decides, with its message; none
   * means PROGRESSING ("Waiting to Autoscale"). autoscaling/v1 objects carry their conditions as
   * JSON in an annotation.
   */
  static HealthStatus horizontalPodAutoscaler(Resource hpa) {
    List<JsonNode> conditions;
    if ("autoscaling/v1".equals(hpa.apiVersion()) && hpa.annotation(HPA_V1_CONDITIONS) != null) {
      JsonNode parsed;
      try {
        parsed = Json.readJson(hpa.annotation(HPA_V1_CONDITIONS));
      } catch (IllegalArgumentException e) {
        return argo(Health.UNKNOWN, hpa, "failed to convert conditions annotation to typed: annotation "
            + HPA_V1_CONDITIONS + " is not valid JSON: " + e.getMessage());
      }
      if (!parsed.isArray() && !parsed.isNull()) {
        return argo(Health.UNKNOWN, hpa, "failed to convert conditions annotation to typed: annotation "
            + HPA_V1_CONDITIONS + " is not a list of conditions");
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
        return argo(Health.DEGRADED, hpa, text(c, "message"));
      }
      boolean isTrue = "True".equals(text(c, "status"));
      if (isTrue && ("AbleToScale".equals(type) || "ScalingLimited".equals(type))) {
        return argo(Health.HEALTHY, hpa, text(c, "message"));
      }
    }
    return argo(Health.PROGRESSING, hpa, "Waiting to Autoscale");
  }

  /** As Argo CD ({@code pkg/health/health_apiservice.go}): the Available condition decides; False is PROGRESSING. */
  static HealthStatus apiService(Resource api) {
    JsonNode available = condition(api.json().path("status"), "Available");
    if (available == null) {
      return argo(Health.PROGRESSING, api, "Waiting to be processed");
    }
    String why = text(available, "reason") + ": " + text(available, "message");
    return argo("True".equals(text(available, "status")) ? Health.HEALTHY : Health.PROGRESSING, api, why);
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
   * Established means the API serves the new kind. As Argo CD's check
   * ({@code resource_customizations/apiextensions.k8s.io/CustomResourceDefinition/health.lua}): no
   * conditions yet is PROGRESSING. Then the conditions are read in order and the first that decides
   * wins, with its own message: Terminating True is PROGRESSING; names that clash (NamesAccepted
   * False) or a non-structural schema are DEGRADED; Established not True with reason
   * {@code Installing} is the API server still at work, so PROGRESSING. Otherwise no Established
   * True is DEGRADED (someone must fix the CRD), and Established True HEALTHY.
   */
  static HealthStatus customResourceDefinition(Resource crd) {
    List<JsonNode> conditions = list(crd.json().path("status"), "conditions");
    if (conditions.isEmpty()) {
      return argo(Health.PROGRESSING, crd, "Status conditions not found");
    }
    boolean established = false;
    for (JsonNode c : conditions) {
      String type = text(c, "type");
      String status = text(c, "status");
      if ("Terminating".equals(type) && "True".equals(status)) {
        return argo(Health.PROGRESSING, crd, "CRD is terminating: " + text(c, "message"));
      }
      if ("NamesAccepted".equals(type) && "False".equals(status)) {
        return argo(Health.DEGRADED, crd, "CRD names have not been accepted: " + text(c, "message"));
      }
      if ("NonStructuralSchema".equals(type) && "True".equals(status)) {
        return argo(Health.DEGRADED, crd, "Schema violations found: " + text(c, "message"));
      }
      if ("Established".equals(type)) {
        if ("True".equals(status)) {
          established = true;
        } else if ("Installing".equals(text(c, "reason"))) {
          return argo(Health.PROGRESSING, crd, "CRD is being installed");
        }
      }
    }
    return established
        ? argo(Health.HEALTHY, crd, "CRD is healthy")
        : argo(Health.DEGRADED, crd, "CRD is not established");
  }
}
