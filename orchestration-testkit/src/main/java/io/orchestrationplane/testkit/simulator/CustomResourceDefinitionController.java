package io.orchestrationplane.testkit.simulator;

import static io.orchestrationplane.testkit.simulator.Shapes.text;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plays the apiextensions-apiserver's naming and establishing controllers: every
 * CustomResourceDefinition gets NamesAccepted and Established True at once, its names as
 * {@code acceptedNames}, and its storage version in {@code storedVersions}.
 */
final class CustomResourceDefinitionController extends ObjectController {
  static final GroupKind KIND = new GroupKind("apiextensions.k8s.io", "CustomResourceDefinition");

  CustomResourceDefinitionController() {
    super(KIND);
  }

  @Override
  void reconcile(Pass pass, Resource crd) {
    JsonNode spec = crd.json().path("spec");
    JsonNode previous = crd.json().path("status").path("conditions");
    ObjectNode status = Json.object();
    ArrayNode conditions = status.putArray("conditions");
    Shapes.condition(conditions, previous, "NamesAccepted", "True", "NoConflicts", "no conflicts found", pass.now(), false);
    Shapes.condition(conditions, previous, "Established", "True", "InitialNamesAccepted",
        "the initial names have been accepted", pass.now(), false);
    status.set("acceptedNames", spec.path("names").isObject() ? spec.get("names").deepCopy() : Json.object());
    ArrayNode stored = status.putArray("storedVersions");
    for (JsonNode v : spec.path("versions")) {
      if (v.path("storage").asBoolean(false)) {
        stored.add(text(v, "name"));
      }
    }
    pass.writeStatus(crd, status);
  }
}
