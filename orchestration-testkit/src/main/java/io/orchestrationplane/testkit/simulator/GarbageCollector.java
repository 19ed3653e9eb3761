package io.orchestrationplane.testkit.simulator;

import static io.orchestrationplane.testkit.simulator.Shapes.text;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Plays kube-controller-manager's garbage collector for what the simulator creates: a pod whose
 * controller (a ReplicaSet, StatefulSet, DaemonSet, Job or Deployment) no longer exists is
 * deleted, and so is a ReplicaSet whose Deployment no longer exists. Other owned objects are left
 * alone. Steps last, so everything the pass read or created counts as existing.
 */
final class GarbageCollector implements SimulatedController {
  private static final Set<String> CONTROLLER_KINDS = Set.of(ReplicaSetController.KIND.kind(),
      StatefulSetController.KIND.kind(), DaemonSetController.KIND.kind(), JobController.KIND.kind(),
      DeploymentController.KIND.kind());

  @Override
  public List<GroupKind> kinds() {
    return List.of(Kubelet.KIND, ReplicaSetController.KIND);
  }

  @Override
  public void step(Pass pass) {
    for (Resource pod : pass.pods()) {
      JsonNode ref = Shapes.controllerRef(pod);
      if (ref != null && CONTROLLER_KINDS.contains(text(ref, "kind")) && !pass.exists(text(ref, "uid"))) {
        pass.removePod(pod);
      }
    }
    for (Resource rs : pass.ownedReplicaSets()) {
      JsonNode ref = Shapes.controllerRef(rs);
      if (ref != null && DeploymentController.KIND.kind().equals(text(ref, "kind")) && !pass.exists(text(ref, "uid"))) {
        pass.delete(rs);
      }
    }
  }
}
