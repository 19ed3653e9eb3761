package io.orchestrationplane.samples.teams;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.reconcile.Controller;
import io.orchestrationplane.core.reconcile.EventSources;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.time.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class TeamReconcilerTest {
  private final ManualClock clock = ManualClock.create();
  private final InMemoryCluster cluster = InMemoryCluster.builder("dev").clock(clock).build();
  private final Map<String, TeamReconciler.Team> directory = new ConcurrentHashMap<>(
      Map.of("payments", new TeamReconciler.Team("payments", "8")));

  private Controller<String> controller(Scheduler scheduler) {
    return Controller.builder("teams", new TeamReconciler(cluster, t -> Optional.ofNullable(directory.get(t))))
        .workers(0).clock(clock).scheduler(scheduler)
        .eventSource(EventSources.watch(cluster, List.of(new GroupKind("", "ResourceQuota")),
            EventSources.byLabel(TeamReconciler.TEAM_LABEL, t -> t)))
        .eventSource(EventSources.resync(Duration.ofMinutes(10), directory::keySet))
        .build();
  }

  @Test
  void aTeamGetsANamespaceQuotaAndDefaultDenyAndAConvergedTeamCostsNoWrites() {
    try (Scheduler scheduler = Scheduler.manual(clock); Controller<String> teams = controller(scheduler)) {
      teams.start();
      teams.enqueue("payments");
      teams.runPending();
      assertThat(cluster.all()).extracting(r -> r.kind() + " " + r.name())
          .containsExactlyInAnyOrder("Namespace team-payments", "ResourceQuota compute", "NetworkPolicy default-deny");
      long writes = cluster.stats().writes();
      clock.advance(Duration.ofMinutes(10));
      assertThat(teams.runPending()).isEqualTo(1);
      assertThat(cluster.stats().writes()).isEqualTo(writes);
    }
  }

  @Test
  void anOutOfBandQuotaChangeIsPutBack() {
    try (Scheduler scheduler = Scheduler.manual(clock); Controller<String> teams = controller(scheduler)) {
      teams.start();
      teams.enqueue("payments");
      teams.runPending();
      ResourceKey quota = ResourceKey.of("dev", "", "ResourceQuota", "team-payments", "compute");
      cluster.update(cluster.get(quota).orElseThrow().edit(t -> ((ObjectNode) t.at("/spec/hard")).put("requests.cpu", "99")));
      teams.runPending();
      assertThat(cluster.get(quota).orElseThrow().at("/spec/hard/requests.cpu").asString()).isEqualTo("8");
    }
  }

  @Test
  void theDemoRunsOnRealThreads() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    InMemoryCluster demo = TeamNamespaces.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("the controller put back 4");
    assertThat(demo.all()).extracting(r -> r.namespace().isEmpty() ? r.name() : r.namespace())
        .containsOnly("team-payments");
  }
}
