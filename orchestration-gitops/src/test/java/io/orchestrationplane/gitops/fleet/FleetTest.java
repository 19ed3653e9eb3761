package io.orchestrationplane.gitops.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.ClusterRegistry;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.gitops.GitRepository;
import io.orchestrationplane.gitops.SyncResult;
import io.orchestrationplane.policy.LabelSelector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fleets through the public API on in-memory clusters in continuous mode. */
class FleetTest {
  static final ApplicationTemplate TEMPLATE = ApplicationTemplate.yaml("""
      apiVersion: orchestrationplane.io/v1alpha1
      kind: Application
      metadata: {name: "shop-{{name}}", namespace: shop}
      spec:
        components:
          - name: settings
            type: k8s-objects
            properties:
              objects:
                - apiVersion: v1
                  kind: ConfigMap
                  metadata: {name: "settings-{{name}}"}
                  data: {tier: "{{metadata.labels.tier}}"}
        environments:
          - name: "{{name}}"
            placement: {clusters: ["{{name}}"]}
      """);

  @TempDir Path tmp;
  final ManualClock clock = ManualClock.create();
  final Scheduler scheduler = Scheduler.manual(clock);
  final InMemoryCluster euProd = InMemoryCluster.create("eu-prod");
  final InMemoryCluster usProd = InMemoryCluster.create("us-prod");
  final InMemoryCluster staging = InMemoryCluster.create("staging");
  final OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).scheduler(scheduler).workers(0)
      .cluster(euProd, Map.of("tier", "prod")).cluster(usProd, Map.of("tier", "prod"))
      .cluster(staging, Map.of("tier", "staging")).readinessGates(false).logging(false).build();

  {
    plane.start();
  }

  @AfterEach
  void tearDown() {
    plane.close();
    scheduler.close();
  }

  static boolean has(InMemoryCluster cluster, String configMap) {
    return cluster.get(ResourceKey.of(cluster.name(), "", "ConfigMap", "shop", configMap)).isPresent();
  }

  @Test
  void twoTemplateKeysThatBecomeOneKeyAreAnErrorNotASilentReplacement() {
    ApplicationTemplate labelled = ApplicationTemplate.yaml("""
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Application
        metadata: {name: "shop-{{name}}", namespace: shop, labels: {"team-{{name}}": owner, team-prod: audited}}
        spec:
          components:
            - {name: api, type: webservice, properties: {image: "acme/shop:1.4"}}
        """);
    assertThat(labelled.render(Map.of("name", "staging")).labels()).containsEntry("team-prod", "audited");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> labelled.render(Map.of("name", "prod")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'team-{{name}}' and 'team-prod' both become 'team-prod' at metadata.labels");
  }

  @Test
  void oneApplicationPerClusterMatchingTheSelector() {
    try (Fleet fleet = Fleet.builder("shop", plane).scheduler(scheduler)
        .generator(Generator.clusters(plane.clusters(), new LabelSelector(Map.of("tier", "prod"), List.of())))
        .template(TEMPLATE).build()) {
      SyncResult result = fleet.refresh();
      plane.runPending();

      assertThat(result).isInstanceOfSatisfying(SyncResult.Applied.class,
          a -> assertThat(a.submitted()).containsExactly("shop.shop-eu-prod", "shop.shop-us-prod"));
      assertThat(euProd.get(ResourceKey.of("eu-prod", "", "ConfigMap", "shop", "settings-eu-prod")).orElseThrow()
          .json().path("data").path("tier").asString()).isEqualTo("prod");
      assertThat(has(usProd, "settings-us-prod")).isTrue();
      assertThat(has(staging, "settings-staging")).isFalse();
      assertThat(fleet.status().applications()).containsExactly("shop.shop-eu-prod", "shop.shop-us-prod");
      assertThat(plane.history("shop.shop-eu-prod").get(0).source().subject().name()).isEqualTo("fleet:shop");
    }
  }

  @Test
  void anItemThatDisappearsIsRemovedThroughThePruneGuardAndAllGoneIsHeld() {
    List<Map<String, String>> items = new ArrayList<>(List.of(
        Map.of("name", "eu-prod", "metadata.labels.tier", "prod"),
        Map.of("name", "us-prod", "metadata.labels.tier", "prod"),
        Map.of("name", "staging", "metadata.labels.tier", "staging")));
    try (Fleet fleet = Fleet.builder("shop", plane).scheduler(scheduler)
        .generator(() -> Generator.list(items).generate()).template(TEMPLATE).build()) {
      fleet.refresh();
      plane.runPending();
      assertThat(has(staging, "settings-staging")).isTrue();

      items.remove(2);
      assertThat(fleet.refresh()).isInstanceOfSatisfying(SyncResult.Applied.class,
          a -> assertThat(a.removed()).containsExactly("shop.shop-staging"));
      plane.runPending();
      assertThat(has(staging, "settings-staging")).isFalse();

      items.clear();
      assertThat(fleet.refresh()).isInstanceOfSatisfying(SyncResult.Applied.class, a -> {
        assertThat(a.removed()).isEmpty();
        assertThat(a.held()).containsExactly("shop.shop-eu-prod", "shop.shop-us-prod");
      });
      plane.runPending();
      assertThat(has(euProd, "settings-eu-prod")).isTrue();
      assertThat(fleet.status().heldRemovals()).hasSize(2);

      fleet.refreshConfirmingPrune();
      plane.runPending();
      assertThat(has(euProd, "settings-eu-prod")).isFalse();
    }
  }

  @Test
  void aFailingClusterRegistryRemovesNothing() {
    AtomicBoolean reachable = new AtomicBoolean(true);
    ClusterRegistry registry = plane.clusters();
    try (Fleet fleet = Fleet.builder("shop", plane).scheduler(scheduler).generator(Generator.clusters(() -> {
      if (!reachable.get()) {
        throw new IllegalStateException("cluster registry unreachable: connection refused");
      }
      return registry;
    }, LabelSelector.EVERYTHING)).template(TEMPLATE).build()) {
      fleet.refresh();
      plane.runPending();
      reachable.set(false);

      SyncResult result = fleet.refresh();
      plane.runPending();

      assertThat(result).isInstanceOfSatisfying(SyncResult.Failed.class, f -> assertThat(f.reason())
          .contains("cluster registry unreachable").contains("nothing was submitted or removed"));
      assertThat(has(euProd, "settings-eu-prod")).isTrue();
      assertThat(has(staging, "settings-staging")).isTrue();
      assertThat(fleet.status().applications()).hasSize(3);
      assertThat(fleet.status().message()).contains("the generator failed");
    }
  }

  @Test
  void aTemplateParameterTheGeneratorDoesNotSetRefusesEverything() {
    try (Fleet fleet = Fleet.builder("shop", plane).scheduler(scheduler)
        .generator(Generator.list(List.of(Map.of("name", "eu-prod")))).template(TEMPLATE).build()) {
      assertThat(fleet.refresh()).isInstanceOfSatisfying(SyncResult.Refused.class, r -> assertThat(r.reason())
          .contains("{{metadata.labels.tier}} (at spec.components[0].properties.objects[0].data.tier)")
          .contains("nothing was submitted or removed"));
      plane.runPending();
      assertThat(has(euProd, "settings-eu-prod")).isFalse();
    }
  }

  @Test
  void aParameterCannotInjectYamlStructure() {
    var app = TEMPLATE.render(Map.of("name", "eu-prod", "metadata.labels.tier", "prod\"}\n  evil: {x: 1"));
    assertThat(app.name()).isEqualTo("shop-eu-prod");
    assertThat(app.components()).hasSize(1);
  }

  @Test
  void oneApplicationPerGitDirectoryWithTheCommitAsOrigin() throws Exception {
    Path origin = tmp.resolve("origin");
    String sha;
    try (Git git = Git.init().setDirectory(origin.toFile()).setInitialBranch("main").call()) {
      git.getRepository().getConfig().setInt("gc", null, "auto", 0); // no background gc racing the directory's removal
      git.getRepository().getConfig().save();
      for (String dir : List.of("clusters/eu-prod", "clusters/us-prod")) {
        Files.createDirectories(origin.resolve(dir));
        Files.writeString(origin.resolve(dir).resolve("values.yaml"), "tier: prod\n");
      }
      Files.writeString(origin.resolve("README.md"), "x");
      git.add().addFilepattern(".").call();
      sha = git.commit().setMessage("two clusters").setSign(false).call().name();
    }
    ApplicationTemplate perDirectory = ApplicationTemplate.yaml("""
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Application
        metadata: {name: "shop-{{path.basename}}", namespace: shop}
        spec:
          components:
            - name: settings
              type: k8s-objects
              properties:
                objects:
                  - {apiVersion: v1, kind: ConfigMap, metadata: {name: "settings-{{path.basename}}"}, data: {from: "{{path}}"}}
          environments:
            - {name: main, placement: {clusters: ["{{path[1]}}"]}}
        """);
    try (GitRepository repo = GitRepository.builder(origin.toUri().toString()).build();
        Fleet fleet = Fleet.builder("shop", plane).scheduler(scheduler)
            .generator(Generator.gitDirectories(repo, "clusters/*")).template(perDirectory).build()) {
      fleet.refresh();
      plane.runPending();
      assertThat(has(euProd, "settings-eu-prod")).isTrue();
      assertThat(has(usProd, "settings-us-prod")).isTrue();
      assertThat(plane.history("shop.shop-eu-prod").get(0).source().origin())
          .isInstanceOfSatisfying(Origin.GitCommit.class, g -> {
            assertThat(g.repository()).isEqualTo(origin.toUri().toString());
            assertThat(g.commit()).isEqualTo(sha);
            assertThat(g.path()).isEqualTo("clusters/eu-prod");
            assertThat(g.subject()).isEqualTo("two clusters");
            assertThat(g.author()).isNotEmpty(); // the JGit user of this machine
          });

      try (var paths = Files.walk(origin)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      assertThat(fleet.refresh()).as("Git unreachable").isInstanceOf(SyncResult.Failed.class);
      plane.runPending();
      assertThat(has(euProd, "settings-eu-prod")).isTrue();
      assertThat(fleet.status().applications()).hasSize(2);
    }
  }

  @Test
  void refreshesOnTheSchedulersClock() {
    List<Map<String, String>> items = new ArrayList<>(List.of(Map.of("name", "eu-prod", "metadata.labels.tier", "p")));
    try (Fleet fleet = Fleet.builder("shop", plane).scheduler(scheduler).interval(java.time.Duration.ofMinutes(1))
        .generator(() -> Generator.list(items).generate()).template(TEMPLATE).build()) {
      fleet.start();
      clock.advance(java.time.Duration.ZERO);
      plane.runPending();
      assertThat(has(euProd, "settings-eu-prod")).isTrue();
      items.add(Map.of("name", "us-prod", "metadata.labels.tier", "p"));
      clock.advance(java.time.Duration.ofMinutes(1));
      plane.runPending();
      assertThat(has(usProd, "settings-us-prod")).isTrue();
    }
  }
}
