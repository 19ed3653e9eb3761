package io.orchestrationplane.samples.teams;

import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.reconcile.Controller;
import io.orchestrationplane.core.reconcile.EventSources;
import io.orchestrationplane.core.resource.GroupKind;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * A custom controller on the plane's runtime: {@link TeamReconciler} runs on a {@link
 * Controller} fed by a watch on the cluster (mapping the team label to the team) and a periodic
 * resync of the team directory. Run it with
 * {@code mvn -B -q -pl samples/custom-controller -am compile exec:java}.
 */
public final class TeamNamespaces {
  private TeamNamespaces() {}

  public static void main(String[] args) throws InterruptedException {
    run(System.out);
  }

  /** Runs the demo, printing what the controller did; returns the cluster it worked on. */
  public static InMemoryCluster run(PrintStream out) throws InterruptedException {
    InMemoryCluster cluster = InMemoryCluster.create("dev");
    Map<String, TeamReconciler.Team> directory = new ConcurrentHashMap<>();
    directory.put("payments", new TeamReconciler.Team("payments", "8"));
    directory.put("search", new TeamReconciler.Team("search", "4"));

    TeamReconciler reconciler = new TeamReconciler(cluster, team -> Optional.ofNullable(directory.get(team)));
    List<GroupKind> kinds = List.of(new GroupKind("", "Namespace"), new GroupKind("", "ResourceQuota"),
        new GroupKind("networking.k8s.io", "NetworkPolicy"));
    try (Controller<String> teams = Controller.builder("teams", reconciler)
        .workers(2)
        .eventSource(EventSources.watch(cluster, kinds, EventSources.byLabel(TeamReconciler.TEAM_LABEL, t -> t)))
        .eventSource(EventSources.resync(Duration.ofMinutes(10), directory::keySet))
        .build()) {
      teams.start();
      directory.keySet().forEach(teams::enqueue);
      teams.awaitIdle(Duration.ofSeconds(30));
      out.println("after start: " + describe(cluster));

      var quota = cluster.get(io.orchestrationplane.core.resource.ResourceKey.of("dev", "", "ResourceQuota", "team-search", "compute"))
          .orElseThrow();
      cluster.update(quota.edit(t -> ((ObjectNode) t.at("/spec/hard")).put("requests.cpu", "64")));
      teams.awaitIdle(Duration.ofSeconds(30));
      out.println("someone raised search's CPU quota to 64; the controller put back "
          + cluster.get(quota.key("dev")).orElseThrow().at("/spec/hard/requests.cpu").asString());

      directory.remove("search");
      teams.enqueue("search");
      teams.awaitIdle(Duration.ofSeconds(30));
      out.println("search left the directory: " + describe(cluster));
    }
    return cluster;
  }

  private static String describe(InMemoryCluster cluster) {
    return cluster.all().stream().map(r -> r.kind() + " " + (r.namespace().isEmpty() ? "" : r.namespace() + "/") + r.name())
        .toList().toString();
  }
}
