package io.orchestrationplane.core.plan;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.kind.KindCatalog;
import io.orchestrationplane.core.model.IgnoreDifferences;
import io.orchestrationplane.core.plan.internal.Differ;
import io.orchestrationplane.core.plan.internal.ManagedFields;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Inventory;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Redactor;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.resource.internal.JqPath;
import io.orchestrationplane.core.resource.internal.KindSets;
import io.orchestrationplane.core.resource.internal.ListSemantics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Compares desired resources with live ones and produces a {@link Plan}. Only fields the plane
 * sets count, compared in Kubernetes' terms (quantities by value, lists by their merge keys,
 * empty values as absent; see {@code docs/diff.md}): {@code status}, server-managed metadata and
 * any field the live side added (server defaults, other controllers) never count as drift.
 * Differences matching {@link DiffSettings}' or the target's {@link IgnoreDifferences} are kept
 * apart as ignored. Live objects that carry this application's ownership labels and are no longer
 * desired become DELETEs, unless marked keep-on-remove; nothing else is ever deleted. The
 * application's {@link Inventory} on each cluster is kept ahead of its writes. Thread-safe.
 *
 * <h2>What the planner remembers</h2>
 * Two caches make a resync of a converged application cheap; both compare by identity, since
 * {@link Resource}s are immutable and drivers hand back the very same instance while an object is
 * unchanged:
 * <ul>
 *   <li>per object: the differences of the last comparison, valid while the desired object is the
 *       same instance and the live object has the same resourceVersion;
 *   <li>per application: the last plan, valid while the targets, clusters, managed kinds and
 *       component order are the same instances and every cluster lists the same instances. A plan
 *       that read anything outside its listing (a CREATE, an object owned by someone else, an
 *       unreadable cluster) is never kept.
 * </ul>
 * A caller that passes an equal but new target list (a re-rendered application) gets a new
 * comparison; the plane re-renders only when the application differs, order included.
 */
public final class Planner {
  /** Redacts for the static {@link #diff(Resource, Resource)}: digests comparable within this JVM only. */
  private static final Redactor DEFAULT_REDACTOR = Redactor.random();

  /**
   * The wave of inventory writes: after Namespaces (kind rank 0), before every other kind, so the
   * record names a kind before any object of it is written.
   */
  public static final int INVENTORY_WAVE = 999_999;

  private final KindCatalog kinds;
  private final Redactor redactor;
  private final DiffSettings settings;
  private final Map<String, JqPath> compiledJq = new ConcurrentHashMap<>();
  /**
   * The last plan made per application with the targets it was made for: its changes are the
   * comparisons to reuse. The same desired object (the plane reuses rendered objects while an
   * application is unchanged) against the same live resourceVersion, under the same targets (so
   * the same ignore rules), gives the same differences, so a plan made after one object changed
   * compares only that object again. Kept per application and looked up through a map made for
   * the plan that needs it, so that nothing is held per object besides the plan itself.
   */
  private final Map<String, Previous> previous = new ConcurrentHashMap<>();

  private record Previous(List<Target> targets, Plan plan) {}

  /** The last plan per application, with the inputs it came from (see the class comment). */
  private final Map<String, LastPlan> lastPlans = new ConcurrentHashMap<>();

  private record LastPlan(List<Target> targets, List<ClusterDriver> clustersGiven, Set<GroupKind> managedKinds,
      Map<String, Integer> componentOrder, List<ClusterDriver> scanned, List<Set<GroupKind>> kinds,
      Map<String, String> selector, List<List<Resource>> listed, Plan plan) {

    boolean sameInputs(List<Target> t, List<ClusterDriver> c, Set<GroupKind> k, Map<String, Integer> order) {
      return targets == t && managedKinds == k && componentOrder == order && same(clustersGiven, c);
    }

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

  /** A planner that shows secret values as digests keyed with a random key. */
  public Planner(KindCatalog kinds) {
    this(kinds, Redactor.random(), DiffSettings.defaults());
  }

  /** A planner that shows secret values as digests keyed by {@code redactor}. */
  public Planner(KindCatalog kinds, Redactor redactor) {
    this(kinds, redactor, DiffSettings.defaults());
  }

  /** A planner with its own diff settings. */
  public Planner(KindCatalog kinds, Redactor redactor, DiffSettings settings) {
    this.kinds = Objects.requireNonNull(kinds, "kinds");
    this.redactor = Objects.requireNonNull(redactor, "redactor");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * The desired resources of one environment on one cluster.
   *
   * @param environment the environment name
   * @param cluster the cluster to plan against
   * @param resources the rendered resources
   * @param sensitiveValues values of the environment's sensitive properties: shown as digests
   *     wherever they occur in the plan, like Secret data
   * @param ignore the application's own ignore rules, besides the planner's
   */
  public record Target(String environment, ClusterDriver cluster, List<Resource> resources,
      Set<String> sensitiveValues, List<IgnoreDifferences> ignore) {
    public Target {
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(cluster, "cluster");
      resources = List.copyOf(resources);
      sensitiveValues = Set.copyOf(sensitiveValues);
      ignore = List.copyOf(ignore);
    }

    /** A target without sensitive property values or ignore rules. */
    public Target(String environment, ClusterDriver cluster, List<Resource> resources) {
      this(environment, cluster, resources, Set.of(), List.of());
    }

    @Override
    public String toString() {
      return "Target[" + environment + " on " + cluster.name() + ": " + resources.size() + " objects]";
    }
  }

  /**
   * Plans one application.
   *
   * @param applicationId the ownership label value, {@code <namespace>.<name>}
   * @param targets what each environment wants on each cluster
   * @param clusters every cluster to look for leftovers on (those named in targets included)
   * @param managedKinds kinds to search for leftovers besides the desired ones and those the
   *     cluster's inventory records
   * @param componentOrder rank of each component in dependency order (0 first)
   */
  public Plan plan(String applicationId, List<Target> targets, List<ClusterDriver> clusters,
      Set<GroupKind> managedKinds, Map<String, Integer> componentOrder) {
    List<Change> changes = new ArrayList<>();
    List<PlanProblem> problems = new ArrayList<>();
    List<ResourceKey> kept = new ArrayList<>();
    List<Change> inventoryChanges = new ArrayList<>();
    List<ResourceKey> deleting = new ArrayList<>();
    LastPlan last = lastPlans.get(applicationId);
    List<ClusterDriver> scanned;
    List<Set<GroupKind>> kindsToScan;
    if (last != null && last.sameInputs(targets, clusters, managedKinds, componentOrder)) {
      scanned = last.scanned();
      kindsToScan = last.kinds();
    } else {
      last = null;
      Map<String, ClusterDriver> byName = new LinkedHashMap<>();
      clusters.forEach(c -> byName.put(c.name(), c));
      targets.forEach(t -> byName.putIfAbsent(t.cluster().name(), t.cluster()));
      scanned = List.copyOf(byName.values());
      Set<GroupKind> base = kindsToScan(targets, managedKinds);
      kindsToScan = new ArrayList<>(scanned.size());
      for (int i = 0; i < scanned.size(); i++) {
        kindsToScan.add(base);
      }
    }

    // Read every cluster first: when each returns the very objects the last plan was made from,
    // that plan is still the answer (a resync of a converged application compares nothing).
    List<List<Resource>> listed = new ArrayList<>(scanned.size());
    Map<String, String> selector = last != null ? last.selector() : Map.of(Ownership.MANAGED_BY_LABEL,
        Ownership.MANAGER, Ownership.APPLICATION_LABEL, applicationId);
    for (int i = 0; i < scanned.size(); i++) {
      ClusterDriver cluster = scanned.get(i);
      try {
        listed.add(cluster.list(kindsToScan.get(i), null, selector));
      } catch (ClusterException e) {
        listed.add(null);
        problems.add(unreachable(cluster.name(), e));
      }
    }
    if (last != null && last.sameListing(listed)) {
      return last.plan();
    }

    // Kinds the inventory records and this listing did not cover (custom kinds rendered before
    // a restart, say): list them too, so that nothing the application wrote is overlooked.
    List<Set<GroupKind>> scannedKinds = new ArrayList<>(kindsToScan);
    for (int i = 0; i < scanned.size(); i++) {
      List<Resource> l = listed.get(i);
      if (l == null) {
        continue;
      }
      Resource parent = parentIn(l, applicationId);
      if (parent == null) {
        continue;
      }
      Set<GroupKind> extra = new LinkedHashSet<>(Inventory.recordedKinds(parent));
      extra.removeAll(kindsToScan.get(i));
      if (extra.isEmpty()) {
        continue;
      }
      try {
        List<Resource> more = new ArrayList<>(l);
        more.addAll(scanned.get(i).list(extra, null, selector));
        listed.set(i, more);
        Set<GroupKind> k = new LinkedHashSet<>(kindsToScan.get(i));
        k.addAll(extra);
        scannedKinds.set(i, KindSets.shared(k));
      } catch (ClusterException e) {
        listed.set(i, null);
        problems.add(unreachable(scanned.get(i).name(), e));
      }
    }

    Previous earlier = previous.get(applicationId);
    Memo memo = new Memo(earlier != null && sameRules(earlier.targets(), targets) ? earlier.plan() : null);
    boolean reusable = problems.isEmpty();
    for (int i = 0; i < scanned.size(); i++) {
      ClusterDriver cluster = scanned.get(i);
      if (listed.get(i) == null) {
        continue;
      }
      String name = cluster.name();
      Resource parent = parentIn(listed.get(i), applicationId);
      Map<ResourceKey, Resource> owned = owned(cluster, listed.get(i));
      Set<ResourceKey> desiredHere = new LinkedHashSet<>();
      Set<GroupKind> neededKinds = new LinkedHashSet<>();
      Set<String> neededNamespaces = new LinkedHashSet<>();
      int before = changes.size();
      try {
        for (Target t : targets) {
          if (t.cluster() != cluster) {
            continue;
          }
          for (Resource desired : t.resources()) {
            ResourceKey key = desired.key(name);
            if (!desiredHere.add(key)) {
              problems.add(new PlanProblem(name, key.display(), "rendered twice for this cluster (environment "
                  + t.environment() + " and an earlier one); give each environment its own namespace or cluster"));
              continue;
            }
            neededKinds.add(desired.groupKind());
            neededNamespaces.add(desired.namespace());
            Resource live = owned.get(key);
            if (live == null) {
              reusable = false; // read outside the listing: a later listing cannot vouch for it
              live = cluster.get(key).orElse(null);
            } else if (!live.apiVersion().equals(desired.apiVersion())) {
              // listed in another version than it is written in: compare it in the written one
              reusable = false;
              live = cluster.get(key, desired.apiVersion()).orElse(null);
            }
            Change change = compare(applicationId, t, cluster, key, desired, live, componentOrder, problems, memo);
            if (change != null) {
              changes.add(change);
            }
          }
        }
        for (Map.Entry<ResourceKey, Resource> e : owned.entrySet()) {
          if (desiredHere.contains(e.getKey())) {
            continue;
          }
          Resource live = e.getValue();
          if (Ownership.keepOnRemove(live)) {
            kept.add(e.getKey());
            continue;
          }
          neededKinds.add(live.groupKind());
          neededNamespaces.add(live.namespace());
          if (live.isBeingDeleted()) {
            deleting.add(e.getKey()); // deleted already, not gone yet (finalizers): wait, do not delete again
            continue;
          }
          changes.add(new Change(Change.Type.DELETE, e.getKey(), live.label(Ownership.ENVIRONMENT_LABEL),
              live.label(Ownership.COMPONENT_LABEL), null, live.resourceVersion(), List.of(),
              wave(live, componentOrder), live));
        }
        boolean waitsForDeletes = deleting.stream().anyMatch(k -> k.cluster().equals(name));
        InventoryStep inventory = desiredHere.isEmpty() && !waitsForDeletes
            ? (parent == null ? InventoryStep.NONE : new InventoryStep(new Change(Change.Type.DELETE,
                Inventory.parentKey(name, applicationId), null, null, null, parent.resourceVersion(), List.of(),
                INVENTORY_WAVE, parent), false))
            : inventory(applicationId, cluster, parent, neededKinds, neededNamespaces, problems);
        if (inventory.blocked()) {
          changes.subList(before, changes.size()).clear(); // no record, no writes on this cluster
          reusable = false;
        } else if (inventory.change() != null) {
          inventoryChanges.add(inventory.change());
          reusable &= inventory.change().type() != Change.Type.CREATE; // its absence was read outside the listing
        }
      } catch (ClusterException e) {
        changes.subList(before, changes.size()).clear();
        problems.add(unreachable(name, e));
        reusable = false;
      }
    }
    kept.sort(null);
    deleting.sort(null);
    Plan plan = new Plan(applicationId, order(changes), problems, List.of(), kept, inventoryChanges, deleting);
    if (targets.isEmpty()) {
      previous.remove(applicationId);
    } else {
      previous.put(applicationId, new Previous(targets, plan));
    }
    if (reusable && problems.isEmpty() && !targets.isEmpty()) {
      lastPlans.put(applicationId, new LastPlan(targets, List.copyOf(clusters), managedKinds, componentOrder, scanned,
          List.copyOf(scannedKinds), selector, listed, plan));
    } else {
      lastPlans.remove(applicationId);
    }
    return plan;
  }

  /** What the inventory needs on one cluster: a change (or none), or nothing may be written there. */
  private record InventoryStep(@Nullable Change change, boolean blocked) {
    static final InventoryStep NONE = new InventoryStep(null, false);
    static final InventoryStep BLOCKED = new InventoryStep(null, true);
  }

  /**
   * The change that keeps the cluster's inventory ahead of the plan's writes: create it with the
   * first member, widen it before members of a new kind or namespace are written. (Where the
   * application wants nothing any more, the plan deletes it after its last member instead.)
   * Blocked when an object of its name belongs to someone else.
   */
  private InventoryStep inventory(String applicationId, ClusterDriver cluster, @Nullable Resource parent, Set<GroupKind> kinds,
      Set<String> namespaces, List<PlanProblem> problems) {
    ResourceKey key = Inventory.parentKey(cluster.name(), applicationId);
    if (kinds.isEmpty()) {
      if (parent == null) {
        return InventoryStep.NONE;
      }
      return new InventoryStep(new Change(Change.Type.DELETE, key, null, null, null, parent.resourceVersion(),
          List.of(), INVENTORY_WAVE, parent), false);
    }
    if (parent != null && Inventory.covers(parent, kinds, namespaces)) {
      return InventoryStep.NONE; // a wider record than needed is harmless; it narrows the next time it is written
    }
    Resource wanted = Inventory.parent(applicationId, kinds, namespaces);
    if (parent == null) {
      Optional<Resource> other = cluster.get(key);
      if (other.isPresent()) {
        String owner = Ownership.owner(other.get());
        problems.add(new PlanProblem(cluster.name(), key.display(), "the application's inventory object exists "
            + (owner == null ? "and is not managed by the plane" : "and belongs to application " + owner)
            + "; nothing is written on this cluster until it is deleted or renamed"));
        return InventoryStep.BLOCKED;
      }
      return new InventoryStep(new Change(Change.Type.CREATE, key, null, null, wanted, null, List.of(), INVENTORY_WAVE,
          null), false);
    }
    List<FieldDiff> diffs = new Differ(redactor, Set.of(), ListSemantics.builtIn()).diff(wanted, parent);
    if (diffs.isEmpty()) {
      return InventoryStep.NONE;
    }
    return new InventoryStep(new Change(Change.Type.UPDATE, key, null, null, wanted, parent.resourceVersion(), diffs,
        INVENTORY_WAVE, parent), false);
  }

  /** The application's parent among the listed objects; a copy of its labels elsewhere is not it. */
  private static @Nullable Resource parentIn(List<Resource> listed, String applicationId) {
    for (Resource r : listed) {
      if (Inventory.isParentOf(r, applicationId)) {
        return r;
      }
    }
    return null;
  }

  /** The managed kinds plus the inventory's kind and any desired kind missing from them (copied only then). */
  private static Set<GroupKind> kindsToScan(List<Target> targets, Set<GroupKind> managedKinds) {
    Set<GroupKind> kinds = managedKinds;
    if (!kinds.contains(Inventory.PARENT_KIND)) {
      kinds = new LinkedHashSet<>(managedKinds);
      kinds.add(Inventory.PARENT_KIND);
    }
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
    return kinds == managedKinds ? kinds : KindSets.shared(kinds); // kept with the last plan: one per distinct list
  }

  private static PlanProblem unreachable(String cluster, ClusterException e) {
    return PlanProblem.unreachable(cluster, e.reason() + ": " + e.getMessage());
  }

  /**
   * The field-level differences that matter between a desired and a live object; Secret values
   * appear as digests keyed for this JVM.
   */
  public static List<FieldDiff> diff(Resource desired, Resource live) {
    return diff(desired, live, DEFAULT_REDACTOR, Set.of());
  }

  /**
   * The field-level differences that matter between a desired and a live object. Secret data,
   * and any value holding one of {@code sensitiveValues}, appear as digests from {@code redactor}.
   */
  public static List<FieldDiff> diff(Resource desired, Resource live, Redactor redactor, Set<String> sensitiveValues) {
    return new Differ(redactor, sensitiveValues, ListSemantics.builtIn()).diff(desired, live);
  }

  /** The differences this planner counts between a desired and a live object (its diff settings applied). */
  public List<FieldDiff> differences(Resource desired, Resource live, Set<String> sensitiveValues,
      List<IgnoreDifferences> ignore) {
    return compareFields(desired, live, sensitiveValues, ignore).diffs();
  }

  /**
   * Every field that differs between two desired objects of the same key, both ways and exactly
   * (no server defaults, no ownership rules; the derived content-hash and applied-fields
   * annotations left out), redacted as plans are: for comparing two revisions. {@link
   * FieldDiff#before()} is from {@code before}, {@link FieldDiff#after()} from {@code after}.
   */
  public List<FieldDiff> compareExactly(Resource before, Resource after, Set<String> sensitiveValues) {
    List<FieldDiff> out = new ArrayList<>();
    for (Differ.Found f : new Differ(redactor, sensitiveValues, settings.lists()).serverSide(after, after, before)) {
      if (!DERIVED_PATHS.contains(f.diff().path())) {
        out.add(f.diff());
      }
    }
    return out;
  }

  private static final Set<String> DERIVED_PATHS = Set.of(
      "metadata.annotations['" + Ownership.CONTENT_HASH_ANNOTATION + "']",
      "metadata.annotations['" + Ownership.APPLIED_FIELDS_ANNOTATION + "']");

  private record Fields(List<FieldDiff> diffs, List<IgnoredDiff> ignored) {}

  private Fields compareFields(Resource desired, Resource live, Set<String> sensitive, List<IgnoreDifferences> appRules) {
    List<Differ.Found> found = new Differ(redactor, sensitive, settings.lists()).find(desired, live);
    return filter(found, desired, live, appRules);
  }

  /** Splits differences into those that count and those a rule ignores. */
  private Fields filter(List<Differ.Found> found, Resource desired, Resource live, List<IgnoreDifferences> appRules) {
    if (found.isEmpty()) {
      return new Fields(List.of(), List.of());
    }
    List<IgnoreDifferences> rules = new ArrayList<>();
    for (IgnoreDifferences r : settings.ignore()) {
      if (r.matches(desired.groupKind(), desired.namespace(), desired.name())) {
        rules.add(r);
      }
    }
    for (IgnoreDifferences r : appRules) {
      if (r.matches(desired.groupKind(), desired.namespace(), desired.name())) {
        rules.add(r);
      }
    }
    if (rules.isEmpty() && settings.normalizers().isEmpty()) {
      List<FieldDiff> diffs = new ArrayList<>(found.size());
      found.forEach(f -> diffs.add(f.diff()));
      return new Fields(diffs, List.of());
    }
    Selections sel = new Selections(desired, live, rules);
    List<FieldDiff> diffs = new ArrayList<>();
    List<IgnoredDiff> ignored = new ArrayList<>();
    for (Differ.Found f : found) {
      String why = sel.reason(f);
      if (why == null) {
        for (DiffNormalizer n : settings.normalizers()) {
          Optional<String> r;
          try {
            r = n.ignore(f.diff(), desired, live);
          } catch (RuntimeException e) {
            r = Optional.empty(); // a failing normalizer ignores nothing
          }
          if (r != null && r.isPresent()) {
            why = "normalizer: " + r.get();
            break;
          }
        }
      }
      if (why == null) {
        diffs.add(f.diff());
      } else {
        ignored.add(new IgnoredDiff(f.diff(), why));
      }
    }
    return new Fields(diffs, ignored);
  }

  /** The concrete paths each ignore rule selects in one desired/live pair, computed once per pair. */
  private final class Selections {
    private final List<Selected> selected = new ArrayList<>();

    private record Selected(List<List<Object>> desiredPaths, List<List<Object>> livePaths, String reason) {}

    Selections(Resource desired, Resource live, List<IgnoreDifferences> rules) {
      for (IgnoreDifferences rule : rules) {
        for (String pointer : rule.jsonPointers()) {
          List<Object> p = pointerPath(pointer);
          selected.add(new Selected(List.of(p), List.of(p), "ignoreDifferences jsonPointer " + pointer));
        }
        for (String expr : rule.jqPathExpressions()) {
          JqPath jq = compiledJq.computeIfAbsent(expr, JqPath::compile);
          selected.add(new Selected(jq.select(desired.json()), jq.select(live.json()),
              "ignoreDifferences jqPathExpression " + expr));
        }
        if (!rule.managedFieldsManagers().isEmpty()) {
          selected.add(new Selected(List.of(), ManagedFields.ownedBy(live.json(), rule.managedFieldsManagers()),
              "owned by field manager " + String.join(", ", rule.managedFieldsManagers())));
        }
      }
    }

    @Nullable String reason(Differ.Found f) {
      for (Selected s : selected) {
        if (covers(s.desiredPaths(), f.desiredPath()) || covers(s.livePaths(), f.livePath())) {
          return s.reason();
        }
      }
      return null;
    }

    private static boolean covers(List<List<Object>> selections, List<Object> path) {
      for (List<Object> sel : selections) {
        if (sel.size() <= path.size()) {
          boolean prefix = true;
          for (int i = 0; i < sel.size() && prefix; i++) {
            prefix = String.valueOf(sel.get(i)).equals(String.valueOf(path.get(i)));
          }
          if (prefix) {
            return true;
          }
        }
      }
      return false;
    }
  }

  private static List<Object> pointerPath(String pointer) {
    List<Object> out = new ArrayList<>();
    for (String part : pointer.substring(1).split("/", -1)) {
      out.add(part.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  private @Nullable Change compare(String applicationId, Target target, ClusterDriver cluster, ResourceKey key, Resource desired,
      @Nullable Resource live, Map<String, Integer> componentOrder, List<PlanProblem> problems, Memo memo) {
    String component = desired.label(Ownership.COMPONENT_LABEL);
    int wave = wave(desired, componentOrder);
    if (live == null) {
      return new Change(Change.Type.CREATE, key, target.environment(), component, desired, null, List.of(), wave, null);
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
    String version = live.resourceVersion();
    Change last = version == null ? null : memo.get(key);
    if (last != null && last.desired() == desired && version.equals(last.liveResourceVersion())
        && (last.type() == Change.Type.UPDATE || last.type() == Change.Type.UNCHANGED)) {
      return new Change(last.type(), key, target.environment(), component, desired, version, last.diffs(), wave, live,
          last.ignored(), last.comparison());
    }
    Fields fields = compareFields(desired, live, target.sensitiveValues(), target.ignore());
    Change.Comparison comparison = Change.Comparison.CLIENT_SIDE;
    if (!fields.diffs().isEmpty() && settings.serverSideDiff(cluster.name())) {
      Optional<Resource> after = dryRun(cluster, desired);
      if (after.isPresent()) {
        List<Differ.Found> found = new Differ(redactor, target.sensitiveValues(), settings.lists())
            .serverSide(desired, after.get(), live);
        fields = filter(found, desired, live, target.ignore());
        comparison = Change.Comparison.SERVER_SIDE;
      }
    }
    return new Change(fields.diffs().isEmpty() ? Change.Type.UNCHANGED : Change.Type.UPDATE, key, target.environment(),
        component, desired, version, fields.diffs(), wave, live, fields.ignored(), comparison);
  }

  /**
   * True when every target has a target of the same environment and cluster in {@code before}
   * with the very same ignore rules: then a change of the previous plan was compared under the
   * rules the new one would use (its desired object, compared by identity, fixes the rest).
   */
  private static boolean sameRules(List<Target> before, List<Target> targets) {
    if (before == targets) {
      return true;
    }
    for (Target t : targets) {
      boolean found = false;
      for (Target b : before) {
        if (b.cluster() == t.cluster() && b.environment().equals(t.environment())) {
          found = b.ignore() == t.ignore();
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /** The changes of an application's previous plan by key, indexed when first asked. */
  private static final class Memo {
    private final @Nullable Plan plan;
    private @Nullable Map<ResourceKey, Change> byKey;

    Memo(@Nullable Plan plan) {
      this.plan = plan;
    }

    @Nullable Change get(ResourceKey key) {
      if (plan == null) {
        return null;
      }
      Map<ResourceKey, Change> m = byKey;
      if (m == null) {
        m = new HashMap<>();
        for (Change c : plan.changes()) {
          m.put(c.key(), c);
        }
        byKey = m;
      }
      return m.get(key);
    }
  }

  // A dry run that fails (the server has no server-side apply, a webhook times out) leaves the
  // comparison client-side; it never fails the plan.
  private static Optional<Resource> dryRun(ClusterDriver cluster, Resource desired) {
    try {
      return cluster.dryRunApply(desired);
    } catch (ClusterException e) {
      return Optional.empty();
    }
  }

  private static Map<ResourceKey, Resource> owned(ClusterDriver cluster, List<Resource> listed) {
    Map<ResourceKey, Resource> out = new HashMap<>();
    for (Resource r : listed) {
      // Another object controls it (a Pod of a ReplicaSet, say): it may carry our labels because
      // its template did, but it is its controller's to delete, never ours. The inventory is
      // planned on its own.
      if (!r.hasController() && !Inventory.isParent(r)) {
        out.put(r.key(cluster.name()), r);
      }
    }
    return out;
  }

  private int wave(Resource r, Map<String, Integer> componentOrder) {
    String component = r.label(Ownership.COMPONENT_LABEL); // a leftover may have lost its label
    int componentRank = component == null ? 0 : componentOrder.getOrDefault(component, 0);
    return kinds.applyRank(r.groupKind()) * 1_000_000 + Math.min(componentRank, INVENTORY_WAVE - 1);
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
