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
 * Plays kube-controller-manager's StatefulSet controller: pods {@code <set>-0 ... <set>-(n-1)}
 * with the {@code controller-revision-hash}, {@code statefulset.kubernetes.io/pod-name} and
 * {@code apps.kubernetes.io/pod-index} labels, created one at a time in ordinal order waiting for
 * each to be ready ({@code OrderedReady}) or all at once ({@code Parallel}); pods beyond the
 * replica count removed; a RollingUpdate that replaces the highest-ordinal pod at an old revision
 * (down to {@code partition}) once all are ready, or none under {@code OnDelete}; and the status
 * with current and update revisions.
 */
final class StatefulSetController extends ObjectController {
  static final GroupKind KIND = new GroupKind("apps", "StatefulSet");

  StatefulSetController() {
    super(KIND);
  }

  @Override
  void reconcile(Pass pass, Resource sts) {
    JsonNode spec = sts.json().path("spec");
    long desired = number(spec, "replicas", 1);
    String revision = sts.name() + "-" + Shapes.hash(spec.path("template"), 10);
    boolean parallel = "Parallel".equals(text(spec, "podManagementPolicy"));
    boolean onDelete = "OnDelete".equals(text(spec.path("updateStrategy"), "type"));
    long partition = number(spec.path("updateStrategy").path("rollingUpdate"), "partition", 0);
    Map<Integer, Resource> byOrdinal = new HashMap<>();
    for (Resource pod : pass.podsOf(sts)) {
      int ordinal = ordinal(sts.name(), pod.name());
      if (ordinal < 0 || ordinal >= desired) {
        pass.removePod(pod);
      } else {
        byOrdinal.put(ordinal, pod);
      }
    }
    for (int i = 0; i < desired; i++) {
      Resource pod = byOrdinal.get(i);
      if (pod == null) {
        String name = sts.name() + "-" + i;
        Map<String, String> labels = Map.of("controller-revision-hash", revision,
            "statefulset.kubernetes.io/pod-name", name, "apps.kubernetes.io/pod-index", Integer.toString(i));
        pod = pass.createPod(sts, spec.path("template"), name, labels, null);
        if (pod != null) {
          byOrdinal.put(i, pod);
        }
        if (!parallel) {
          break;
        }
      } else if (!parallel && !Kubelet.isReady(pod)) {
        break;
      }
    }
    boolean allReady = byOrdinal.size() == desired && byOrdinal.values().stream().allMatch(Kubelet::isReady);
    if (!onDelete && allReady) {
      // Rolling update: replace the highest-ordinal pod still at an old revision, one at a time.
      for (long i = desired - 1; i >= partition; i--) {
        Resource pod = byOrdinal.get((int) i);
        if (pod != null && !revision.equals(pod.label("controller-revision-hash"))) {
          pass.removePod(pod);
          byOrdinal.remove((int) i);
          break;
        }
      }
    }
    List<Resource> pods = new ArrayList<>(byOrdinal.values());
    long updated = pods.stream().filter(p -> revision.equals(p.label("controller-revision-hash"))).count();
    String previousCurrent = text(sts.json().path("status"), "currentRevision");
    String current = updated == desired || previousCurrent.isEmpty() ? revision : previousCurrent;
    ObjectNode status = Json.object();
    status.put("observedGeneration", sts.generation());
    status.put("replicas", pods.size());
    status.put("readyReplicas", pods.stream().filter(Kubelet::isReady).count());
    status.put("availableReplicas", pass.countAvailable(pods, Duration.ofSeconds(number(spec, "minReadySeconds", 0))));
    status.put("currentReplicas", pods.stream().filter(p -> current.equals(p.label("controller-revision-hash"))).count());
    status.put("updatedReplicas", updated);
    status.put("currentRevision", current);
    status.put("updateRevision", revision);
    status.put("collisionCount", 0);
    pass.writeStatus(sts, status);
  }

  /** The ordinal in {@code <set>-<ordinal>}, or -1 when the pod's name is not of that form. */
  private static int ordinal(String setName, String podName) {
    if (!podName.startsWith(setName + "-")) {
      return -1;
    }
    try {
      return Integer.parseInt(podName.substring(setName.length() + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
