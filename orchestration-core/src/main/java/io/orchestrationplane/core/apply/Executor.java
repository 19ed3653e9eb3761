package io.orchestrationplane.core.apply;

import io.orchestrationplane.core.Ownership;
import io.orchestrationplane.core.Resource;
import io.orchestrationplane.core.ResourceKey;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.plan.Planner;
import io.orchestrationplane.core.spi.ClusterDriver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes a {@link Plan}: applies wave by wave in plan order, then deletes in reverse. Before
 * writing anything it checks that every object is still as planned (status writes by the
 * object's controllers do not count), and refuses a stale plan with {@link StalePlanException}.
 * Updates carry the resourceVersion seen by that check, so a concurrent writer makes the update
 * fail (CONFLICT) rather than be overwritten. The first failure stops
 * execution: it is reported with the change and its cause, the remaining changes are SKIPPED,
 * and a new plan + apply converges.
 */
public final class Executor {
  private static final Logger LOG = LoggerFactory.getLogger(Executor.class);

  private final Function<String, ClusterDriver> clusters;

  /** An executor that finds clusters by name. */
  public Executor(Function<String, ClusterDriver> clusters) {
    this.clusters = Objects.requireNonNull(clusters, "clusters");
  }

  /**
   * Decides whether a change may be written now. Readiness gating: a component's changes wait
   * until every component it depends on is healthy.
   */
  @FunctionalInterface
  public interface Gate {
    /** Lets every change through. */
    Gate OPEN = change -> Optional.empty();

    /** Why the change must wait, or empty when it may be written now. */
    Optional<String> blocked(Change change);
  }

  /** Executes the plan; throws {@link StalePlanException}, having written nothing, when it is stale. */
  public ExecutionResult execute(Plan plan) {
    return execute(plan, Gate.OPEN);
  }

  /**
   * Executes the plan, holding back (status WAITING) the changes the gate blocks; waiting is not
   * failure, and the rest of the plan goes on. Throws {@link StalePlanException}, having written
   * nothing, when the plan is stale.
   */
  public ExecutionResult execute(Plan plan, Gate gate) {
    Map<ResourceKey, String> versions = checkFresh(plan);
    List<Outcome> outcomes = new ArrayList<>();
    Outcome failed = null;
    for (Change change : plan.changes()) {
      if (!change.isWrite()) {
        outcomes.add(new Outcome(change, Outcome.Status.UNCHANGED, "", change.desired()));
      } else if (failed != null) {
        outcomes.add(skipped(change, failed));
      } else {
        Optional<String> wait = change.type() == Change.Type.DELETE ? Optional.empty() : blocked(gate, change);
        if (wait.isPresent()) {
          outcomes.add(new Outcome(change, Outcome.Status.WAITING, wait.get(), null));
          continue;
        }
        Outcome o = run(change, versions);
        outcomes.add(o);
        if (o.status() == Outcome.Status.FAILED) {
          failed = o;
          LOG.warn("application {}: {}", plan.application(), o.message());
        }
      }
    }
    if (failed == null) {
      retryWaiting(plan, gate, outcomes, versions);
    }
    return new ExecutionResult(plan, outcomes);
  }

  // A change may wait on a dependency that a later wave wrote (a Service waits on a Deployment)
  // and that is healthy by now: give waiting changes more passes, in order, while some get through.
  private void retryWaiting(Plan plan, Gate gate, List<Outcome> outcomes, Map<ResourceKey, String> versions) {
    boolean progress = true;
    while (progress) {
      progress = false;
      for (int i = 0; i < outcomes.size(); i++) {
        Outcome o = outcomes.get(i);
        if (o.status() != Outcome.Status.WAITING) {
          continue;
        }
        Optional<String> wait = blocked(gate, o.change());
        if (wait.isPresent()) {
          outcomes.set(i, new Outcome(o.change(), Outcome.Status.WAITING, wait.get(), null));
          continue;
        }
        Outcome done = run(o.change(), versions);
        outcomes.set(i, done);
        if (done.status() == Outcome.Status.FAILED) {
          LOG.warn("application {}: {}", plan.application(), done.message());
          for (int j = i + 1; j < outcomes.size(); j++) {
            if (outcomes.get(j).status() == Outcome.Status.WAITING) {
              outcomes.set(j, skipped(outcomes.get(j).change(), done));
            }
          }
          return;
        }
        progress = true;
      }
    }
  }

  /** The gate's answer; a gate that cannot tell (a dependency's cluster failed) holds the change back. */
  private static Optional<String> blocked(Gate gate, Change change) {
    try {
      return gate.blocked(change);
    } catch (RuntimeException e) {
      return Optional.of("waits: cannot check the health of its dependencies: " + e.getMessage());
    }
  }

  private static Outcome skipped(Change change, Outcome failed) {
    return new Outcome(change, Outcome.Status.SKIPPED,
        "not attempted: " + failed.change().key().display() + " failed first", null);
  }

  private Outcome run(Change change, Map<ResourceKey, String> versions) {
    ClusterDriver cluster = clusters.apply(change.key().cluster());
    String what = change.key().display() + " (cluster " + change.key().cluster() + ")";
    try {
      switch (change.type()) {
        case CREATE -> {
          return new Outcome(change, Outcome.Status.APPLIED, "", cluster.apply(change.desired()));
        }
        case UPDATE -> {
          Resource guarded = change.desired().edit(t -> ((tools.jackson.databind.node.ObjectNode) t.get("metadata"))
              .put("resourceVersion", versions.getOrDefault(change.key(), change.liveResourceVersion())));
          return new Outcome(change, Outcome.Status.APPLIED, "", cluster.apply(guarded));
        }
        case DELETE -> {
          cluster.delete(change.key());
          return new Outcome(change, Outcome.Status.DELETED, "", null);
        }
        default -> throw new IllegalStateException("unexpected change type " + change.type());
      }
    } catch (ClusterException e) {
      String verb = change.type() == Change.Type.DELETE ? "delete" : "apply";
      return new Outcome(change, Outcome.Status.FAILED, what + ": " + verb + " failed: "
          + e.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " (" + e.getMessage() + ")", null);
    } catch (RuntimeException e) {
      return new Outcome(change, Outcome.Status.FAILED, what + ": " + e.getMessage(), null);
    }
  }

  /**
   * Checks that every object is still as planned and returns the resourceVersion to write each
   * update against. An update is fresh while the fields it changes differ exactly as planned: a
   * status write by the object's controller (which moves resourceVersion) does not make the plan
   * stale, an edit of a field the plane sets does.
   */
  private Map<ResourceKey, String> checkFresh(Plan plan) {
    List<String> stale = new ArrayList<>();
    Map<ResourceKey, String> versions = new HashMap<>();
    for (Change change : plan.writes()) {
      ClusterDriver cluster = clusters.apply(change.key().cluster());
      Optional<Resource> live;
      try {
        live = cluster.get(change.key());
      } catch (ClusterException e) {
        continue; // the write itself will fail and be reported; reading is not proof of staleness
      }
      String now = live.map(Resource::resourceVersion).orElse(null);
      boolean fresh = switch (change.type()) {
        case CREATE -> live.isEmpty();
        case UPDATE -> live.isPresent() && (Objects.equals(now, change.liveResourceVersion())
            || Planner.diff(change.desired(), live.get()).equals(change.diffs()));
        case DELETE -> live.isPresent() && Ownership.isOwnedBy(live.get(), plan.application())
            && (Objects.equals(now, change.liveResourceVersion()) || Objects.equals(live.get().uid(), uidOf(change)));
        default -> true;
      };
      if (!fresh) {
        stale.add(change.key().display() + " on cluster " + change.key().cluster() + ": planned "
            + (change.liveResourceVersion() == null ? "absent" : "resourceVersion " + change.liveResourceVersion())
            + ", now " + (now == null ? "absent" : "resourceVersion " + now + " with other content"));
      }
      versions.put(change.key(), now);
    }
    if (!stale.isEmpty()) {
      throw new StalePlanException(plan.application(), stale);
    }
    return versions;
  }

  private static String uidOf(Change change) {
    return change.live() == null ? null : change.live().uid();
  }

}
