package io.orchestrationplane.core.plan;

import io.orchestrationplane.core.Json;
import io.orchestrationplane.core.ResourceKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reviewable difference between an application's desired state and what its clusters hold:
 * ordered {@link Change}s (applies in wave order, then deletes in reverse) and any
 * {@link PlanProblem}s. Deterministic: the same inputs give a byte-identical {@link #toText()}
 * and {@link #toJson()}. Executing a plan is {@code Executor.execute(plan)}.
 *
 * <pre>{@code
 * Plan plan = plane.plan(app);
 * System.out.println(plan.toText());
 * // ~ Deployment shop/api (prod, environment prod, component api)
 * //     ~ spec.replicas: 2 -> 3
 * }</pre>
 */
public record Plan(String application, List<Change> changes, List<PlanProblem> problems, List<PolicyNotice> notices) {
  public Plan {
    Objects.requireNonNull(application, "application");
    changes = List.copyOf(changes);
    problems = List.copyOf(problems);
    notices = List.copyOf(notices);
  }

  /** A plan without policy notices. */
  public Plan(String application, List<Change> changes, List<PlanProblem> problems) {
    this(application, changes, problems, List.of());
  }

  /** This plan with the notices admission produced. */
  public Plan withNotices(List<PolicyNotice> policyNotices) {
    return new Plan(application, changes, problems, policyNotices);
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

  /** True when executing the plan would write anything. */
  public boolean hasChanges() {
    for (Change c : changes) { // a loop, not a stream: every reconcile asks
      if (c.isWrite()) {
        return true;
      }
    }
    return false;
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
    StringBuilder sb = new StringBuilder("Plan for application ").append(application).append(": ")
        .append(summary()).append('\n');
    for (Change c : changes) {
      if (!c.isWrite()) {
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
      sb.append("]\n");
      for (FieldDiff d : c.diffs()) {
        sb.append("      ").append(d.isAddition() ? '+' : '~').append(' ').append(d.path()).append(": ");
        if (d.isAddition()) {
          sb.append(show(d.after()));
        } else {
          sb.append(show(d.before())).append(" -> ").append(show(d.after()));
        }
        sb.append('\n');
      }
    }
    for (PlanProblem p : problems) {
      sb.append("  ! ").append(p).append('\n');
    }
    for (PolicyNotice n : notices) {
      sb.append("  ? ").append(n).append('\n');
    }
    return sb.toString();
  }

  /** The plan for tools, as a JSON tree (see {@link #toJson()}). */
  public ObjectNode toJsonTree() {
    ObjectNode root = Json.object();
    root.put("application", application);
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
      n.put("environment", c.environment());
      n.put("component", c.component());
      n.put("wave", c.wave());
      if (!c.diffs().isEmpty()) {
        ArrayNode diffs = n.putArray("diffs");
        for (FieldDiff d : c.diffs()) {
          ObjectNode dn = diffs.addObject();
          dn.put("path", d.path());
          dn.set("before", d.before());
          dn.set("after", d.after());
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

  @Override
  public String toString() {
    return "Plan[" + application + ": " + summary() + "]";
  }

  private List<Change> of(Change.Type type) {
    return changes.stream().filter(c -> c.type() == type).toList();
  }

  private static String show(JsonNode value) {
    if (value == null) {
      return "(absent)";
    }
    String s = Json.writeJson(value);
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }
}
