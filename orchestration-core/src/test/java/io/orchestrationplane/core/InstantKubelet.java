package io.orchestrationplane.core;

import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * For core's own tests (the real simulator lives in the testkit, which depends on core): marks
 * every Deployment fully available (and every Pod running and ready) as soon as it is written,
 * through the status subresource,
 * the way a healthy cluster would a moment later.
 */
final class InstantKubelet {
  private InstantKubelet() {}

  static AutoCloseable attach(InMemoryCluster cluster) {
    return cluster.watch(List.of(new GroupKind("apps", "Deployment"), new GroupKind("", "Pod")), event -> {
      if (event.type() == WatchEvent.Type.DELETED) {
        return;
      }
      Resource d = event.resource();
      if (d.kind().equals("Pod")) {
        if (!"Running".equals(d.at("/status/phase").asString())) {
          cluster.updateStatus(d.edit(t -> {
            ObjectNode status = t.putObject("status");
            status.put("phase", "Running");
            ObjectNode ready = status.putArray("conditions").addObject();
            ready.put("type", "Ready");
            ready.put("status", "True");
          }));
        }
        return;
      }
      if (d.at("/status/observedGeneration").asLong(-1) == d.generation()) {
        return;
      }
      int replicas = d.at("/spec/replicas").asInt(1);
      cluster.updateStatus(d.edit(t -> {
        ObjectNode status = t.putObject("status");
        status.put("observedGeneration", d.generation());
        status.put("replicas", replicas);
        status.put("updatedReplicas", replicas);
        status.put("readyReplicas", replicas);
        status.put("availableReplicas", replicas);
        ObjectNode available = status.putArray("conditions").addObject();
        available.put("type", "Available");
        available.put("status", "True");
        available.put("reason", "MinimumReplicasAvailable");
      }));
    });
  }
}
