package io.orchestrationplane.testkit.simulator;

import static io.orchestrationplane.testkit.simulator.Shapes.number;
import static io.orchestrationplane.testkit.simulator.Shapes.text;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plays kube-controller-manager's DaemonSet controller: one pod per simulated node (labelled
 * {@code controller-revision-hash} and {@code pod-template-generation}), pods on unknown nodes or
 * doubled on one removed, a RollingUpdate with {@code maxUnavailable} 1 (one old pod replaced when
 * all are available; none under {@code OnDelete}), and the scheduled, ready, available and
 * updated counts.
 */
final class DaemonSetController extends ObjectController {
  static final GroupKind KIND = new GroupKind("apps", "DaemonSet");

  DaemonSetController() {
    super(KIND);
  }

  @Override
  void reconcile(Pass pass, Resource ds) {
    List<String> nodes = pass.nodes();
    JsonNode spec = ds.json().path("spec");
    String revision = Shapes.hash(spec.path("template"), 10);
    boolean onDelete = "OnDelete".equals(text(spec.path("updateStrategy"), "type"));
    Map<String, Resource> byNode = new HashMap<>();
    for (Resource pod : pass.podsOf(ds)) {
      String node = text(pod.json().path("spec"), "nodeName");
      if (!nodes.contains(node) || byNode.containsKey(node)) {
        pass.removePod(pod);
      } else {
        byNode.put(node, pod);
      }
    }
    for (String node : nodes) {
      if (!byNode.containsKey(node)) {
        Map<String, String> labels = Map.of("controller-revision-hash", revision,
            "pod-template-generation", Long.toString(ds.generation()));
        Resource pod = pass.createPod(ds, spec.path("template"), pass.generatedName(ds), labels, node);
        if (pod != null) {
          byNode.put(node, pod);
        }
      }
    }
    Duration minReady = Duration.ofSeconds(number(spec, "minReadySeconds", 0));
    if (!onDelete && byNode.values().stream().allMatch(p -> Kubelet.isAvailable(p, minReady, pass.now()))) {
      // Rolling update with maxUnavailable 1: replace one old pod when all others are available.
      byNode.entrySet().stream()
          .filter(e -> !revision.equals(e.getValue().label("controller-revision-hash")))
          .min(Map.Entry.comparingByKey())
          .ifPresent(e -> {
            pass.removePod(e.getValue());
            byNode.remove(e.getKey());
          });
    }
    List<Resource> pods = new ArrayList<>(byNode.values());
    long available = pass.countAvailable(pods, minReady);
    ObjectNode status = Json.object();
    status.put("observedGeneration", ds.generation());
    status.put("desiredNumberScheduled", nodes.size());
    status.put("currentNumberScheduled", pods.size());
    status.put("numberMisscheduled", 0);
    status.put("numberReady", pods.stream().filter(Kubelet::isReady).count());
    status.put("numberAvailable", available);
    if (nodes.size() - available > 0) {
      status.put("numberUnavailable", nodes.size() - available);
    }
    status.put("updatedNumberScheduled", pods.stream().filter(p -> revision.equals(p.label("controller-revision-hash"))).count());
    pass.writeStatus(ds, status);
  }
}
