package io.orchestrationplane.testkit.simulator;

import static io.orchestrationplane.testkit.simulator.Shapes.number;
import static io.orchestrationplane.testkit.simulator.Shapes.text;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One reconciliation pass of every simulated controller at one instant, and what they share while
 * it runs: the pods and ReplicaSets of the cluster indexed by owner (read once, kept up to date
 * as controllers create and remove them), the objects seen, the writes made and the next instant
 * at which something will change by itself. Controllers step in the order given: the workload
 * controllers of kube-controller-manager, then the infrastructure ones (load balancers, volume
 * binding, CRD establishment...), then the kubelet, then garbage collection.
 *
 * <p>Controllers read and write only through here. A failed list, find or write is logged at
 * debug level and skipped, for the next pass to try again; a failed status write is not counted
 * as a write, so it cannot keep the simulation from settling.
 */
final class Pass {
  /** The kinds a pass reads and indexes before any controller steps. */
  private static final List<GroupKind> INDEXED = List.of(Kubelet.KIND, ReplicaSetController.KIND);
  private static final Logger LOG = LoggerFactory.getLogger(Pass.class);

  private final ClusterDriver driver;
  private final SimState state;
  private final Timings timings;
  private final List<String> nodes;
  private final Instant now;
  private int writes;
  private @Nullable Instant next;

  private final Map<String, List<Resource>> podsByOwner = new HashMap<>();
  private final Map<String, Resource> podsByName = new LinkedHashMap<>();
  private final Map<String, List<Resource>> replicaSetsByOwner = new HashMap<>();
  /** The uid of every object read or created in this pass. */
  private final Set<String> seenUids = new HashSet<>();

  Pass(ClusterDriver driver, SimState state, Timings timings, List<String> nodes, Instant now) {
    this.driver = driver;
    this.state = state;
    this.timings = timings;
    this.nodes = nodes;
    this.now = now;
  }

  /** Every kind a pass over {@code controllers} reads: what {@link WorkloadSimulator#start()} watches. */
  static List<GroupKind> kinds(List<SimulatedController> controllers) {
    Set<GroupKind> out = new LinkedHashSet<>(INDEXED);
    controllers.forEach(c -> out.addAll(c.kinds()));
    return List.copyOf(out);
  }

  void run(List<SimulatedController> controllers) {
    for (Resource pod : list(Kubelet.KIND)) {
      index(pod);
    }
    for (Resource rs : list(ReplicaSetController.KIND)) {
      index(rs);
    }
    for (SimulatedController controller : controllers) {
      controller.step(this);
    }
    state.retain(seenUids);
  }

  int writes() {
    return writes;
  }

  Optional<Instant> next() {
    return Optional.ofNullable(next);
  }

  // ---------------------------------------------------------------- what controllers share

  Instant now() {
    return now;
  }

  Timings timings() {
    return timings;
  }

  /** The simulated nodes' names, in order. */
  List<String> nodes() {
    return nodes;
  }

  /** What the simulator remembers between passes. */
  SimState state() {
    return state;
  }

  /** The name of the cluster, for the keys of objects to read. */
  String cluster() {
    return driver.name();
  }

  /** Notes that something will change by itself at {@code at}, if that is later than now. */
  void upcoming(Instant at) {
    if (at.isAfter(now) && (next == null || at.isBefore(next))) {
      next = at;
    }
  }

  /** When the simulator first saw the object: the origin of its timeline. */
  Instant firstSeen(Resource r) {
    seenUids.add(r.uid());
    return state.firstSeen.computeIfAbsent(r.uid(), uid -> now);
  }

  /** True when an object of this uid was read or created in this pass, so it exists. */
  boolean exists(String uid) {
    return seenUids.contains(uid);
  }

  // ---------------------------------------------------------------- pods and ReplicaSets by owner

  /** Every pod, in the order read or created, as of now. */
  List<Resource> pods() {
    return List.copyOf(podsByName.values());
  }

  /** The pods whose controller is {@code owner}. */
  List<Resource> podsOf(Resource owner) {
    return List.copyOf(podsByOwner.getOrDefault(owner.uid(), List.of()));
  }

  /** The ReplicaSets whose controller is {@code owner}. */
  List<Resource> replicaSetsOf(Resource owner) {
    return List.copyOf(replicaSetsByOwner.getOrDefault(owner.uid(), List.of()));
  }

  /** Every ReplicaSet that has a controller. */
  List<Resource> ownedReplicaSets() {
    List<Resource> out = new ArrayList<>();
    replicaSetsByOwner.values().forEach(out::addAll);
    return out;
  }

  /**
   * Creates a pod from {@code template} for {@code owner}: its labels and annotations, the extra
   * labels, a controller reference to the owner, on {@code nodeName} or a node chosen by name.
   * Returns the stored pod, or null if it could not be created.
   */
  Resource createPod(Resource owner, @Nullable JsonNode template, String name, Map<String, String> extraLabels,
      @Nullable String nodeName) {
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
    spec.put("nodeName", nodeName != null ? nodeName : nodes.get(Math.floorMod(name.hashCode(), nodes.size())));
    pod.set("spec", spec);
    return create(Resource.of(pod));
  }

  /** {@code <owner>-<5 chars>}, deterministic and unused in the namespace, as {@code generateName} gives. */
  String generatedName(Resource owner) {
    for (int seq = 0; ; seq++) {
      String name = owner.name() + "-" + Shapes.hash(owner.uid() + "/" + seq, 5);
      if (!podsByName.containsKey(owner.namespace() + "/" + name)) {
        return name;
      }
    }
  }

  /** Deletes the pod, unless this pass already did. */
  void removePod(Resource pod) {
    if (podsByName.remove(pod.namespace() + "/" + pod.name()) == null) {
      return;
    }
    String owner = Shapes.controllerUid(pod);
    if (owner != null) {
      podsByOwner.getOrDefault(owner, new ArrayList<>()).removeIf(p -> p.name().equals(pod.name()));
    }
    delete(pod);
  }

  /**
   * How many of the pods have been ready for {@code minReady}; a pod ready for less makes its
   * minReady mark {@link #upcoming}.
   */
  long countAvailable(List<Resource> pods, Duration minReady) {
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

  private void index(Resource r) {
    seenUids.add(r.uid());
    GroupKind kind = r.groupKind();
    if (Kubelet.KIND.equals(kind)) {
      podsByName.put(r.namespace() + "/" + r.name(), r);
      String owner = Shapes.controllerUid(r);
      if (owner != null) {
        podsByOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(r);
      }
    } else if (ReplicaSetController.KIND.equals(kind)) {
      String owner = Shapes.controllerUid(r);
      if (owner != null) {
        replicaSetsByOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(r);
      }
    }
  }

  // ---------------------------------------------------------------- reads and writes

  /** Every object of the kind; none when the server does not serve it or the read fails. */
  List<Resource> list(GroupKind kind) {
    List<Resource> out;
    try {
      out = driver.list(kind, null, Map.of());
    } catch (ClusterException e) {
      // A real API server may not serve every kind (no APIService API, say): nothing to play.
      LOG.debug("simulator could not list {} on {}: {}", kind, driver.name(), e.getMessage());
      return List.of();
    }
    out.forEach(r -> seenUids.add(r.uid()));
    return out;
  }

  /** The object, or empty when it does not exist or the read fails. */
  Optional<Resource> find(ResourceKey key) {
    try {
      return driver.get(key);
    } catch (ClusterException e) {
      LOG.debug("simulator could not read {} on {}: {}", key, driver.name(), e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The object in {@code apiVersion}, as a controller working in that version reads it; unlike
   * {@link #find}, a failed read fails the pass (the simulator's caller retries it).
   */
  Optional<Resource> read(ResourceKey key, String apiVersion) {
    return driver.get(key, apiVersion);
  }

  /** Creates (applies) the object and indexes it; returns what was stored, or null on failure. */
  @Nullable Resource create(Resource r) {
    try {
      writes++;
      Resource created = driver.apply(r);
      if (created != null) {
        index(created);
      }
      return created;
    } catch (ClusterException e) {
      LOG.debug("simulator could not create {} on {}: {}", r, driver.name(), e.getMessage());
      return null;
    }
  }

  /** Sets {@code spec.replicas}, unless it already has that value; returns the object as it now is. */
  Resource scale(Resource r, long replicas) {
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

  /**
   * Writes the status through the status subresource, unless it is what the object already has,
   * or what this server did not keep when it was written before.
   */
  void writeStatus(Resource live, ObjectNode status) {
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

  void delete(Resource r) {
    try {
      writes++;
      driver.delete(r.key(driver.name()));
    } catch (ClusterException e) {
      LOG.debug("simulator could not delete {} on {}: {}", r, driver.name(), e.getMessage());
    }
  }
}
