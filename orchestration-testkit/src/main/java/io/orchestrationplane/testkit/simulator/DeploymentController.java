package io.orchestrationplane.testkit.simulator;

import static io.orchestrationplane.testkit.simulator.Shapes.number;
import static io.orchestrationplane.testkit.simulator.Shapes.text;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plays kube-controller-manager's Deployment controller: one ReplicaSet per pod template (named
 * {@code <deployment>-<pod-template-hash>}, with the {@code deployment.kubernetes.io/revision}
 * annotation), the Recreate strategy (old ReplicaSets scaled to zero and their pods gone before
 * the new one is created) and a simplified RollingUpdate (the new ReplicaSet is created at full
 * size and the old ones scaled to zero once it is fully available), pausing, and the status
 * Kubernetes writes: replica counts, the Available condition against {@code maxUnavailable}
 * and the Progressing condition with {@code progressDeadlineSeconds}.
 */
final class DeploymentController extends ObjectController {
  static final GroupKind KIND = new GroupKind("apps", "Deployment");

  DeploymentController() {
    super(KIND);
  }

  @Override
  void reconcile(Pass pass, Resource d) {
    JsonNode spec = d.json().path("spec");
    long desired = number(spec, "replicas", 1);
    JsonNode template = spec.path("template");
    String hash = Shapes.hash(template, 10);
    String newName = d.name() + "-" + hash;
    List<Resource> owned = pass.replicaSetsOf(d);
    Resource newRs = owned.stream().filter(rs -> rs.name().equals(newName)).findFirst().orElse(null);
    List<Resource> old = owned.stream().filter(rs -> !rs.name().equals(newName)).toList();
    boolean paused = spec.path("paused").asBoolean(false);
    boolean recreate = "Recreate".equals(text(spec.path("strategy"), "type"));
    if (!paused) {
      boolean oldRunning = old.stream().anyMatch(rs -> number(rs.json().path("spec"), "replicas", 1) > 0
          || number(rs.json().path("status"), "replicas", 0) > 0);
      if (recreate && oldRunning) {
        old.forEach(rs -> pass.scale(rs, 0));
      } else if (newRs == null) {
        long revision = 1 + old.stream().mapToLong(rs -> parseLong(rs.annotation("deployment.kubernetes.io/revision"))).max().orElse(0);
        newRs = pass.create(newReplicaSet(d, hash, desired, revision));
      } else if (number(newRs.json().path("spec"), "replicas", 1) != desired) {
        newRs = pass.scale(newRs, desired);
      }
      if (!recreate && newRs != null && number(newRs.json().path("status"), "availableReplicas", 0) >= desired) {
        old.forEach(rs -> pass.scale(rs, 0));
      }
    }
    long total = 0;
    long ready = 0;
    long available = 0;
    for (Resource rs : owned) {
      JsonNode s = rs.json().path("status");
      total += number(s, "replicas", 0);
      ready += number(s, "readyReplicas", 0);
      available += number(s, "availableReplicas", 0);
    }
    long updated = newRs == null ? 0 : number(newRs.json().path("status"), "replicas", 0);
    String rsName = newRs == null ? newName : newRs.name();

    String signature = d.generation() + "/" + hash + "/" + updated + "/" + available + "/" + total;
    SimState.Progress progress = pass.state().progress.get(d.uid());
    if (progress == null || !progress.signature().equals(signature)) {
      progress = new SimState.Progress(signature, pass.now());
      pass.state().progress.put(d.uid(), progress);
    }
    Duration deadline = Duration.ofSeconds(number(spec, "progressDeadlineSeconds", 600));
    boolean complete = updated == desired && total == desired && available == desired;

    JsonNode previous = d.json().path("status").path("conditions");
    ObjectNode status = Json.object();
    status.put("observedGeneration", d.generation());
    status.put("replicas", total);
    status.put("updatedReplicas", updated);
    status.put("readyReplicas", ready);
    status.put("availableReplicas", available);
    if (desired - available > 0) {
      status.put("unavailableReplicas", desired - available);
    }
    ArrayNode conditions = status.putArray("conditions");
    long minAvailable = desired - maxUnavailable(spec, desired, recreate);
    if (available >= minAvailable) {
      Shapes.condition(conditions, previous, "Available", "True", "MinimumReplicasAvailable",
          "Deployment has minimum availability.", pass.now(), true);
    } else {
      Shapes.condition(conditions, previous, "Available", "False", "MinimumReplicasUnavailable",
          "Deployment does not have minimum availability.", pass.now(), true);
    }
    if (paused) {
      Shapes.condition(conditions, previous, "Progressing", "Unknown", "DeploymentPaused",
          "Deployment is paused", pass.now(), true);
    } else if (complete) {
      Shapes.condition(conditions, previous, "Progressing", "True", "NewReplicaSetAvailable",
          "ReplicaSet \"" + rsName + "\" has successfully progressed.", pass.now(), true);
    } else if (!pass.now().isBefore(progress.since().plus(deadline))) {
      Shapes.condition(conditions, previous, "Progressing", "False", "ProgressDeadlineExceeded",
          "ReplicaSet \"" + rsName + "\" has timed out progressing.", pass.now(), true);
    } else {
      Shapes.condition(conditions, previous, "Progressing", "True", "ReplicaSetUpdated",
          "ReplicaSet \"" + rsName + "\" is progressing.", pass.now(), true);
      pass.upcoming(progress.since().plus(deadline));
    }
    pass.writeStatus(d, status);
  }

  /** {@code strategy.rollingUpdate.maxUnavailable} as a count (default 25%, rounded down); none for Recreate. */
  private static long maxUnavailable(JsonNode spec, long desired, boolean recreate) {
    if (recreate) {
      return 0;
    }
    JsonNode v = spec.path("strategy").path("rollingUpdate").get("maxUnavailable");
    if (v == null || v.isNull()) {
      return desired * 25 / 100;
    }
    String s = v.asString();
    if (s.endsWith("%")) {
      return desired * parseLong(s.substring(0, s.length() - 1)) / 100;
    }
    return parseLong(s);
  }

  private static Resource newReplicaSet(Resource d, String hash, long replicas, long revision) {
    JsonNode spec = d.json().path("spec");
    ObjectNode template = spec.path("template").isObject() ? (ObjectNode) spec.path("template").deepCopy() : Json.object();
    ObjectNode templateMeta = template.has("metadata") ? (ObjectNode) template.get("metadata") : template.putObject("metadata");
    ObjectNode templateLabels = templateMeta.has("labels") ? (ObjectNode) templateMeta.get("labels") : templateMeta.putObject("labels");
    templateLabels.put("pod-template-hash", hash);
    ObjectNode rs = Json.object();
    rs.put("apiVersion", "apps/v1");
    rs.put("kind", "ReplicaSet");
    ObjectNode meta = rs.putObject("metadata");
    meta.put("name", d.name() + "-" + hash);
    meta.put("namespace", d.namespace());
    meta.set("labels", templateLabels.deepCopy());
    meta.putObject("annotations").put("deployment.kubernetes.io/revision", Long.toString(revision));
    meta.putArray("ownerReferences").add(Shapes.ownerReference(d));
    ObjectNode rsSpec = rs.putObject("spec");
    rsSpec.put("replicas", replicas);
    if (spec.has("minReadySeconds")) {
      rsSpec.set("minReadySeconds", spec.get("minReadySeconds").deepCopy());
    }
    JsonNode matchLabels = spec.path("selector").path("matchLabels");
    ObjectNode selector = rsSpec.putObject("selector").putObject("matchLabels");
    if (matchLabels.isObject()) {
      selector.setAll((ObjectNode) matchLabels.deepCopy());
    } else {
      selector.setAll(templateLabels.deepCopy());
    }
    selector.put("pod-template-hash", hash);
    rsSpec.set("template", template);
    return Resource.of(rs);
  }

  private static long parseLong(@Nullable String s) {
    if (s == null) {
      return 0;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
