package io.orchestrationplane.samples.teams;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.plan.Planner;
import io.orchestrationplane.core.reconcile.Reconciler;
import io.orchestrationplane.core.reconcile.Result;
import io.orchestrationplane.core.resource.Resource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A user-written reconciler: for each team, a Namespace {@code team-<name>}, a ResourceQuota
 * sized by the team's tier, and a default-deny NetworkPolicy. Idempotent: it writes only
 * objects that are missing or differ (compared with the plane's own {@link Planner#diff}), so a
 * converged team costs no writes. A team that left the directory has its objects deleted.
 */
public final class TeamReconciler implements Reconciler<String> {
  /** Marks the objects this controller owns. */
  public static final String TEAM_LABEL = "example.com/team";

  private final ClusterDriver cluster;
  private final Function<String, Optional<Team>> directory;

  /** A team and the CPU its namespace may request. */
  public record Team(String name, String cpu) {}

  public TeamReconciler(ClusterDriver cluster, Function<String, Optional<Team>> directory) {
    this.cluster = cluster;
    this.directory = directory;
  }

  @Override
  public Result reconcile(String teamName, Context ctx) {
    Optional<Team> team = directory.apply(teamName);
    String namespace = "team-" + teamName;
    if (team.isEmpty()) {
      // Contents first, then the namespace: not every cluster (the in-memory one, say)
      // deletes a namespace's contents with it.
      List<Resource> owned = desired(new Team(teamName, "0"), namespace);
      for (int i = owned.size() - 1; i >= 0; i--) {
        cluster.delete(owned.get(i).key(cluster.name()));
      }
      return Result.forget();
    }
    for (Resource desired : desired(team.get(), namespace)) {
      Optional<Resource> live = cluster.get(desired.key(cluster.name()));
      if (live.isEmpty() || !Planner.diff(desired, live.get()).isEmpty()) {
        cluster.apply(desired);
      }
    }
    return Result.done();
  }

  static List<Resource> desired(Team team, String namespace) {
    Map<String, String> labels = Map.of(TEAM_LABEL, team.name());
    Resource ns = Resource.of("v1", "Namespace", null, namespace);
    Resource quota = Resource.of("v1", "ResourceQuota", namespace, "compute")
        .edit(t -> t.putObject("spec").putObject("hard").put("requests.cpu", team.cpu()).put("pods", "50"));
    Resource denyAll = Resource.of("networking.k8s.io/v1", "NetworkPolicy", namespace, "default-deny")
        .edit(t -> {
          var spec = t.putObject("spec");
          spec.putObject("podSelector");
          spec.putArray("policyTypes").add("Ingress").add("Egress");
        });
    return List.of(ns, quota, denyAll).stream().map(r -> {
      Resource labelled = r;
      for (var e : labels.entrySet()) {
        labelled = labelled.withLabel(e.getKey(), e.getValue());
      }
      return labelled;
    }).toList();
  }
}
