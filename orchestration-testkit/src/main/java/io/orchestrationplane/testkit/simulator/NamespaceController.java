package io.orchestrationplane.testkit.simulator;

import static io.orchestrationplane.testkit.simulator.Shapes.text;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plays the API server's Namespace status: a Namespace without a phase becomes {@code Active}.
 * (A server that does not keep it, as kubernetes-mock-server, is not asked again; see
 * {@link Pass#writeStatus}.)
 */
final class NamespaceController extends ObjectController {
  static final GroupKind KIND = new GroupKind("", "Namespace");

  NamespaceController() {
    super(KIND);
  }

  @Override
  void reconcile(Pass pass, Resource ns) {
    if (text(ns.json().path("status"), "phase").isEmpty()) {
      ObjectNode status = Json.object();
      status.put("phase", "Active");
      pass.writeStatus(ns, status);
    }
  }
}
