package io.orchestrationplane.core.apply;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.Preconditions;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.plan.Planner;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Redactor;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Executes a {@link Plan}: applies wave by wave in plan order, then deletes in reverse.
 *
 * <p>What it promises, whatever the clusters do:
 * <ul>
 *   <li>Before writing anything it reads every object the plan writes and refuses a stale plan
 *       with {@link StalePlanException} (status writes by the object's controllers do not count).
 *       A read that fails fails that write: nothing is written unverified.
 *   <li>A CREATE is create-only ({@link ClusterDriver#create}): an object that appeared since
 *       planning is a {@link Outcome.Status#CONFLICT}, never overwritten.
 *   <li>An UPDATE carries the resourceVersion it was checked against, and a DELETE the uid and
 *       resourceVersion of the object it checked the application owns ({@link Preconditions}):
 *       a concurrent writer makes the write a CONFLICT rather than be overwritten or deleted.
 *   <li>A failure stays on its cluster: the remaining changes of that cluster are SKIPPED (they
 *       may depend on the failed one), other clusters go on, unless {@link #stopOnFirstFailure}.
 *   <li>Messages never quote secret values (see {@link Redactor}).
 * </ul>
 * A new plan + apply converges from wherever execution stopped. Thread-safe.
 */
public final class Executor {
  private static final Logger LOG = LoggerFactory.getLogger(Executor.class);
  private static final String WITHHELD = "the cluster's message is withheld: the object holds secret values";
  // one of each: they carry nothing, and the plane keeps every object's last write result
  private static final WriteResult.Created CREATED = new WriteResult.Created();
  private static final WriteResult.Updated UPDATED = new WriteResult.Updated();

  private final Function<String, ClusterDriver> clusters;
  private final Redactor redactor;
  private final boolean stopOnFirstFailure;
  private final io.orchestrationplane.core.cluster.WritePermit permit;

  /** An executor that finds clusters by name, keeps failures on their cluster and redacts with a random key. */
  public Executor(Function<String, ClusterDriver> clusters) {
    this(clusters, Redactor.random(), false, io.orchestrationplane.core.cluster.WritePermit.ALWAYS);
  }

  /**
   * An executor that finds clusters by name and redacts secret values with {@code redactor}; with
   * {@code stopOnFirstFailure} the first failed write stops every cluster, not only its own; every
   * write first asks {@code permit} (a write it refuses fails, unwritten).
   */
  public Executor(Function<String, ClusterDriver> clusters, Redactor redactor, boolean stopOnFirstFailure,
      io.orchestrationplane.core.cluster.WritePermit permit) {
    this.clusters = Objects.requireNonNull(clusters, "clusters");
    this.redactor = Objects.requireNonNull(redactor, "redactor");
    this.stopOnFirstFailure = stopOnFirstFailure;
    this.permit = Objects.requireNonNull(permit, "permit");
  }

  /** True when the first failure stops every cluster. */
  public boolean stopOnFirstFailure() {
    return stopOnFirstFailure;
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
    return execute(plan, gate, Set.of());
  }

  /**
   * Like {@link #execute(Plan, Gate)}; {@code sensitiveValues} are the values of the application's
   * sensitive properties, kept out of messages like Secret data.
   */
  public ExecutionResult execute(Plan plan, Gate gate, Collection<String> sensitiveValues) {
    return execute(plan, gate, sensitiveValues, outcome -> { });
  }

  /**
   * Like {@link #execute(Plan, Gate, Collection)}, telling {@code onWrite} about each write
   * (inventory writes included) as soon as it ran, failed or was skipped; an exception it throws
   * is ignored.
   */
  public ExecutionResult execute(Plan plan, Gate gate, Collection<String> sensitiveValues, Consumer<Outcome> onWrite) {
    Objects.requireNonNull(onWrite, "onWrite");
    Run run = new Run(plan, gate, Set.copyOf(sensitiveValues), onWrite);
    run.checkFresh();
    for (Change change : plan.changes()) {
      run.first(change);
    }
    run.retryWaiting();
    run.outcomes.stream().filter(o -> o.status() == Outcome.Status.WAITING).forEach(run::tell);
    run.remainingInventory();
    return new ExecutionResult(plan, run.outcomes, run.inventoryOutcomes);
  }

  /** One execution: the live state read up front and what happened so far, per cluster. */
  private final class Run {
    final Plan plan;
    final Gate gate;
    final Set<String> sensitive;
    final Consumer<Outcome> onWrite;
    final List<Outcome> outcomes = new ArrayList<>();
    final List<Outcome> inventoryOutcomes = new ArrayList<>();
    /** Inventory writes not run yet, by cluster. */
    final Map<String, Change> pendingInventory = new java.util.LinkedHashMap<>();
    /** The object each write was checked against: absent for a CREATE that found nothing. */
    final Map<ResourceKey, Optional<Resource>> checked = new HashMap<>();
    /** Why each write could not be checked (its cluster could not be read). */
    final Map<ResourceKey, ClusterException> unreadable = new HashMap<>();
    /** The first failure per cluster: later changes there are skipped. */
    final Map<String, Outcome> failedClusters = new HashMap<>();
    @Nullable Outcome firstFailure;

    Run(Plan plan, Gate gate, Set<String> sensitive, Consumer<Outcome> onWrite) {
      this.plan = plan;
      this.gate = gate;
      this.sensitive = sensitive;
      this.onWrite = onWrite;
      for (Change c : plan.inventory()) {
        pendingInventory.put(c.key().cluster(), c);
      }
    }

    /**
     * Writes the cluster's inventory before the first object of a kind it records: the record is
     * always ahead of the writes. Returns the failure that stops the cluster, or null.
     */
    @Nullable Outcome inventoryFirst(Change member) {
      Change inv = pendingInventory.get(member.key().cluster());
      if (inv == null || inv.type() == Change.Type.DELETE || member.wave() <= Planner.INVENTORY_WAVE) {
        return null;
      }
      pendingInventory.remove(member.key().cluster());
      Outcome o = run(inv);
      inventoryOutcomes.add(o);
      return o.isFailure() ? o : null;
    }

    /**
     * Inventory writes no member preceded: records of Namespaces only, and the delete after a
     * cluster's last member, which runs only when every change on that cluster succeeded (a member
     * that could not be deleted keeps the record that finds it).
     */
    void remainingInventory() {
      for (Change inv : List.copyOf(pendingInventory.values())) {
        Outcome stopped = stoppedBy(inv);
        if (stopped == null && inv.type() == Change.Type.DELETE) {
          for (Outcome o : outcomes) {
            if (o.cluster().equals(inv.key().cluster()) && o.change().isWrite() && o.status() != Outcome.Status.DELETED
                && o.status() != Outcome.Status.APPLIED) {
              stopped = o;
              break;
            }
          }
        }
        inventoryOutcomes.add(stopped != null ? told(skipped(inv, stopped)) : run(inv));
      }
      pendingInventory.clear();
    }

    /**
     * Reads every object the plan writes. An update is fresh while the fields it changes differ
     * exactly as planned: a status write by the object's controller (which moves
     * resourceVersion) does not make the plan stale, an edit of a field the plane sets does.
     * Updates and deletes also need the object to be still the application's.
     */
    void checkFresh() {
      List<String> stale = new ArrayList<>();
      List<Change> writes = new ArrayList<>(plan.writes());
      writes.addAll(plan.inventory());
      for (Change change : writes) {
        Optional<Resource> live;
        try {
          live = cluster(change).get(change.key());
        } catch (ClusterException e) {
          unreadable.put(change.key(), e);
          continue;
        }
        checked.put(change.key(), live);
        String now = live.map(Resource::resourceVersion).orElse(null);
        boolean fresh = switch (change.type()) {
          case CREATE -> live.isEmpty();
          case UPDATE -> live.isPresent() && Ownership.isOwnedBy(live.get(), plan.application())
              && (Objects.equals(now, change.liveResourceVersion())
                  || Planner.diff(change.desired(), live.get()).equals(change.diffs()));
          case DELETE -> live.isPresent() && Ownership.isOwnedBy(live.get(), plan.application())
              && (Objects.equals(now, change.liveResourceVersion()) || Objects.equals(live.get().uid(), uidOf(change)));
          default -> true;
        };
        if (!fresh) {
          String owner = live.map(Ownership::owner).orElse(null);
          String ownedBy = live.isPresent() && !plan.application().equals(owner)
              ? (owner == null ? ", no longer managed by the plane" : ", now owned by application " + owner) : "";
          stale.add(change.key().display() + " on cluster " + change.key().cluster() + ": planned "
              + (change.liveResourceVersion() == null ? "absent" : "resourceVersion " + change.liveResourceVersion())
              + ", now " + (now == null ? "absent" : "resourceVersion " + now + " with other content") + ownedBy);
        }
      }
      if (!stale.isEmpty()) {
        throw new StalePlanException(plan.application(), stale);
      }
    }

    void first(Change change) {
      if (!change.isWrite()) {
        outcomes.add(new Outcome(change, new WriteResult.Unchanged()));
        return;
      }
      Outcome stopped = stoppedBy(change);
      if (stopped != null) {
        outcomes.add(told(skipped(change, stopped)));
        return;
      }
      Optional<String> wait = change.type() == Change.Type.DELETE ? Optional.empty() : blocked(change);
      if (wait.isPresent()) {
        outcomes.add(new Outcome(change, new WriteResult.Waiting(wait.get())));
        return;
      }
      Outcome inventoryFailed = inventoryFirst(change);
      outcomes.add(inventoryFailed != null ? told(skipped(change, inventoryFailed)) : run(change));
    }

    // A change may wait on a dependency that a later wave wrote (a Service waits on a Deployment)
    // and that is healthy by now: give waiting changes more passes, in order, while some get through.
    void retryWaiting() {
      boolean progress = true;
      while (progress) {
        progress = false;
        for (int i = 0; i < outcomes.size(); i++) {
          Outcome o = outcomes.get(i);
          if (o.status() != Outcome.Status.WAITING) {
            continue;
          }
          Outcome stopped = stoppedBy(o.change());
          if (stopped != null) {
            outcomes.set(i, told(skipped(o.change(), stopped)));
            continue;
          }
          Optional<String> wait = blocked(o.change());
          if (wait.isPresent()) {
            outcomes.set(i, new Outcome(o.change(), new WriteResult.Waiting(wait.get())));
            continue;
          }
          Outcome inventoryFailed = inventoryFirst(o.change());
          Outcome done = inventoryFailed != null ? told(skipped(o.change(), inventoryFailed)) : run(o.change());
          outcomes.set(i, done);
          progress |= !done.isFailure() && done.status() != Outcome.Status.SKIPPED;
        }
      }
    }

    /** The failure that stops this change: its cluster's, or with stopOnFirstFailure any. */
    @Nullable Outcome stoppedBy(Change change) {
      return stopOnFirstFailure ? firstFailure : failedClusters.get(change.key().cluster());
    }

    /** The gate's answer; a gate that cannot tell (a dependency's cluster failed) holds the change back. */
    Optional<String> blocked(Change change) {
      try {
        return gate.blocked(change);
      } catch (RuntimeException e) {
        return Optional.of("waits: cannot check the health of its dependencies: " + safe(change, e.getMessage()));
      }
    }

    Outcome run(Change change) {
      Outcome o = write(change);
      if (o.isFailure()) {
        failedClusters.putIfAbsent(change.key().cluster(), o);
        if (firstFailure == null) {
          firstFailure = o;
        }
      }
      tell(o);
      return o;
    }

    Outcome told(Outcome o) {
      tell(o);
      return o;
    }

    void tell(Outcome o) {
      try {
        onWrite.accept(o);
      } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
        LOG.warn("a write observer failed on {}", o.change().key(), e); // an observer's bug never stops the writes
      }
    }

    Outcome write(Change change) {
      String what = change.key().display() + " (cluster " + change.key().cluster() + ")";
      String verb = change.type() == Change.Type.DELETE ? "delete" : "apply";
      ClusterException notRead = unreadable.get(change.key());
      if (notRead != null) {
        return new Outcome(change, new WriteResult.Failed(what + ": " + verb + " failed: could not read it first to "
            + "check it is unchanged (" + describe(change, notRead) + "); nothing written", Optional.of(notRead.reason())));
      }
      Optional<Resource> live = checked.getOrDefault(change.key(), Optional.empty());
      Optional<String> refused = permit.refusal(plan.application());
      if (refused.isPresent()) {
        return new Outcome(change, new WriteResult.Failed(what + ": " + verb + " not attempted: " + refused.get()));
      }
      try {
        ClusterDriver cluster = cluster(change);
        switch (change.type()) {
          case CREATE -> {
            return new Outcome(change, CREATED, cluster.create(change.desired()));
          }
          case UPDATE -> {
            String version = live.map(Resource::resourceVersion).orElse(change.liveResourceVersion());
            Resource guarded = change.desired().edit(t -> ((ObjectNode) t.get("metadata")).put("resourceVersion", version));
            return new Outcome(change, UPDATED, cluster.apply(guarded));
          }
          case DELETE -> {
            Resource target = live.orElse(change.live());
            Preconditions pre = target == null ? new Preconditions(uidOf(change), change.liveResourceVersion())
                : Preconditions.of(target);
            cluster.delete(change.key(), pre);
            return new Outcome(change, new WriteResult.Deleted());
          }
          default -> throw new IllegalStateException("unexpected change type " + change.type());
        }
      } catch (ClusterException e) {
        if (e.reason() == ClusterException.Reason.ALREADY_EXISTS || e.reason() == ClusterException.Reason.CONFLICT) {
          String why = e.reason() == ClusterException.Reason.ALREADY_EXISTS
              ? "it appeared since planning and is left alone"
              : "it changed since planning and is left alone";
          return new Outcome(change, new WriteResult.Conflict(what + ": " + verb + " refused: " + why + "; plan again ("
              + describe(change, e) + ")"));
        }
        return new Outcome(change, new WriteResult.Failed(what + ": " + verb + " failed: " + describe(change, e),
            Optional.of(e.reason())));
      } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
        // a driver's bug (a failed assertion, a class missing at run time) fails this write, not the whole execution
        return new Outcome(change, new WriteResult.Failed(what + ": " + verb + " failed: "
            + e.getClass().getSimpleName() + " (" + safe(change, e.getMessage()) + ")"));
      }
    }

    /** {@code server error (message)}, the message scrubbed of the change's secret values. */
    String describe(Change change, ClusterException e) {
      return e.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " (" + safe(change, e.getMessage()) + ")";
    }

    String safe(Change change, @Nullable String message) {
      Set<String> secrets = new LinkedHashSet<>(Redactor.secretValues(change.desired(), sensitive));
      secrets.addAll(Redactor.secretValues(change.live(), sensitive));
      checked.getOrDefault(change.key(), Optional.empty()).ifPresent(l -> secrets.addAll(Redactor.secretValues(l, sensitive)));
      return redactor.scrub(message == null ? "" : message, secrets, WITHHELD);
    }

    ClusterDriver cluster(Change change) {
      return clusters.apply(change.key().cluster());
    }
  }

  private static Outcome skipped(Change change, Outcome failed) {
    return new Outcome(change, new WriteResult.Skipped(
        "not attempted: " + failed.change().key().display() + " (cluster " + failed.change().key().cluster()
            + ") failed first"));
  }

  private static @Nullable String uidOf(Change change) {
    return change.live() == null ? null : change.live().uid();
  }
}
