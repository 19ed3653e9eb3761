package io.orchestrationplane.testkit.simulator;

import static io.orchestrationplane.testkit.simulator.Shapes.text;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plays the cloud provider's load balancers (cloud-controller-manager's service controller, and
 * an ingress controller): a Service of type LoadBalancer, and every Ingress, gets
 * {@code status.loadBalancer.ingress[0].ip} (an address of 192.0.2.0/24, stable per object) once
 * the provisioning time has passed since it was first seen; an address once given is kept.
 */
final class LoadBalancerController implements SimulatedController {
  static final GroupKind SERVICE = new GroupKind("", "Service");
  static final GroupKind INGRESS = new GroupKind("networking.k8s.io", "Ingress");

  @Override
  public List<GroupKind> kinds() {
    return List.of(SERVICE, INGRESS);
  }

  @Override
  public void step(Pass pass) {
    for (Resource svc : pass.list(SERVICE)) {
      if ("LoadBalancer".equals(text(svc.json().path("spec"), "type"))) {
        provision(pass, svc);
      }
    }
    pass.list(INGRESS).forEach(ing -> provision(pass, ing));
  }

  private static void provision(Pass pass, Resource r) {
    if (!r.json().path("status").path("loadBalancer").path("ingress").isEmpty()) {
      return;
    }
    Instant due = pass.firstSeen(r).plus(pass.timings().provisioning());
    if (pass.now().isBefore(due)) {
      pass.upcoming(due);
      return;
    }
    ObjectNode status = r.json().path("status").isObject() ? (ObjectNode) r.json().get("status").deepCopy() : Json.object();
    status.putObject("loadBalancer").putArray("ingress").addObject()
        .put("ip", "192.0.2." + (Math.floorMod(Objects.hashCode(r.uid()), 250) + 1));
    pass.writeStatus(r, status);
  }
}
