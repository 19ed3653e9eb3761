package io.orchestrationplane.testkit.simulator;

import static io.orchestrationplane.testkit.simulator.Shapes.number;
import static io.orchestrationplane.testkit.simulator.Shapes.text;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plays kube-controller-manager's HorizontalPodAutoscaler controller as if every metric were at
 * its target: the desired replica count is the target's current one kept within
 * {@code minReplicas..maxReplicas}, and the status carries the autoscaling/v2 conditions
 * AbleToScale, ScalingActive and ScalingLimited. Works in autoscaling/v2, as the controller does;
 * an HPA the server returns only as autoscaling/v1 is left alone.
 */
final class HorizontalPodAutoscalerController extends ObjectController {
  static final GroupKind KIND = new GroupKind("autoscaling", "HorizontalPodAutoscaler");

  HorizontalPodAutoscalerController() {
    super(KIND);
  }

  @Override
  void reconcile(Pass pass, Resource listed) {
    Resource hpa = listed;
    if ("autoscaling/v1".equals(listed.apiVersion())) {
      // A server that serves both versions answers in its preferred one: ask for v2, as the HPA
      // controller works in it. A store that keeps objects as written returns v1 again.
      hpa = pass.read(listed.key(pass.cluster()), "autoscaling/v2").orElse(listed);
    }
    if ("autoscaling/v1".equals(hpa.apiVersion())) {
      return; // v1 keeps conditions in an annotation, which is not status; see docs/health.md
    }
    JsonNode spec = hpa.json().path("spec");
    JsonNode target = spec.path("scaleTargetRef");
    long current = pass.find(ResourceKey.of(pass.cluster(), Resource.groupOf(text(target, "apiVersion")),
            text(target, "kind"), hpa.namespace(), text(target, "name")))
        .map(t -> number(t.json().path("spec"), "replicas", 1)).orElse(0L);
    long min = number(spec, "minReplicas", 1);
    long max = number(spec, "maxReplicas", Math.max(min, current));
    long desired = Math.max(min, Math.min(max, current));
    JsonNode previous = hpa.json().path("status").path("conditions");
    ObjectNode status = Json.object();
    status.put("currentReplicas", current);
    status.put("desiredReplicas", desired);
    ArrayNode conditions = status.putArray("conditions");
    Shapes.condition(conditions, previous, "AbleToScale", "True", "SucceededGetScale",
        "the HPA controller was able to get the target's current scale", pass.now(), false);
    Shapes.condition(conditions, previous, "ScalingActive", "True", "ValidMetricFound",
        "the HPA was able to successfully calculate a replica count", pass.now(), false);
    Shapes.condition(conditions, previous, "ScalingLimited", "False", "DesiredWithinRange",
        "the desired count is within the acceptable range", pass.now(), false);
    pass.writeStatus(hpa, status);
  }
}
