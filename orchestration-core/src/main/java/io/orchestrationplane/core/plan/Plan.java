package io.orchestrationplane.core.plan;

import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reviewable difference between an application's desired state and what its clusters hold:
 * ordered {@link Change}s (applies in wave order, then deletes in reverse) and any
 * {@link PlanProblem}s; besides, the writes that keep the application's {@link
 * io.orchestrationplane.core.resource.Inventory} ahead of the changes ({@link #inventory()}), the objects
 * left in place because they are marked keep-on-remove ({@link #kept()}), and those already being
 * deleted that the plan waits for ({@link #deleting()}). Deterministic: the same inputs give a byte-identical {@link #toText()}
 * and {@link #toJson()}. Executing a plan is {@code Executor.execute(plan)}.
 *
 * <pre>{@code
 * Plan plan = plane.plan(app);
 * System.out.println(plan.toText());
 * // ~ Deployment shop/api (prod, environment prod, component api)
 * //     ~ spec.replicas: 2 -> 3
 * }</pre>
 */
public record Plan(String application, List<Change> changes, List<PlanProblem> problems, List<PolicyNotice> notices,
    List<ResourceKey> kept, List<Change> inventory, List<ResourceKey> deleting, String policies, boolean detached) {
  public Plan {
    Objects.requireNonNull(application, "application");
    policies = policies == null ? "" : policies;
    changes = List.copyOf(changes);
    problems = List.copyOf(problems);
    notices = List.copyOf(notices);
    kept = List.copyOf(kept);
    inventory = List.copyOf(inventory);
    deleting = List.copyOf(deleting);
    for (Change c : inventory) {
      if (!c.isWrite()) {
        throw new IllegalArgumentException("inventory changes are writes, got " + c);
      }
    }
  }

  /** A plan without policy notices, kept objects or inventory writes. */
  public Plan(String application, List<Change> changes, List<PlanProblem> problems) {
    this(application, changes, problems, List.of(), List.of(), List.of(), List.of(), "", false);
  }

  /** A plan without kept objects or inventory writes. */
  public Plan(String application, List<Change> changes, List<PlanProblem> problems, List<PolicyNotice> notices) {
    this(application, changes, problems, notices, List.of(), List.of(), List.of(), "", false);
  }

  /** A plan as the planner makes it, not admitted yet. */
  public Plan(String application, List<Change> changes, List<PlanProblem> problems, List<PolicyNotice> notices,
      List<ResourceKey> kept, List<Change> inventory, List<ResourceKey> deleting) {
    this(application, changes, problems, notices, kept, inventory, deleting, "", false);
  }

  /**
   * This plan with {@code replacement} as its changes, every other component kept: for admission,
   * whose mutating policies change what writes do.
   */
  public Plan withChanges(List<Change> replacement) {
    return new Plan(application, replacement, problems, notices, kept, inventory, deleting, policies, detached);
  }

  /**
   * The part of this plan on {@code clusters}: their changes, inventory writes, kept and deleting
   * objects and problems; for execution strategies that write cluster by cluster.
   */
  public Plan onClusters(java.util.Collection<String> clusters) {
    Set<String> on = Set.copyOf(clusters);
    return new Plan(application, changes.stream().filter(c -> on.contains(c.key().cluster())).toList(),
        problems.stream().filter(p -> on.contains(p.cluster())).toList(), notices,
        kept.stream().filter(k -> on.contains(k.cluster())).toList(),
        inventory.stream().filter(c -> on.contains(c.key().cluster())).toList(),
        deleting.stream().filter(k -> on.contains(k.cluster())).toList(), policies, detached);
  }

  /** The clusters this plan changes or reads, in the order of their first change. */
  public List<String> clusters() {
    Set<String> out = new java.util.LinkedHashSet<>();
    changes.forEach(c -> out.add(c.key().cluster()));
    inventory.forEach(c -> out.add(c.key().cluster()));
    problems.forEach(p -> out.add(p.cluster()));
    return List.copyOf(out);
  }

  /** This plan with the notices admission produced. */
  public Plan withNotices(List<PolicyNotice> policyNotices) {
    return new Plan(application, changes, problems, policyNotices, kept, inventory, deleting, policies, detached);
  }

  /**
   * This plan as admitted by the policy set with fingerprint {@code policySet}, with the notices
   * admission produced: the fingerprint becomes part of its {@link #digest()}.
   */
  public Plan admitted(List<PolicyNotice> policyNotices, String policySet) {
    return new Plan(application, changes, problems, policyNotices, kept, inventory, deleting, policySet, detached);
  }

  /**
   * The digest that binds this plan: for every write (inventory included) its action, object,
   * the live resourceVersion it was planned against, the content hash of the desired object
   * (secret values left out) and the fields that differ; the application; and the fingerprint
   * of the policy set that admitted it. A reviewed plan is applied only while a fresh plan has
   * the same digest ({@code OrchestrationPlane.apply(app, plan)}).
   */
  public String digest() {
    // written straight into the canonical form: what ContentHash.of gives for the tree
    // {application, policies, writes: [{action, contentHash, fields, [inventory: true,] key,
    // liveResourceVersion}, ...]}, keys in canonical (sorted) order, without building the tree
    io.orchestrationplane.core.resource.ContentHash.Canonical h =
        new io.orchestrationplane.core.resource.ContentHash.Canonical();
    h.beginObject().key("application").string(application).next().key("policies").string(policies).next()
        .key("writes").beginArray();
    for (Change c : changes) {
      if (c.isWrite()) {
        digestOf(h, c, false);
      }
    }
    for (Change c : inventory) {
      digestOf(h, c, true);
    }
    return h.endArray().next().endObject().digest();
  }

  private static void digestOf(io.orchestrationplane.core.resource.ContentHash.Canonical h, Change c,
      boolean inventory) {
    h.beginObject().key("action").string(c.type().name()).next().key("contentHash").string(c.contentHash()).next()
        .key("fields").beginArray();
    for (io.orchestrationplane.core.plan.FieldDiff d : c.diffs()) {
      h.string(d.path()).next();
    }
    h.endArray().next();
    if (inventory) {
      h.key("inventory").bool(true).next();
    }
    // the key's toString(), written part by part: [cluster ":"] [group "/"] kind " " [namespace "/"] name
    io.orchestrationplane.core.resource.ResourceKey k = c.key();
    h.key("key").concatenation(k.cluster(), k.cluster().isEmpty() ? "" : ":", k.group(), k.group().isEmpty() ? "" : "/",
        k.kind(), " ", k.namespace(), k.namespace().isEmpty() ? "" : "/", k.name()).next()
        .key("liveResourceVersion").string(c.liveResourceVersion()).next().endObject().next();
  }

  public List<Change> creates() {
    return of(Change.Type.CREATE);
  }

  public List<Change> updates() {
    return of(Change.Type.UPDATE);
  }

  public List<Change> deletes() {
    return of(Change.Type.DELETE);
  }

  public List<Change> unchanged() {
    return of(Change.Type.UNCHANGED);
  }

  /** Changes that write (everything but UNCHANGED), in execution order. */
  public List<Change> writes() {
    return changes.stream().filter(Change::isWrite).toList();
  }

  /** True when executing the plan would write anything, the inventory included. */
  public boolean hasChanges() {
    for (Change c : changes) { // a loop, not a stream: every reconcile asks
      if (c.isWrite()) {
        return true;
      }
    }
    return !inventory.isEmpty();
  }

  /** The change for one object, if the plan covers it. */
  public Optional<Change> change(ResourceKey key) {
    for (Change c : changes) {
      if (c.key().equals(key)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The first change of the given kind and {@code namespace/name} (in any cluster). */
  public Optional<Change> change(String kind, String namespacedName) {
    return changes.stream()
        .filter(c -> c.key().kind().equals(kind) && c.key().namespacedName().equals(namespacedName))
        .findFirst();
  }

  /** {@code 3 to create, 1 to update, 0 to delete, 7 unchanged}. */
  public String summary() {
    return creates().size() + " to create, " + updates().size() + " to update, " + deletes().size()
        + " to delete, " + unchanged().size() + " unchanged";
  }

  /** The plan for people: {@code + ~ -} lines with field paths, like a Terraform plan. */
  public String toText() {
    return toText(false);
  }

  /**
   * The plan for people; {@code verbose} adds the differences that ignore rules and normalizers
   * left out ({@code  (ignored: <rule>)}), unchanged objects with such differences, and how each
   * object was compared (client-side, or by the API server's dry run).
   */
  public String toText(boolean verbose) {
    StringBuilder sb = new StringBuilder("Plan for application ").append(application).append(": ")
        .append(summary()).append('\n');
    for (Change c : changes) {
      if (!c.isWrite() && !(verbose && (!c.ignored().isEmpty() || c.comparison() == Change.Comparison.SERVER_SIDE))) {
        continue;
      }
      sb.append("  ").append(c.type().symbol()).append(' ').append(c.key().display())
          .append("  [cluster ").append(c.key().cluster());
      if (c.environment() != null) {
        sb.append(", env ").append(c.environment());
      }
      if (c.component() != null) {
        sb.append(", component ").append(c.component());
      }
      if (verbose && c.type() == Change.Type.UPDATE || verbose && c.type() == Change.Type.UNCHANGED) {
        sb.append(", ").append(c.comparison() == Change.Comparison.SERVER_SIDE ? "server-side diff" : "client-side diff");
      }
      sb.append("]\n");
      for (FieldDiff d : c.diffs()) {
        line(sb, d, "");
      }
      if (verbose) {
        for (IgnoredDiff i : c.ignored()) {
          line(sb, i.diff(), "  (ignored: " + i.reason() + ")");
        }
      }
    }
    if (verbose) {
      for (Change c : inventory) {
        sb.append("  ").append(c.type().symbol()).append(' ').append(c.key().display()).append("  [cluster ")
            .append(c.key().cluster()).append(", the plane's inventory of this application: ")
            .append(c.desired() == null ? "deleted after its last object"
                : c.desired().annotation(io.orchestrationplane.core.resource.Inventory.GROUP_KINDS_ANNOTATION))
            .append("]\n");
      }
    }
    for (ResourceKey k : deleting) {
      sb.append("  - ").append(k.display()).append("  [cluster ").append(k.cluster())
          .append(", being deleted: waiting for it to go]\n");
    }
    for (ResourceKey k : kept) {
      sb.append("  = ").append(k.display()).append("  [cluster ").append(k.cluster())
          .append(", kept: marked ").append(io.orchestrationplane.core.resource.Ownership.KEEP_ON_REMOVE_ANNOTATION)
          .append("]\n");
    }
    for (PlanProblem p : problems) {
      sb.append("  ! ").append(p).append('\n');
    }
    for (PolicyNotice n : notices) {
      sb.append("  ? ").append(n).append('\n');
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, FieldDiff d, String suffix) {
    char symbol = d.isAddition() ? '+' : d.isRemoval() ? '-' : '~';
    sb.append("      ").append(symbol).append(' ').append(d.path()).append(": ");
    if (d.isAddition()) {
      sb.append(show(d.after()));
    } else if (d.isRemoval()) {
      sb.append(show(d.before())).append(" (removed)");
    } else {
      sb.append(show(d.before())).append(" -> ").append(show(d.after()));
    }
    sb.append(suffix).append('\n');
  }

  /** The plan for tools, as a JSON tree (see {@link #toJson()}). */
  public ObjectNode toJsonTree() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("application", application);
    root.put("digest", digest());
    root.put("policies", policies);
    ObjectNode summary = root.putObject("summary");
    summary.put("create", creates().size());
    summary.put("update", updates().size());
    summary.put("delete", deletes().size());
    summary.put("unchanged", unchanged().size());
    ArrayNode list = root.putArray("changes");
    for (Change c : changes) {
      ObjectNode n = list.addObject();
      n.put("action", c.type().name().toLowerCase(java.util.Locale.ROOT));
      n.put("cluster", c.key().cluster());
      n.put("group", c.key().group());
      n.put("kind", c.key().kind());
      n.put("namespace", c.key().namespace());
      n.put("name", c.key().name());
      n.put("apiVersion", c.desired() != null ? c.desired().apiVersion() : c.live() != null ? c.live().apiVersion() : null);
      n.put("environment", c.environment());
      n.put("component", c.component());
      n.put("wave", c.wave());
      n.put("liveResourceVersion", c.liveResourceVersion());
      n.put("contentHash", c.contentHash());
      if (c.comparison() == Change.Comparison.SERVER_SIDE) {
        n.put("comparison", "server-side");
      }
      if (!c.diffs().isEmpty()) {
        ArrayNode diffs = n.putArray("diffs");
        for (FieldDiff d : c.diffs()) {
          ObjectNode dn = diffs.addObject();
          dn.put("path", d.path());
          dn.set("before", d.before());
          dn.set("after", d.after());
        }
      }
      if (!c.ignored().isEmpty()) {
        ArrayNode ignored = n.putArray("ignored");
        for (IgnoredDiff i : c.ignored()) {
          ObjectNode dn = ignored.addObject();
          dn.put("path", i.diff().path());
          dn.set("before", i.diff().before());
          dn.set("after", i.diff().after());
          dn.put("reason", i.reason());
        }
      }
    }
    ArrayNode policy = root.putArray("policyNotices");
    for (PolicyNotice n : notices) {
      ObjectNode pn = policy.addObject();
      pn.put("cluster", n.key().cluster());
      pn.put("kind", n.key().kind());
      pn.put("namespace", n.key().namespace());
      pn.put("name", n.key().name());
      pn.put("policy", n.policy());
      pn.put("action", n.action());
      pn.put("message", n.message());
    }
    ArrayNode inv = root.putArray("inventory");
    for (Change c : inventory) {
      ObjectNode n = inv.addObject();
      n.put("action", c.type().name().toLowerCase(java.util.Locale.ROOT));
      n.put("cluster", c.key().cluster());
      n.put("namespace", c.key().namespace());
      n.put("name", c.key().name());
      n.put("liveResourceVersion", c.liveResourceVersion());
      n.put("contentHash", c.contentHash());
      if (c.desired() != null) {
        n.put("groupKinds", c.desired().annotation(io.orchestrationplane.core.resource.Inventory.GROUP_KINDS_ANNOTATION));
      }
      ArrayNode diffs = n.putArray("diffs");
      for (FieldDiff d : c.diffs()) {
        diffs.addObject().put("path", d.path());
      }
    }
    ArrayNode keptList = root.putArray("kept");
    for (ResourceKey k : kept) {
      ObjectNode kn = keptList.addObject();
      kn.put("cluster", k.cluster());
      kn.put("group", k.group());
      kn.put("kind", k.kind());
      kn.put("namespace", k.namespace());
      kn.put("name", k.name());
    }
    ArrayNode deletingList = root.putArray("deleting");
    for (ResourceKey k : deleting) {
      ObjectNode kn = deletingList.addObject();
      kn.put("cluster", k.cluster());
      kn.put("group", k.group());
      kn.put("kind", k.kind());
      kn.put("namespace", k.namespace());
      kn.put("name", k.name());
    }
    ArrayNode probs = root.putArray("problems");
    for (PlanProblem p : problems) {
      ObjectNode pn = probs.addObject();
      pn.put("cluster", p.cluster());
      pn.put("subject", p.subject());
      pn.put("message", p.message());
    }
    return root;
  }

  /** The plan for tools, as indented JSON with a stable layout. */
  public String toJson() {
    return Json.writePrettyJson(toJsonTree());
  }

  /**
   * A plan read back from {@link #toJson()}, for "plan in one step, apply in the next": it holds
   * what was reviewed (writes, live versions, content hashes, fields, policy set) but not the
   * desired objects, whose secret values a plan never carries, so it is {@link #detached()} and is
   * applied with {@code OrchestrationPlane.apply(app, plan)}, which plans afresh and applies only
   * a plan with the same digest. Throws {@link IllegalArgumentException} when the text is not a
   * plan or was changed after it was written (its digest no longer matches its content).
   */
  public static Plan fromJson(String json) {
    JsonNode root = Json.readJson(json);
    String application = root.path("application").asString(null);
    if (application == null || application.isEmpty()) {
      throw new IllegalArgumentException("not a plan: 'application' is missing");
    }
    List<Change> changes = new ArrayList<>();
    for (JsonNode n : root.path("changes")) {
      changes.add(detachedChange(n, Change.Type.valueOf(n.path("action").asString("").toUpperCase(java.util.Locale.ROOT))));
    }
    List<Change> inventoryChanges = new ArrayList<>();
    for (JsonNode n : root.path("inventory")) {
      if (!n.isObject()) {
        throw new IllegalArgumentException("not a plan: an entry of 'inventory' is not an object");
      }
      ObjectNode full = (ObjectNode) n.deepCopy();
      full.put("group", "");
      full.put("kind", "ConfigMap");
      full.put("apiVersion", "v1");
      inventoryChanges.add(detachedChange(full, Change.Type.valueOf(n.path("action").asString("").toUpperCase(java.util.Locale.ROOT))));
    }
    List<PlanProblem> problems = new ArrayList<>();
    for (JsonNode p : root.path("problems")) {
      problems.add(new PlanProblem(p.path("cluster").asString(""), p.path("subject").asString(""), p.path("message").asString("")));
    }
    Plan plan = new Plan(application, changes, problems, List.of(), keys(root.path("kept")), inventoryChanges,
        keys(root.path("deleting")), root.path("policies").asString(""), true);
    String written = root.path("digest").asString("");
    if (!plan.digest().equals(written)) {
      throw new IllegalArgumentException("plan for application " + application
          + " was changed after it was made: its digest does not match its content; plan again");
    }
    return plan;
  }

  private static Change detachedChange(JsonNode n, Change.Type type) {
    String cluster = n.path("cluster").asString("");
    String namespace = n.path("namespace").asString("");
    ResourceKey key = new ResourceKey(cluster, n.path("group").asString(""), n.path("kind").asString(""), namespace,
        n.path("name").asString(""));
    Resource shell = null;
    String hash = n.path("contentHash").asString("");
    if (type != Change.Type.DELETE) {
      String apiVersion = n.path("apiVersion").asString(key.group().isEmpty() ? "v1" : key.group() + "/v1");
      shell = Resource.of(apiVersion, key.kind(), namespace, key.name());
      if (!hash.isEmpty()) {
        shell = shell.withAnnotation(io.orchestrationplane.core.resource.Ownership.CONTENT_HASH_ANNOTATION, hash);
      }
    }
    List<FieldDiff> diffs = new ArrayList<>();
    for (JsonNode d : n.path("diffs")) {
      diffs.add(new FieldDiff(d.path("path").asString(""), d.get("before"), d.has("after") ? d.get("after")
          : tools.jackson.databind.node.NullNode.getInstance()));
    }
    if (type == Change.Type.UPDATE && diffs.isEmpty()) {
      diffs.add(new FieldDiff("(unknown)", null, tools.jackson.databind.node.NullNode.getInstance()));
    }
    String version = n.path("liveResourceVersion").isString() ? n.path("liveResourceVersion").asString() : null;
    return new Change(type, key, textOrNull(n, "environment"), textOrNull(n, "component"), shell, version, diffs,
        n.path("wave").asInt(0), null);
  }

  private static @Nullable String textOrNull(JsonNode n, String field) {
    return n.path(field).isString() ? n.path(field).asString() : null;
  }

  private static List<ResourceKey> keys(JsonNode list) {
    List<ResourceKey> out = new ArrayList<>();
    for (JsonNode k : list) {
      out.add(new ResourceKey(k.path("cluster").asString(""), k.path("group").asString(""), k.path("kind").asString(""),
          k.path("namespace").asString(""), k.path("name").asString("")));
    }
    return out;
  }

  @Override
  public String toString() {
    return "Plan[" + application + ": " + summary() + "]";
  }

  private List<Change> of(Change.Type type) {
    return changes.stream().filter(c -> c.type() == type).toList();
  }

  private static String show(@Nullable JsonNode value) {
    if (value == null) {
      return "(absent)";
    }
    String s = Json.writeJson(value);
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }
}
