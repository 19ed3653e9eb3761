package io.orchestrationplane.core.apply;

import io.orchestrationplane.core.plan.Plan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What executing a plan did, change by change. When a change failed, {@link #failure()} names it
 * and its cause, the later changes of its cluster are SKIPPED (other clusters go on unless the
 * executor stops on the first failure), and a new plan + apply converges from there.
 *
 * <p>{@link #revision()} is the number of the revision the apply recorded (an apply of an
 * application from an origin records one when no write failed and its desired state differs from
 * the newest revision's), 0 when it recorded none: a plan applied alone, a failed apply, an
 * unchanged desired state, a part of an execution, continuous mode's executions (it records the
 * revision once the change is accepted).
 */
public record ExecutionResult(Plan plan, List<Outcome> outcomes, List<Outcome> inventory, long revision) {
  public ExecutionResult {
    outcomes = List.copyOf(outcomes);
    inventory = List.copyOf(inventory);
    if (revision < 0) {
      throw new IllegalArgumentException("revision must be 0 (none recorded) or a revision number, was " + revision);
    }
  }

  /** A result that recorded no revision. */
  public ExecutionResult(Plan plan, List<Outcome> outcomes, List<Outcome> inventory) {
    this(plan, outcomes, inventory, 0);
  }

  /** A result without inventory writes that recorded no revision. */
  public ExecutionResult(Plan plan, List<Outcome> outcomes) {
    this(plan, outcomes, List.of(), 0);
  }

  /** This result, saying that its apply recorded revision {@code number} (0: none). */
  public ExecutionResult withRevision(long number) {
    return number == revision ? this : new ExecutionResult(plan, outcomes, inventory, number);
  }

  /**
   * One result for {@code plan} from the results of executing parts of it (an execution
   * strategy's steps), outcomes in the order the parts ran. A change of the plan that no part
   * executed is SKIPPED, naming the first failure when there was one. The revision is the
   * largest any part carries (parts of one execution record none: 0).
   */
  public static ExecutionResult combine(Plan plan, List<ExecutionResult> parts) {
    List<Outcome> outcomes = new ArrayList<>();
    List<Outcome> inventory = new ArrayList<>();
    long revision = 0;
    java.util.Set<io.orchestrationplane.core.resource.ResourceKey> done = new java.util.HashSet<>();
    for (ExecutionResult part : parts) {
      for (Outcome o : part.outcomes()) {
        if (done.add(o.change().key())) {
          outcomes.add(o);
        }
      }
      inventory.addAll(part.inventory());
      revision = Math.max(revision, part.revision());
    }
    Optional<Outcome> failed = outcomes.stream().filter(Outcome::isFailure).findFirst();
    for (io.orchestrationplane.core.plan.Change c : plan.changes()) {
      if (!done.contains(c.key())) {
        String why = failed.map(f -> "not attempted: " + f.change().key().display() + " (cluster " + f.cluster()
            + ") failed first").orElse("not attempted: the execution strategy stopped before it");
        outcomes.add(new Outcome(c, c.isWrite() ? new WriteResult.Skipped(why) : new WriteResult.Unchanged()));
      }
    }
    return new ExecutionResult(plan, outcomes, inventory, revision);
  }

  /** True when no change failed (some may still be WAITING for their dependencies). */
  public boolean succeeded() {
    return failure().isEmpty();
  }

  /** True when every change was applied: none failed and none waits. */
  public boolean isComplete() {
    return succeeded() && waiting().isEmpty();
  }

  /** Changes held back until the components they depend on are healthy. */
  public List<Outcome> waiting() {
    return outcomes(Outcome.Status.WAITING);
  }

  /**
   * The first change that failed or was refused as a conflict, if one did; a failed write of the
   * inventory counts (it stops its cluster's writes).
   */
  public Optional<Outcome> failure() {
    // loops rather than streams: a caller of apply asks for this of every result
    for (Outcome o : inventory) {
      if (o.isFailure()) {
        return Optional.of(o);
      }
    }
    for (Outcome o : outcomes) {
      if (o.isFailure()) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  /** Every write that failed or was refused as a conflict: inventory writes first, then changes in plan order. */
  public List<Outcome> failures() {
    List<Outcome> out = new ArrayList<>(inventory.stream().filter(Outcome::isFailure).toList());
    out.addAll(outcomes.stream().filter(Outcome::isFailure).toList());
    return List.copyOf(out);
  }

  /** The outcomes of each cluster, clusters in the order of their first change. */
  public Map<String, List<Outcome>> byCluster() {
    Map<String, List<Outcome>> out = new LinkedHashMap<>();
    for (Outcome o : outcomes) {
      out.computeIfAbsent(o.cluster(), c -> new ArrayList<>()).add(o);
    }
    out.replaceAll((c, l) -> List.copyOf(l));
    return Collections.unmodifiableMap(out);
  }

  /** True when no write on {@code cluster} failed. */
  public boolean succeeded(String cluster) {
    return failures().stream().noneMatch(o -> o.cluster().equals(cluster));
  }

  /** How many objects were created, updated or deleted. */
  public long writes() {
    long n = 0;
    for (Outcome o : outcomes) {
      if (o.status() == Outcome.Status.APPLIED || o.status() == Outcome.Status.DELETED) {
        n++;
      }
    }
    return n;
  }

  public List<Outcome> outcomes(Outcome.Status status) {
    List<Outcome> out = null;
    for (Outcome o : outcomes) {
      if (o.status() == status) {
        if (out == null) {
          out = new ArrayList<>();
        }
        out.add(o);
      }
    }
    return out == null ? List.of() : Collections.unmodifiableList(out);
  }

  /**
   * The result for people, cluster by cluster (clusters in the order of their first change, then
   * those the plan could not change), each write on its own line with its outcome; unchanged
   * objects are only counted. Deterministic: the same result gives the same text.
   *
   * <pre>
   * Applied application shop.shop: failed on 1 of 2 clusters: 1 created, 1 failed, 4 skipped, 4 waiting
   *   cluster prod: 1 created, 4 waiting
   *     . Service shop/api  waiting: waits for db: Deployment shop/db: Waiting for rollout to finish: 0 of 1 updated replicas are available...  [env default, component api]
   *     + Deployment shop/db  created  [env default, component db]
   *     ...
   *   cluster staging: 1 failed, 4 skipped
   *     ! Deployment shop/db  failed: Deployment shop/db (cluster staging): apply failed: server error (...)  [env default, component db]
   *     / Deployment shop/api  skipped: not attempted: Deployment shop/db (cluster staging) failed first  [env default, component api]
   * </pre>
   *
   * <p>Symbols: {@code +} created, {@code ~} updated, {@code -} deleted, {@code !} failed or
   * conflict, {@code /} skipped, {@code .} waiting; {@code ?} a problem the plan met on the cluster.
   */
  public String toText() {
    Map<String, List<Outcome>> clusters = new LinkedHashMap<>(byCluster());
    for (io.orchestrationplane.core.plan.PlanProblem p : plan.problems()) {
      clusters.putIfAbsent(p.cluster(), List.of());
    }
    for (Outcome o : inventory) {
      clusters.putIfAbsent(o.cluster(), List.of());
    }
    long failedClusters = clusters.keySet().stream().filter(c -> !succeeded(c)).count();
    StringBuilder sb = new StringBuilder("Applied application ").append(plan.application()).append(": ");
    if (failedClusters > 0) {
      sb.append("failed on ").append(failedClusters).append(" of ").append(clusters.size())
          .append(clusters.size() == 1 ? " cluster" : " clusters");
    } else if (!waiting().isEmpty()) {
      sb.append("incomplete, ").append(waiting().size()).append(" waiting");
    } else {
      sb.append("complete");
    }
    sb.append(": ").append(counts(outcomes)).append('\n');
    clusters.forEach((cluster, list) -> {
      sb.append("  cluster ").append(cluster).append(": ").append(counts(list)).append('\n');
      for (Outcome o : list) {
        if (o.status() != Outcome.Status.UNCHANGED) {
          line(sb, o, "");
        }
      }
      for (Outcome o : inventory) {
        if (o.cluster().equals(cluster)) {
          line(sb, o, "the plane's inventory");
        }
      }
      for (io.orchestrationplane.core.plan.PlanProblem p : plan.problems()) {
        if (p.cluster().equals(cluster)) {
          sb.append("    ? ").append(p.subject().isEmpty() ? "cluster not changed" : p.subject()).append(": ")
              .append(p.message()).append('\n');
        }
      }
    });
    return sb.toString();
  }

  private static void line(StringBuilder sb, Outcome o, String what) {
    sb.append("    ").append(symbol(o)).append(' ').append(o.change().key().display()).append("  ")
        .append(o.write().describe());
    List<String> context = new ArrayList<>();
    if (!what.isEmpty()) {
      context.add(what);
    }
    if (o.change().environment() != null) {
      context.add("env " + o.change().environment());
    }
    if (o.change().component() != null) {
      context.add("component " + o.change().component());
    }
    if (!context.isEmpty()) {
      sb.append("  [").append(String.join(", ", context)).append(']');
    }
    sb.append('\n');
  }

  private static char symbol(Outcome o) {
    return switch (o.status()) {
      case APPLIED -> o.write() instanceof WriteResult.Created ? '+' : '~';
      case DELETED -> '-';
      case UNCHANGED -> '=';
      case FAILED, CONFLICT -> '!';
      case SKIPPED -> '/';
      case WAITING -> '.';
    };
  }

  /** {@code 2 created, 1 updated, 3 unchanged}; {@code nothing to do} when empty. */
  private static String counts(List<Outcome> list) {
    Map<String, Integer> n = new LinkedHashMap<>();
    for (String k : List.of("created", "updated", "deleted", "unchanged", "conflict", "failed", "skipped", "waiting")) {
      n.put(k, 0);
    }
    for (Outcome o : list) {
      WriteResult w = o.write();
      String k = w instanceof WriteResult.Conflict ? "conflict" : w instanceof WriteResult.Failed ? "failed"
          : w instanceof WriteResult.Skipped ? "skipped" : w instanceof WriteResult.Waiting ? "waiting" : w.describe();
      n.merge(k, 1, Integer::sum);
    }
    List<String> parts = new ArrayList<>();
    n.forEach((k, v) -> {
      if (v > 0) {
        parts.add(v + " " + k);
      }
    });
    return parts.isEmpty() ? "nothing to do" : String.join(", ", parts);
  }

  @Override
  public String toString() {
    String waits = waiting().isEmpty() ? "" : ", " + waiting().size() + " waiting for dependencies";
    return failure().map(f -> "failed: " + f.message()).orElse("applied " + writes() + " change(s)" + waits);
  }
}
