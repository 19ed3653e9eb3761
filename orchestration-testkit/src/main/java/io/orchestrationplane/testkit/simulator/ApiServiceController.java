package io.orchestrationplane.testkit.simulator;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plays kube-aggregator's availability controller: every APIService is Available, reason
 * {@code Local} when it names no service (served by the API server itself), {@code Passed} when
 * its backing service is taken to answer.
 */
final class ApiServiceController extends ObjectController {
  static final GroupKind KIND = new GroupKind("apiregistration.k8s.io", "APIService");

  ApiServiceController() {
    super(KIND);
  }

  @Override
  void reconcile(Pass pass, Resource api) {
    JsonNode previous = api.json().path("status").path("conditions");
    boolean local = !api.json().path("spec").path("service").isObject();
    ObjectNode status = Json.object();
    Shapes.condition(status.putArray("conditions"), previous, "Available", "True", local ? "Local" : "Passed",
        local ? "Local APIServices are always available" : "all checks passed", pass.now(), false);
    pass.writeStatus(api, status);
  }
}
