package io.orchestrationplane.core.plan;

import io.orchestrationplane.core.ContentHash;
import io.orchestrationplane.core.GroupKind;
import io.orchestrationplane.core.Kinds;
import io.orchestrationplane.core.Ownership;
import io.orchestrationplane.core.Resource;
import io.orchestrationplane.core.ResourceKey;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.spi.ClusterDriver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * Compares desired resources with live ones and produces a {@link Plan}. Only fields the plane
 * sets count: {@code status}, server-managed metadata (uid, resourceVersion, generation,
 * creationTimestamp, managedFields) and any field the live side added (server defaults, other
 * controllers) never count as drift. Live objects that carry this application's ownership labels
 * and are no longer desired become DELETEs; nothing else is ever deleted. Thread-safe.
 */
public final class Planner {
  private static final Set<String> SERVER_METADATA = Set.of("uid", "resourceVersion", "generation",
      "creationTimestamp", "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink");

  private static final String HASH_PATH = "metadata.annotations['" + Ownership.CONTENT_HASH_ANNOTATION + "']";

  private final Kinds kinds;
  /**
   * The last comparison per object. The same desired object (the plane reuses rendered objects
   * while an application is unchanged) against the same live resourceVersion gives the same
   * differences, so a resync of a converged application compares nothing again.
   */
  private final Map<ResourceKey, Compared> compared = new ConcurrentHashMap<>();

  private record Compared(Resource desired, String liveVersion, List<FieldDiff> diffs) {}

  /**
   * The last plan per application. Resources are immutable, so the same inputs (compared by
   * identity: the rendered targets, the clusters, and the very objects each cluster listed)
   * give the same plan. Only plans that read nothing outside the listing are kept.
   */
  private final Map<String, LastPlan> lastPlans = new ConcurrentHashMap<>();

  private record LastPlan(List<Target> targets, List<ClusterDriver> clustersGiven, Set<GroupKind> managedKinds,
      Map<String, Integer> componentOrder, List<ClusterDriver> scanned, Set<GroupKind> kinds,
      Map<String, String> selector, List<List<Resource>> listed, Plan plan) {

    /** Planned from the same rendered targets, clusters, kinds and component order. */
    boolean sameInputs(List<Target> t, List<ClusterDriver> c, Set<GroupKind> k, Map<String, Integer> order) {
      return targets == t && managedKinds == k && componentOrder == order && same(clustersGiven, c);
    }

    /** Each cluster listed the very objects it listed last time. */
    boolean sameListing(List<List<Resource>> l) {
      for (int i = 0; i < l.size(); i++) {
        List<Resource> before = listed.get(i);
        if (before == null || !same(before, l.get(i))) {
          return false;
        }
      }
      return true;
    }

    private static boolean same(List<?> a, List<?> b) {
      if (b == null || a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i) != b.get(i)) {
          return false;
        }
      }
      return true;
    }
  }

  public Planner(Kinds kinds) {
    this.kinds = Objects.requireNonNull(kinds, "kinds");
  }

  /**
   * The desired resources of one environment on one cluster.
   *
   * @param environment the environment name
   * @param cluster the cluster to plan against
   * @param resources the rendered resources
   */
  public record Target(String environment, ClusterDriver cluster, List<Resource> resources) {
    public Target {
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(cluster, "cluster");
      resources = List.copyOf(resources);
    }
  }

  /**
   * Plans one application.
   *
   * @param applicationId the ownership label value, {@code <namespace>.<name>}
   * @param targets what each environment wants on each cluster
   * @param clusters every cluster to look for leftovers on (those named in targets included)
   * @param managedKinds kinds to search for leftovers besides the desired ones
   * @param componentOrder rank of each component in dependency order (0 first)
   */
  public Plan plan(String applicationId, List<Target> targets, List<ClusterDriver> clusters,
      Set<GroupKind> managedKinds, Map<String, Integer> componentOrder) {
    List<Change> changes = new ArrayList<>();
    List<PlanProblem> problems = new ArrayList<>();
    LastPlan last = lastPlans.get(applicationId);
    List<ClusterDriver> scanned;
    Set<GroupKind> kindsToScan;
    if (last != null && last.sameInputs(targets, clusters, managedKinds, componentOrder)) {
      scanned = last.scanned();
      kindsToScan = last.kinds();
    } else {
      last = null;
      Map<String, ClusterDriver> byName = new LinkedHashMap<>();
      clusters.forEach(c -> byName.put(c.name(), c));
      targets.forEach(t -> byName.putIfAbsent(t.cluster().name(), t.cluster()));
      scanned = List.copyOf(byName.values());
      kindsToScan = kindsToScan(targets, managedKinds);
    }

    // Read every cluster first: when each returns the very objects the last plan was made from,
    // that plan is still the answer (a resync of a converged application compares nothing).
    List<List<Resource>> listed = new ArrayList<>(scanned.size());
    Map<String, String> selector = last != null ? last.selector() : Map.of(Ownership.MANAGED_BY_LABEL,
        Ownership.MANAGER, Ownership.APPLICATION_LABEL, applicationId);
    for (ClusterDriver cluster : scanned) {
      try {
        listed.add(cluster.list(kindsToScan, null, selector));
      } catch (ClusterException e) {
        listed.add(null);
        problems.add(unreachable(cluster.name(), e));
      }
    }
    if (last != null && last.sameListing(listed)) {
      return last.plan();
    }

    boolean reusable = problems.isEmpty();
    for (int i = 0; i < scanned.size(); i++) {
      ClusterDriver cluster = scanned.get(i);
      if (listed.get(i) == null) {
        continue;
      }
      String name = cluster.name();
      Map<ResourceKey, Resource> owned = owned(cluster, listed.get(i));
      Set<ResourceKey> desiredHere = new LinkedHashSet<>();
      try {
        for (Target t : targets) {
          if (t.cluster() != cluster) {
            continue;
          }
          for (Resource desired : t.resources()) {
            ResourceKey key = desired.key(name);
            desiredHere.add(key);
            Resource live = owned.get(key);
            if (live == null) {
              reusable = false; // read outside the listing: a later listing cannot vouch for it
              live = cluster.get(key).orElse(null);
            }
            Change change = compare(applicationId, t.environment(), key, desired, live, componentOrder, problems);
            if (change != null) {
              changes.add(change);
            }
          }
        }
      } catch (ClusterException e) {
        changes.removeIf(c -> c.key().cluster().equals(name));
        problems.add(unreachable(name, e));
        reusable = false;
        continue;
      }
      for (Map.Entry<ResourceKey, Resource> e : owned.entrySet()) {
        if (!desiredHere.contains(e.getKey())) {
          Resource live = e.getValue();
          compared.remove(e.getKey());
          changes.add(new Change(Change.Type.DELETE, e.getKey(), live.label(Ownership.ENVIRONMENT_LABEL),
              live.label(Ownership.COMPONENT_LABEL), null, live.resourceVersion(), List.of(),
              wave(live, componentOrder), live));
        }
      }
    }
    Plan plan = new Plan(applicationId, order(changes), problems);
    if (reusable && problems.isEmpty() && !targets.isEmpty()) {
      lastPlans.put(applicationId, new LastPlan(targets, List.copyOf(clusters), managedKinds, componentOrder, scanned,
          kindsToScan, selector, listed, plan));
    } else {
      lastPlans.remove(applicationId);
    }
    return plan;
  }

  /** The managed kinds plus any desired kind missing from them (copied only then). */
  private static Set<GroupKind> kindsToScan(List<Target> targets, Set<GroupKind> managedKinds) {
    Set<GroupKind> kinds = managedKinds;
    for (Target t : targets) {
      for (Resource r : t.resources()) {
        if (!kinds.contains(r.groupKind())) {
          if (kinds == managedKinds) {
            kinds = new LinkedHashSet<>(managedKinds);
          }
          kinds.add(r.groupKind());
        }
      }
    }
    return kinds;
  }

  private static PlanProblem unreachable(String cluster, ClusterException e) {
    return new PlanProblem(cluster, "", "cluster unreachable, nothing planned there ("
        + e.reason() + ": " + e.getMessage() + ")");
  }

  private List<FieldDiff> memoizedDiff(ResourceKey key, Resource desired, Resource live) {
    String version = live.resourceVersion();
    Compared last = compared.get(key);
    if (last != null && last.desired() == desired && version != null && version.equals(last.liveVersion())) {
      return last.diffs();
    }
    List<FieldDiff> diffs = diff(desired, live);
    if (version != null) {
      compared.put(key, new Compared(desired, version, diffs));
    }
    return diffs;
  }

  /** The field-level differences that matter between a desired and a live object. */
  public static List<FieldDiff> diff(Resource desired, Resource live) {
    List<FieldDiff> out = new ArrayList<>();
    boolean secret = desired.kind().equals("Secret") && desired.group().isEmpty();
    JsonNode d = desired.json();
    JsonNode l = live.json();
    FieldPath path = new FieldPath();
    for (Map.Entry<String, JsonNode> e : d.properties()) {
      String field = e.getKey();
      if (field.equals("status")) {
        continue;
      }
      path.push(field);
      if (field.equals("metadata")) {
        for (Map.Entry<String, JsonNode> m : e.getValue().properties()) {
          String key = m.getKey();
          if (SERVER_METADATA.contains(key)) {
            continue;
          }
          path.push(key);
          if (key.equals("annotations")) {
            annotations(path, m.getValue(), l.path("metadata").get(key), out);
          } else {
            compare(path, m.getValue(), l.path("metadata").get(key), out, false);
          }
          path.pop();
        }
      } else {
        boolean sensitive = secret && (field.equals("data") || field.equals("stringData"));
        compare(path, e.getValue(), l.get(field), out, sensitive);
      }
      path.pop();
    }
    if (out.isEmpty()) {
      // Every desired field matches, yet the content differs: the desired state dropped fields
      // that the last apply set. The hash annotation is the one field that shows it.
      String want = desired.annotation(Ownership.CONTENT_HASH_ANNOTATION);
      String have = live.annotation(Ownership.CONTENT_HASH_ANNOTATION);
      if (want != null && !want.equals(have)) {
        out.add(new FieldDiff(HASH_PATH, have == null ? null : StringNode.valueOf(have), StringNode.valueOf(want)));
      }
    }
    return out;
  }

  // The content hash is compared last, and only when no other field differs: next to real
  // differences it is noise.
  private static void annotations(FieldPath path, JsonNode desired, JsonNode live, List<FieldDiff> out) {
    for (Map.Entry<String, JsonNode> a : desired.properties()) {
      if (!a.getKey().equals(Ownership.CONTENT_HASH_ANNOTATION)) {
        path.push(a.getKey());
        compare(path, a.getValue(), live == null ? null : live.get(a.getKey()), out, false);
        path.pop();
      }
    }
  }

  private Change compare(String applicationId, String environment, ResourceKey key, Resource desired, Resource live,
      Map<String, Integer> componentOrder, List<PlanProblem> problems) {
    String component = desired.label(Ownership.COMPONENT_LABEL);
    int wave = wave(desired, componentOrder);
    if (live == null) {
      compared.remove(key);
      return new Change(Change.Type.CREATE, key, environment, component, desired, null, List.of(), wave, null);
    }
    String owner = Ownership.owner(live);
    if (!applicationId.equals(owner)) {
      problems.add(new PlanProblem(key.cluster(), key.display(), owner == null
          ? "exists and is not managed by the plane; delete it, or label it "
              + Ownership.MANAGED_BY_LABEL + "=" + Ownership.MANAGER + " and " + Ownership.APPLICATION_LABEL
              + "=" + applicationId + " to adopt it"
          : "belongs to application " + owner + "; rename the component or remove it there first"));
      return null;
    }
    List<FieldDiff> diffs = memoizedDiff(key, desired, live);
    return new Change(diffs.isEmpty() ? Change.Type.UNCHANGED : Change.Type.UPDATE, key, environment, component,
        desired, live.resourceVersion(), diffs, wave, live);
  }

  // Walks the desired tree only; the path is rendered to text only when a difference is found.
  private static void compare(FieldPath path, JsonNode desired, JsonNode live, List<FieldDiff> out, boolean sensitive) {
    if (desired == null || desired.isNull()) {
      return;
    }
    if (live == null || live.isNull() || live.isMissingNode()) {
      out.add(new FieldDiff(path.render(), null, sensitive ? redact(desired) : desired));
      return;
    }
    if (desired.isObject()) {
      if (!live.isObject()) {
        out.add(new FieldDiff(path.render(), sensitive ? redact(live) : live, sensitive ? redact(desired) : desired));
        return;
      }
      for (Map.Entry<String, JsonNode> e : desired.properties()) {
        path.push(e.getKey());
        compare(path, e.getValue(), live.get(e.getKey()), out, sensitive);
        path.pop();
      }
      return;
    }
    if (desired.isArray()) {
      if (!live.isArray() || live.size() != desired.size()) {
        out.add(new FieldDiff(path.render(), sensitive ? redact(live) : live, sensitive ? redact(desired) : desired));
        return;
      }
      for (int i = 0; i < desired.size(); i++) {
        path.push(i);
        compare(path, desired.get(i), live.get(i), out, sensitive);
        path.pop();
      }
      return;
    }
    if (!sameScalar(desired, live)) {
      out.add(new FieldDiff(path.render(), sensitive ? redact(live) : live, sensitive ? redact(desired) : desired));
    }
  }

  /** The segments (field names, list indexes) from the root to the node being compared. */
  private static final class FieldPath {
    private Object[] segments = new Object[16];
    private int depth;

    void push(Object segment) {
      if (depth == segments.length) {
        segments = java.util.Arrays.copyOf(segments, depth * 2);
      }
      segments[depth++] = segment;
    }

    void pop() {
      segments[--depth] = null;
    }

    /** {@code spec.template.spec.containers[0].image}, {@code metadata.labels['app.kubernetes.io/name']}. */
    String render() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < depth; i++) {
        Object s = segments[i];
        if (s instanceof Integer index) {
          sb.append('[').append(index).append(']');
        } else {
          String field = (String) s;
          boolean plain = !field.isEmpty()
              && field.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_' || ch == '-');
          if (!plain) {
            sb.append("['").append(field).append("']");
          } else {
            sb.append(i == 0 ? "" : ".").append(field);
          }
        }
      }
      return sb.toString();
    }
  }

  private static boolean sameScalar(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      if (a.isIntegralNumber() && b.isIntegralNumber()) {
        return a.asLong() == b.asLong();
      }
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  private static JsonNode redact(JsonNode value) {
    return StringNode.valueOf(ContentHash.redact(value));
  }

  private static Map<ResourceKey, Resource> owned(ClusterDriver cluster, List<Resource> listed) {
    Map<ResourceKey, Resource> out = new HashMap<>();
    for (Resource r : listed) {
      // Another object controls it (a Pod of a ReplicaSet, say): it may carry our labels because
      // its template did, but it is its controller's to delete, never ours.
      if (!r.hasController()) {
        out.put(r.key(cluster.name()), r);
      }
    }
    return out;
  }

  private int wave(Resource r, Map<String, Integer> componentOrder) {
    String component = r.label(Ownership.COMPONENT_LABEL); // a leftover may have lost its label
    int componentRank = component == null ? 0 : componentOrder.getOrDefault(component, 0);
    return kinds.applyRank(r.kind()) * 1000 + componentRank;
  }

  private static List<Change> order(List<Change> changes) {
    Comparator<Change> byWave = Comparator.comparingInt(Change::wave);
    Comparator<Change> byKey = Comparator.comparing(Change::key);
    List<Change> applies = new ArrayList<>();
    List<Change> deletes = new ArrayList<>();
    for (Change c : changes) {
      (c.type() == Change.Type.DELETE ? deletes : applies).add(c);
    }
    applies.sort(byWave.thenComparing(byKey));
    deletes.sort(byWave.reversed().thenComparing(byKey));
    List<Change> out = new ArrayList<>(applies);
    out.addAll(deletes);
    return out;
  }
}
