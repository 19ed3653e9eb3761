package io.orchestrationplane.testkit.simulator;

import static io.orchestrationplane.testkit.simulator.Shapes.number;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plays kube-controller-manager's ReplicaSet controller: creates pods from the template (named
 * {@code <replicaset>-<5 chars>}) until there are {@code spec.replicas}, removes the surplus
 * (not-ready pods first), and writes the replica counts, available counting
 * {@code minReadySeconds}. Steps after the Deployment controller, and lists its kind afresh, so
 * it sees the ReplicaSets that controller just created or scaled.
 */
final class ReplicaSetController extends ObjectController {
  static final GroupKind KIND = new GroupKind("apps", "ReplicaSet");

  ReplicaSetController() {
    super(KIND);
  }

  @Override
  void reconcile(Pass pass, Resource rs) {
    JsonNode spec = rs.json().path("spec");
    long desired = number(spec, "replicas", 1);
    List<Resource> pods = new ArrayList<>(pass.podsOf(rs));
    while (pods.size() < desired) {
      Resource pod = pass.createPod(rs, spec.path("template"), pass.generatedName(rs), Map.of(), null);
      if (pod == null) {
        break;
      }
      pods.add(pod);
    }
    if (pods.size() > desired) {
      pods.sort(Comparator.comparing((Resource p) -> Kubelet.isReady(p)).thenComparing(Resource::name, Comparator.reverseOrder()));
      List<Resource> surplus = new ArrayList<>(pods.subList(0, (int) (pods.size() - desired)));
      surplus.forEach(pass::removePod);
      pods.removeAll(surplus);
    }
    Duration minReady = Duration.ofSeconds(number(spec, "minReadySeconds", 0));
    ObjectNode status = Json.object();
    status.put("replicas", pods.size());
    status.put("fullyLabeledReplicas", pods.size());
    status.put("readyReplicas", pods.stream().filter(Kubelet::isReady).count());
    status.put("availableReplicas", pass.countAvailable(pods, minReady));
    status.put("observedGeneration", rs.generation());
    pass.writeStatus(rs, status);
  }
}
