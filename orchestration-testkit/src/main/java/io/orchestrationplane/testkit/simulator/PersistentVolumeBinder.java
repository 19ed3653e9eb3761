package io.orchestrationplane.testkit.simulator;

import static io.orchestrationplane.testkit.simulator.Shapes.text;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plays kube-controller-manager's PersistentVolume binder with a dynamic provisioner behind it: a
 * PersistentVolumeClaim is Pending until the provisioning time has passed since it was first
 * seen, then Bound with the access modes and the requested storage as its capacity. A claim that
 * left Pending is not looked at again.
 */
final class PersistentVolumeBinder extends ObjectController {
  static final GroupKind KIND = new GroupKind("", "PersistentVolumeClaim");

  PersistentVolumeBinder() {
    super(KIND);
  }

  @Override
  void reconcile(Pass pass, Resource pvc) {
    String phase = text(pvc.json().path("status"), "phase");
    if (!phase.isEmpty() && !"Pending".equals(phase)) {
      return;
    }
    JsonNode spec = pvc.json().path("spec");
    ObjectNode status = Json.object();
    Instant due = pass.firstSeen(pvc).plus(pass.timings().provisioning());
    if (pass.now().isBefore(due)) {
      pass.upcoming(due);
      status.put("phase", "Pending");
    } else {
      status.put("phase", "Bound");
      if (spec.has("accessModes")) {
        status.set("accessModes", spec.get("accessModes").deepCopy());
      }
      JsonNode storage = spec.path("resources").path("requests").get("storage");
      if (storage != null) {
        status.putObject("capacity").set("storage", storage.deepCopy());
      }
    }
    pass.writeStatus(pvc, status);
  }
}
