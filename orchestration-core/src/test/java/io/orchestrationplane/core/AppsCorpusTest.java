package io.orchestrationplane.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.kind.KindCatalog;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.time.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Real manifests from other projects (../shared/corpus/apps, see its SOURCE.md) as k8s-objects
 * components: plan from empty (all CREATE, in kind order), apply, re-plan (all UNCHANGED), let
 * the "server" add status and defaults (still UNCHANGED), then delete to an empty cluster.
 */
class AppsCorpusTest {

  @TestFactory
  Stream<DynamicTest> everyCorpusApplicationGoesThroughTheWholeLifecycle() throws IOException {
    Path apps = Corpus.find("apps").orElse(null);
    if (apps == null) {
      return Stream.of(DynamicTest.dynamicTest("corpus absent", () -> Corpus.skipBecauseAbsent("apps")));
    }
    try (Stream<Path> dirs = Files.list(apps)) {
      List<Path> folders = dirs.filter(Files::isDirectory).sorted().toList();
      assertThat(folders).isNotEmpty();
      return folders.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> lifecycle(dir)));
    }
  }

  private static void lifecycle(Path dir) throws IOException {
    String name = dir.getFileName().toString();
    Application.Builder builder = Application.builder(name).namespace(name);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        String component = file.getFileName().toString().replace(".yaml", "");
        builder.component(Component.builder(component, "k8s-objects").property("manifests", read(file)).build());
      }
    }
    Application app = builder.build();
    ManualClock clock = ManualClock.create();
    InMemoryCluster cluster = InMemoryCluster.builder("local").clock(clock).build();
    OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(cluster).build();
    KindCatalog kinds = plane.kinds();

    Plan first = plane.plan(app);
    assertThat(first.changes()).isNotEmpty().allMatch(c -> c.type() == Change.Type.CREATE);
    List<Integer> ranks = first.changes().stream().map(c -> kinds.applyRank(c.key().groupKind())).toList();
    assertThat(ranks).as("kind order of %s", first.changes()).isSorted();

    assertThat(plane.apply(first).succeeded()).isTrue();
    assertThat(cluster.size()).as("the objects and the application's inventory").isEqualTo(first.creates().size() + 1);
    assertThat(plane.plan(app).changes()).allMatch(c -> c.type() == Change.Type.UNCHANGED);

    for (Resource live : cluster.all()) {
      cluster.update(withServerAdditions(live));
      cluster.updateStatus(cluster.get(live.key("local")).orElseThrow()
          .edit(t -> t.putObject("status").put("observedGeneration", 1).putArray("conditions").addObject()
              .put("type", "Ready").put("status", "True")));
    }
    Plan afterServer = plane.plan(app);
    assertThat(afterServer.writes()).as(afterServer.toText()).isEmpty();

    assertThat(plane.delete(app).succeeded()).isTrue();
    assertThat(cluster.size()).isZero();
    System.out.printf("apps corpus %s: %d objects created, unchanged after server additions, deleted%n",
        name, first.creates().size());
  }

  /** What an API server adds: defaults in the spec and in every container. */
  private static Resource withServerAdditions(Resource live) {
    return live.edit(t -> {
      ((ObjectNode) t.get("metadata")).putArray("managedFields").addObject().put("manager", "kube-controller-manager");
      JsonNode spec = t.get("spec");
      if (spec instanceof ObjectNode s) {
        if (live.kind().equals("Deployment") || live.kind().equals("StatefulSet")) {
          s.put("revisionHistoryLimit", 10);
          if (!s.has("replicas")) {
            s.put("replicas", 1);
          }
        }
        if (live.kind().equals("Service") && !s.has("clusterIP")) {
          s.put("clusterIP", "10.96.0.17");
          s.putArray("clusterIPs").add("10.96.0.17");
          s.put("sessionAffinity", "None");
        }
        JsonNode containers = s.path("template").path("spec").path("containers");
        if (containers instanceof ArrayNode list) {
          ((ObjectNode) s.get("template").get("spec")).put("dnsPolicy", "ClusterFirst");
          for (JsonNode c : list) {
            ((ObjectNode) c).put("terminationMessagePath", "/dev/termination-log");
            if (!c.has("imagePullPolicy")) {
              ((ObjectNode) c).put("imagePullPolicy", "IfNotPresent");
            }
          }
        }
      }
    });
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
