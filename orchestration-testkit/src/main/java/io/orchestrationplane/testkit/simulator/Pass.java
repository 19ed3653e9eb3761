package io.orchestrationplane.testkit.simulator;

import static io.orchestrationplane.testkit.simulator.Shapes.number;
import static io.orchestrationplane.testkit.simulator.Shapes.text;
import static io.orchestrationplane.testkit.simulator.Shapes.time;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One reconciliation pass of every simulated controller at one instant: the workload
 * controllers of kube-controller-manager, then the infrastructure ones (load balancers, volume
 * binding, CRD establishment), then the kubelet, then garbage collection. A pass reads the
 * cluster, writes what changed and records the next instant at which something will change by
 * itself.
 */
final class Pass {
  static final GroupKind DEPLOYMENT = new GroupKind("apps", "Deployment");
  static final GroupKind REPLICA_SET = new GroupKind("apps", "ReplicaSet");
  static final GroupKind STATEFUL_SET = new GroupKind("apps", "StatefulSet");
  static final GroupKind DAEMON_SET = new GroupKind("apps", "DaemonSet");
  static final GroupKind JOB = new GroupKind("batch", "Job");
  static final GroupKind POD = new GroupKind("", "Pod");
  static final GroupKind SERVICE = new GroupKind("", "Service");
  static final GroupKind PVC = new GroupKind("", "PersistentVolumeClaim");
  static final GroupKind NAMESPACE = new GroupKind("", "Namespace");
  static final GroupKind INGRESS = new GroupKind("networking.k8s.io", "Ingress");
  static final GroupKind CRD = new GroupKind("apiextensions.k8s.io", "CustomResourceDefinition");
  static final GroupKind API_SERVICE = new GroupKind("apiregistration.k8s.io", "APIService");
  static final GroupKind HPA = new GroupKind("autoscaling", "HorizontalPodAutoscaler");
  private static final Set<String> CONTROLLER_KINDS = Set.of("ReplicaSet", "StatefulSet", "DaemonSet", "Job", "Deployment");
  private static final Logger LOG = LoggerFactory.getLogger(Pass.class);

  private final ClusterDriver driver;
  private final SimState state;
  private final Timings timings;
  private final List<String> nodes;
  private final boolean infrastructure;
  private final Instant now;
  private int writes;
  private Instant next;

  private final Map<String, List<Resource>> podsByOwner = new HashMap<>();
  private final Map<String, Resource> podsByName = new LinkedHashMap<>();
  private final Map<String, List<Resource>> replicaSetsByOwner = new HashMap<>();
  private final Set<String> ownerUids = new HashSet<>();
  private final Set<String> liveUids = new HashSet<>();

  Pass(ClusterDriver driver, SimState state, Timings timings, List<String> nodes, boolean infrastructure, Instant now) {
    this.driver = driver;
    this.state = state;
    this.timings = timings;
    this.nodes = nodes;
    this.infrastructure = infrastructure;
    this.now = now;
  }

  int writes() {
    return writes;
  }

  Optional<Instant> next() {
    return Optional.ofNullable(next);
  }

  void run() {
    for (Resource pod : list(POD)) {
      indexPod(pod);
    }
    List<Resource> replicaSets = list(REPLICA_SET);
    for (Resource rs : replicaSets) {
      indexReplicaSet(rs);
    }
    List<Resource> deployments = list(DEPLOYMENT);
    List<Resource> statefulSets = list(STATEFUL_SET);
    List<Resource> daemonSets = list(DAEMON_SET);
    List<Resource> jobs = list(JOB);
    for (List<Resource> owners : List.of(deployments, replicaSets, statefulSets, daemonSets, jobs)) {
      owners.forEach(o -> ownerUids.add(o.uid()));
    }
    deployments.forEach(this::deployment);
    list(REPLICA_SET).forEach(this::replicaSet);
    statefulSets.forEach(this::statefulSet);
    daemonSets.forEach(this::daemonSet);
    jobs.forEach(this::job);
    if (infrastructure) {
      list(SERVICE).forEach(this::service);
      list(INGRESS).forEach(this::ingress);
      list(PVC).forEach(this::persistentVolumeClaim);
      list(NAMESPACE).forEach(this::namespace);
      list(CRD).forEach(this::customResourceDefinition);
      list(API_SERVICE).forEach(this::apiService);
      list(HPA).forEach(this::horizontalPodAutoscaler);
    }
    new ArrayList<>(podsByName.values()).forEach(this::kubelet);
    collectGarbage();
    state.retain(liveUids);
  }

  // ---------------------------------------------------------------- Deployment

  private void deployment(Resource d) {
    JsonNode spec = d.json().path("spec");
    long desired = number(spec, "replicas", 1);
    JsonNode template = spec.path("template");
    String hash = Shapes.hash(template, 10);
    String newName = d.name() + "-" + hash;
    List<Resource> owned = new ArrayList<>(replicaSetsByOwner.getOrDefault(d.uid(), List.of()));
    Resource newRs = owned.stream().filter(rs -> rs.name().equals(newName)).findFirst().orElse(null);
    List<Resource> old = owned.stream().filter(rs -> !rs.name().equals(newName)).toList();
    boolean paused = spec.path("paused").asBoolean(false);
    boolean recreate = "Recreate".equals(text(spec.path("strategy"), "type"));
    if (!paused) {
      boolean oldRunning = old.stream().anyMatch(rs -> number(rs.json().path("spec"), "replicas", 1) > 0
          || number(rs.json().path("status"), "replicas", 0) > 0);
      if (recreate && oldRunning) {
        old.forEach(rs -> scale(rs, 0));
      } else if (newRs == null) {
        long revision = 1 + old.stream().mapToLong(rs -> parseLong(rs.annotation("deployment.kubernetes.io/revision"))).max().orElse(0);
        newRs = create(newReplicaSet(d, hash, desired, revision));
        if (newRs != null) {
          indexReplicaSet(newRs);
          ownerUids.add(newRs.uid());
        }
      } else if (number(newRs.json().path("spec"), "replicas", 1) != desired) {
        newRs = scale(newRs, desired);
      }
      if (!recreate && newRs != null && number(newRs.json().path("status"), "availableReplicas", 0) >= desired) {
        old.forEach(rs -> scale(rs, 0));
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
    SimState.Progress progress = state.progress.get(d.uid());
    if (progress == null || !progress.signature().equals(signature)) {
      progress = new SimState.Progress(signature, now);
      state.progress.put(d.uid(), progress);
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
          "Deployment has minimum availability.", now, true);
    } else {
      Shapes.condition(conditions, previous, "Available", "False", "MinimumReplicasUnavailable",
          "Deployment does not have minimum availability.", now, true);
    }
    if (paused) {
      Shapes.condition(conditions, previous, "Progressing", "Unknown", "DeploymentPaused",
          "Deployment is paused", now, true);
    } else if (complete) {
      Shapes.condition(conditions, previous, "Progressing", "True", "NewReplicaSetAvailable",
          "ReplicaSet \"" + rsName + "\" has successfully progressed.", now, true);
    } else if (!now.isBefore(progress.since().plus(deadline))) {
      Shapes.condition(conditions, previous, "Progressing", "False", "ProgressDeadlineExceeded",
          "ReplicaSet \"" + rsName + "\" has timed out progressing.", now, true);
    } else {
      Shapes.condition(conditions, previous, "Progressing", "True", "ReplicaSetUpdated",
          "ReplicaSet \"" + rsName + "\" is progressing.", now, true);
      upcoming(progress.since().plus(deadline));
    }
    writeStatus(d, status);
  }

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

  private Resource newReplicaSet(Resource d, String hash, long replicas, long revision) {
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

  // ---------------------------------------------------------------- ReplicaSet

  private void replicaSet(Resource rs) {
    JsonNode spec = rs.json().path("spec");
    long desired = number(spec, "replicas", 1);
    List<Resource> pods = new ArrayList<>(podsOf(rs));
    while (pods.size() < desired) {
      Resource pod = createPod(rs, spec.path("template"), generatedName(rs), Map.of(), null);
      if (pod == null) {
        break;
      }
      pods.add(pod);
    }
    if (pods.size() > desired) {
      pods.sort(Comparator.comparing((Resource p) -> Kubelet.isReady(p)).thenComparing(Resource::name, Comparator.reverseOrder()));
      List<Resource> surplus = new ArrayList<>(pods.subList(0, (int) (pods.size() - desired)));
      surplus.forEach(this::removePod);
      pods.removeAll(surplus);
    }
    Duration minReady = Duration.ofSeconds(number(spec, "minReadySeconds", 0));
    ObjectNode status = Json.object();
    status.put("replicas", pods.size());
    status.put("fullyLabeledReplicas", pods.size());
    status.put("readyReplicas", pods.stream().filter(Kubelet::isReady).count());
    status.put("availableReplicas", countAvailable(pods, minReady));
    status.put("observedGeneration", rs.generation());
    writeStatus(rs, status);
  }

  // ---------------------------------------------------------------- StatefulSet

  private void statefulSet(Resource sts) {
    JsonNode spec = sts.json().path("spec");
    long desired = number(spec, "replicas", 1);
    String revision = sts.name() + "-" + Shapes.hash(spec.path("template"), 10);
    boolean parallel = "Parallel".equals(text(spec, "podManagementPolicy"));
    boolean onDelete = "OnDelete".equals(text(spec.path("updateStrategy"), "type"));
    long partition = number(spec.path("updateStrategy").path("rollingUpdate"), "partition", 0);
    Map<Integer, Resource> byOrdinal = new HashMap<>();
    for (Resource pod : podsOf(sts)) {
      int ordinal = ordinal(sts.name(), pod.name());
      if (ordinal < 0 || ordinal >= desired) {
        removePod(pod);
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
        pod = createPod(sts, spec.path("template"), name, labels, null);
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
          removePod(pod);
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
    status.put("availableReplicas", countAvailable(pods, Duration.ofSeconds(number(spec, "minReadySeconds", 0))));
    status.put("currentReplicas", pods.stream().filter(p -> current.equals(p.label("controller-revision-hash"))).count());
    status.put("updatedReplicas", updated);
    status.put("currentRevision", current);
    status.put("updateRevision", revision);
    status.put("collisionCount", 0);
    writeStatus(sts, status);
  }

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

  // ---------------------------------------------------------------- DaemonSet

  private void daemonSet(Resource ds) {
    JsonNode spec = ds.json().path("spec");
    String revision = Shapes.hash(spec.path("template"), 10);
    boolean onDelete = "OnDelete".equals(text(spec.path("updateStrategy"), "type"));
    Map<String, Resource> byNode = new HashMap<>();
    for (Resource pod : podsOf(ds)) {
      String node = text(pod.json().path("spec"), "nodeName");
      if (!nodes.contains(node) || byNode.containsKey(node)) {
        removePod(pod);
      } else {
        byNode.put(node, pod);
      }
    }
    for (String node : nodes) {
      if (!byNode.containsKey(node)) {
        Map<String, String> labels = Map.of("controller-revision-hash", revision,
            "pod-template-generation", Long.toString(ds.generation()));
        Resource pod = createPod(ds, spec.path("template"), generatedName(ds), labels, node);
        if (pod != null) {
          byNode.put(node, pod);
        }
      }
    }
    Duration minReady = Duration.ofSeconds(number(spec, "minReadySeconds", 0));
    if (!onDelete && byNode.values().stream().allMatch(p -> Kubelet.isAvailable(p, minReady, now))) {
      // Rolling update with maxUnavailable 1: replace one old pod when all others are available.
      byNode.entrySet().stream()
          .filter(e -> !revision.equals(e.getValue().label("controller-revision-hash")))
          .min(Map.Entry.comparingByKey())
          .ifPresent(e -> {
            removePod(e.getValue());
            byNode.remove(e.getKey());
          });
    }
    List<Resource> pods = new ArrayList<>(byNode.values());
    long available = countAvailable(pods, minReady);
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
    writeStatus(ds, status);
  }

  // ---------------------------------------------------------------- Job

  private void job(Resource job) {
    JsonNode spec = job.json().path("spec");
    JsonNode before = job.json().path("status");
    JsonNode previous = before.path("conditions");
    if (isTrue(previous, "Complete") || isTrue(previous, "Failed")) {
      return; // finished jobs never change again
    }
    long completions = number(spec, "completions", 1);
    long parallelism = number(spec, "parallelism", 1);
    long backoffLimit = number(spec, "backoffLimit", 6);
    boolean suspend = spec.path("suspend").asBoolean(false);
    List<Resource> pods = new ArrayList<>(podsOf(job));
    long succeeded = pods.stream().filter(p -> "Succeeded".equals(Kubelet.phase(p))).count();
    long failed = pods.stream().filter(p -> "Failed".equals(Kubelet.phase(p))).count();
    List<Resource> active = new ArrayList<>(pods.stream().filter(p -> !isTerminal(p)).toList());

    ObjectNode status = Json.object();
    ArrayNode conditions = status.putArray("conditions");
    String startTime = text(before, "startTime");
    if (suspend) {
      active.forEach(this::removePod);
      active.clear();
      Shapes.condition(conditions, previous, "Suspended", "True", "JobSuspended", "Job suspended", now, true);
    } else {
      if (Shapes.find(previous, "Suspended") != null) {
        Shapes.condition(conditions, previous, "Suspended", "False", "JobResumed", "Job resumed", now, true);
      }
      if (startTime.isEmpty()) {
        startTime = time(now);
      }
      if (failed > backoffLimit) {
        active.forEach(this::removePod);
        active.clear();
        Shapes.condition(conditions, previous, "Failed", "True", "BackoffLimitExceeded",
            "Job has reached the specified backoff limit", now, true);
      } else if (succeeded >= completions) {
        Shapes.condition(conditions, previous, "Complete", "True", "CompletionsReached",
            "Reached expected number of succeeded pods", now, true);
        status.put("completionTime", time(now));
      } else {
        long want = Math.min(parallelism, completions - succeeded) - active.size();
        for (long i = 0; i < want; i++) {
          Map<String, String> labels = Map.of("job-name", job.name(), "batch.kubernetes.io/job-name", job.name(),
              "controller-uid", job.uid(), "batch.kubernetes.io/controller-uid", job.uid());
          Resource pod = createPod(job, spec.path("template"), generatedName(job), labels, null);
          if (pod != null) {
            active.add(pod);
          }
        }
      }
    }
    if (!startTime.isEmpty()) {
      status.put("startTime", startTime);
    }
    if (!active.isEmpty()) {
      status.put("active", active.size());
      status.put("ready", active.stream().filter(Kubelet::isReady).count());
    }
    if (succeeded > 0) {
      status.put("succeeded", succeeded);
    }
    if (failed > 0) {
      status.put("failed", failed);
    }
    if (conditions.isEmpty()) {
      status.remove("conditions");
    }
    writeStatus(job, status);
  }

  private static boolean isTrue(JsonNode conditions, String type) {
    JsonNode c = Shapes.find(conditions, type);
    return c != null && "True".equals(text(c, "status"));
  }

  private static boolean isTerminal(Resource pod) {
    String phase = Kubelet.phase(pod);
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  // ---------------------------------------------------------------- infrastructure

  private void service(Resource svc) {
    if ("LoadBalancer".equals(text(svc.json().path("spec"), "type"))) {
      loadBalancer(svc);
    }
  }

  private void ingress(Resource ing) {
    loadBalancer(ing);
  }

  private void loadBalancer(Resource r) {
    if (!r.json().path("status").path("loadBalancer").path("ingress").isEmpty()) {
      return;
    }
    Instant due = firstSeen(r).plus(timings.provisioning());
    if (now.isBefore(due)) {
      upcoming(due);
      return;
    }
    ObjectNode status = r.json().path("status").isObject() ? (ObjectNode) r.json().get("status").deepCopy() : Json.object();
    status.putObject("loadBalancer").putArray("ingress").addObject()
        .put("ip", "192.0.2." + (Math.floorMod(Objects.hashCode(r.uid()), 250) + 1));
    writeStatus(r, status);
  }

  private void persistentVolumeClaim(Resource pvc) {
    String phase = text(pvc.json().path("status"), "phase");
    if (!phase.isEmpty() && !"Pending".equals(phase)) {
      return;
    }
    JsonNode spec = pvc.json().path("spec");
    ObjectNode status = Json.object();
    Instant due = firstSeen(pvc).plus(timings.provisioning());
    if (now.isBefore(due)) {
      upcoming(due);
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
    writeStatus(pvc, status);
  }

  private void namespace(Resource ns) {
    if (text(ns.json().path("status"), "phase").isEmpty()) {
      ObjectNode status = Json.object();
      status.put("phase", "Active");
      writeStatus(ns, status);
    }
  }

  private void customResourceDefinition(Resource crd) {
    JsonNode spec = crd.json().path("spec");
    JsonNode previous = crd.json().path("status").path("conditions");
    ObjectNode status = Json.object();
    ArrayNode conditions = status.putArray("conditions");
    Shapes.condition(conditions, previous, "NamesAccepted", "True", "NoConflicts", "no conflicts found", now, false);
    Shapes.condition(conditions, previous, "Established", "True", "InitialNamesAccepted",
        "the initial names have been accepted", now, false);
    status.set("acceptedNames", spec.path("names").isObject() ? spec.get("names").deepCopy() : Json.object());
    ArrayNode stored = status.putArray("storedVersions");
    for (JsonNode v : spec.path("versions")) {
      if (v.path("storage").asBoolean(false)) {
        stored.add(text(v, "name"));
      }
    }
    writeStatus(crd, status);
  }

  private void apiService(Resource api) {
    JsonNode previous = api.json().path("status").path("conditions");
    boolean local = !api.json().path("spec").path("service").isObject();
    ObjectNode status = Json.object();
    Shapes.condition(status.putArray("conditions"), previous, "Available", "True", local ? "Local" : "Passed",
        local ? "Local APIServices are always available" : "all checks passed", now, false);
    writeStatus(api, status);
  }

  private void horizontalPodAutoscaler(Resource listed) {
    Resource hpa = listed;
    if ("autoscaling/v1".equals(listed.apiVersion())) {
      // A server that serves both versions answers in its preferred one: ask for v2, as the HPA
      // controller works in it. A store that keeps objects as written returns v1 again.
      hpa = driver.get(listed.key(driver.name()), "autoscaling/v2").orElse(listed);
    }
    if ("autoscaling/v1".equals(hpa.apiVersion())) {
      return; // v1 keeps conditions in an annotation, which is not status; see docs/health.md
    }
    JsonNode spec = hpa.json().path("spec");
    JsonNode target = spec.path("scaleTargetRef");
    long current = find(ResourceKey.of(driver.name(), Resource.groupOf(text(target, "apiVersion")),
            text(target, "kind"), hpa.namespace(), text(target, "name")))
        .map(t -> number(t.json().path("spec"), "replicas", 1)).orElse(0L);
    long min = number(spec, "minReplicas", 1);
    long max = number(spec, "maxReplicas", Math.max(min, current));
    long desired = Math.max(min, Math.min(max, current));
    JsonNode previous = hpa.json().path("status").path("conditions");
    ObjectNode status = Json.object();
    status.put("currentReplicas", current);
    status.put("desiredReplicas", desired);
    ArrayNode conditions = status.putArray("conditions");
    Shapes.condition(conditions, previous, "AbleToScale", "True", "SucceededGetScale",
        "the HPA controller was able to get the target's current scale", now, false);
    Shapes.condition(conditions, previous, "ScalingActive", "True", "ValidMetricFound",
        "the HPA was able to successfully calculate a replica count", now, false);
    Shapes.condition(conditions, previous, "ScalingLimited", "False", "DesiredWithinRange",
        "the desired count is within the acceptable range", now, false);
    writeStatus(hpa, status);
  }

  // ---------------------------------------------------------------- kubelet and garbage collection

  private void kubelet(Resource pod) {
    Instant born = firstSeen(pod);
    Map<String, Fault> faults = state.podFaults.computeIfAbsent(pod.uid(), uid -> faultsOf(pod));
    Kubelet.PodState s = Kubelet.status(pod, born, faults, now, timings);
    if (s.next() != null) {
      upcoming(s.next());
    }
    writeStatus(pod, s.status());
  }

  private Map<String, Fault> faultsOf(Resource pod) {
    Fault byResource = resourceFault(pod);
    Map<String, Fault> out = new HashMap<>();
    for (JsonNode c : pod.json().path("spec").path("containers")) {
      Fault f = state.imageFaults.getOrDefault(text(c, "image"), byResource);
      if (f != null) {
        out.put(text(c, "name"), f);
      }
    }
    return Map.copyOf(out);
  }

  /** The fault scripted for the pod itself or for its controller, its controller's controller... */
  private Fault resourceFault(Resource pod) {
    Resource current = pod;
    for (int depth = 0; depth < 4 && current != null; depth++) {
      Fault f = state.resourceFaults.get(current.key(""));
      if (f != null) {
        return f;
      }
      JsonNode ref = Shapes.controllerRef(current);
      if (ref == null) {
        return null;
      }
      ResourceKey owner = ResourceKey.of(driver.name(), Resource.groupOf(text(ref, "apiVersion")), text(ref, "kind"),
          current.namespace(), text(ref, "name"));
      current = find(owner).orElse(null);
    }
    return null;
  }

  private void collectGarbage() {
    for (Resource pod : new ArrayList<>(podsByName.values())) {
      JsonNode ref = Shapes.controllerRef(pod);
      if (ref != null && CONTROLLER_KINDS.contains(text(ref, "kind")) && !ownerUids.contains(text(ref, "uid"))) {
        removePod(pod);
      }
    }
    for (List<Resource> sets : new ArrayList<>(replicaSetsByOwner.values())) {
      for (Resource rs : sets) {
        JsonNode ref = Shapes.controllerRef(rs);
        if (ref != null && "Deployment".equals(text(ref, "kind")) && !ownerUids.contains(text(ref, "uid"))) {
          delete(rs);
        }
      }
    }
  }

  // ---------------------------------------------------------------- pods and writes

  private List<Resource> podsOf(Resource owner) {
    return List.copyOf(podsByOwner.getOrDefault(owner.uid(), List.of()));
  }

  private Resource createPod(Resource owner, JsonNode template, String name, Map<String, String> extraLabels,
      String nodeName) {
    ObjectNode pod = Json.object();
    pod.put("apiVersion", "v1");
    pod.put("kind", "Pod");
    ObjectNode meta = pod.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", owner.namespace());
    ObjectNode labels = meta.putObject("labels");
    JsonNode templateLabels = template.path("metadata").path("labels");
    if (templateLabels.isObject()) {
      labels.setAll((ObjectNode) templateLabels.deepCopy());
    }
    Shapes.putAll(labels, extraLabels);
    JsonNode annotations = template.path("metadata").path("annotations");
    if (annotations.isObject()) {
      meta.set("annotations", annotations.deepCopy());
    }
    meta.putArray("ownerReferences").add(Shapes.ownerReference(owner));
    ObjectNode spec = template.path("spec").isObject() ? (ObjectNode) template.get("spec").deepCopy() : Json.object();
    if (JOB.equals(owner.groupKind()) && !spec.has("restartPolicy")) {
      spec.put("restartPolicy", "Never");
    }
    spec.put("nodeName", nodeName != null ? nodeName : nodes.get(Math.floorMod(name.hashCode(), nodes.size())));
    pod.set("spec", spec);
    Resource created = create(Resource.of(pod));
    if (created != null) {
      indexPod(created);
    }
    return created;
  }

  /** {@code <owner>-<5 chars>}, deterministic and unused in the namespace. */
  private String generatedName(Resource owner) {
    for (int seq = 0; ; seq++) {
      String name = owner.name() + "-" + Shapes.hash(owner.uid() + "/" + seq, 5);
      if (!podsByName.containsKey(owner.namespace() + "/" + name)) {
        return name;
      }
    }
  }

  private void indexPod(Resource pod) {
    podsByName.put(pod.namespace() + "/" + pod.name(), pod);
    liveUids.add(pod.uid());
    String owner = Shapes.controllerUid(pod);
    if (owner != null) {
      podsByOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(pod);
    }
  }

  private void indexReplicaSet(Resource rs) {
    String owner = Shapes.controllerUid(rs);
    if (owner != null) {
      replicaSetsByOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(rs);
    }
  }

  private void removePod(Resource pod) {
    if (podsByName.remove(pod.namespace() + "/" + pod.name()) == null) {
      return;
    }
    String owner = Shapes.controllerUid(pod);
    if (owner != null) {
      podsByOwner.getOrDefault(owner, new ArrayList<>()).removeIf(p -> p.name().equals(pod.name()));
    }
    delete(pod);
  }

  private long countAvailable(List<Resource> pods, Duration minReady) {
    long count = 0;
    for (Resource p : pods) {
      if (Kubelet.isAvailable(p, minReady, now)) {
        count++;
      } else if (Kubelet.isReady(p)) {
        JsonNode ready = Shapes.find(p.json().path("status").path("conditions"), "Ready");
        upcoming(Shapes.parseTime(text(ready, "lastTransitionTime"), now).plus(minReady));
      }
    }
    return count;
  }

  private Instant firstSeen(Resource r) {
    liveUids.add(r.uid());
    return state.firstSeen.computeIfAbsent(r.uid(), uid -> now);
  }

  private void upcoming(Instant at) {
    if (at.isAfter(now) && (next == null || at.isBefore(next))) {
      next = at;
    }
  }

  /** Every kind a pass reads, which is also what {@link WorkloadSimulator#start()} watches. */
  static List<GroupKind> kinds(boolean infrastructure) {
    List<GroupKind> out = new ArrayList<>(List.of(POD, REPLICA_SET, DEPLOYMENT, STATEFUL_SET, DAEMON_SET, JOB));
    if (infrastructure) {
      out.addAll(List.of(SERVICE, INGRESS, PVC, NAMESPACE, CRD, API_SERVICE, HPA));
    }
    return out;
  }

  private List<Resource> list(GroupKind kind) {
    List<Resource> out;
    try {
      out = driver.list(kind, null, Map.of());
    } catch (ClusterException e) {
      // A real API server may not serve every kind (no APIService API, say): nothing to play.
      LOG.debug("simulator could not list {} on {}: {}", kind, driver.name(), e.getMessage());
      return List.of();
    }
    out.forEach(r -> liveUids.add(r.uid()));
    return out;
  }

  private Optional<Resource> find(ResourceKey key) {
    try {
      return driver.get(key);
    } catch (ClusterException e) {
      LOG.debug("simulator could not read {} on {}: {}", key, driver.name(), e.getMessage());
      return Optional.empty();
    }
  }

  private Resource create(Resource r) {
    try {
      writes++;
      return driver.apply(r);
    } catch (ClusterException e) {
      LOG.debug("simulator could not create {} on {}: {}", r, driver.name(), e.getMessage());
      return null;
    }
  }

  private Resource scale(Resource r, long replicas) {
    if (number(r.json().path("spec"), "replicas", 1) == replicas) {
      return r;
    }
    try {
      writes++;
      return driver.apply(r.edit(t -> {
        ((ObjectNode) t.get("spec")).put("replicas", replicas);
        t.remove("status");
      }));
    } catch (ClusterException e) {
      LOG.debug("simulator could not scale {} on {}: {}", r, driver.name(), e.getMessage());
      return r;
    }
  }

  private void writeStatus(Resource live, ObjectNode status) {
    // Round-trip both through text so numbers have the same node types (IntNode, not LongNode)
    // whichever way the live object was read (a driver converting fabric8 objects may yield
    // LongNodes): otherwise an unchanged status would never compare equal and be rewritten forever.
    String text = Json.writeJson(status);
    JsonNode normalized = Json.readJson(text);
    JsonNode current = live.json().get("status");
    if (current != null && normalized.equals(Json.readJson(Json.writeJson(current)))) {
      return;
    }
    if (live.uid() != null && text.equals(state.statusNotKept.get(live.uid()))) {
      return; // written before and not kept by this server: writing it again changes nothing
    }
    try {
      Resource stored = driver.updateStatus(live.edit(t -> t.set("status", normalized)));
      writes++;
      JsonNode kept = stored == null ? null : stored.json().get("status");
      if (live.uid() != null && (kept == null || !normalized.equals(Json.readJson(Json.writeJson(kept))))) {
        state.statusNotKept.put(live.uid(), text);
      }
    } catch (ClusterException e) {
      // Not counted as a write, so a failure cannot keep a pass from settling; a server without
      // this status subresource (kubernetes-mock-server for Namespaces) is not asked again.
      if (e.reason() == ClusterException.Reason.NOT_FOUND && live.uid() != null) {
        state.statusNotKept.put(live.uid(), text);
      }
      LOG.debug("simulator could not write the status of {} on {}: {}", live, driver.name(), e.getMessage());
    }
  }

  private void delete(Resource r) {
    try {
      writes++;
      driver.delete(r.key(driver.name()));
    } catch (ClusterException e) {
      LOG.debug("simulator could not delete {} on {}: {}", r, driver.name(), e.getMessage());
    }
  }

  private static long parseLong(String s) {
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
