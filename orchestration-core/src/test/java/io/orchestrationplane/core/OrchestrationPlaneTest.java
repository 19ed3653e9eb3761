package io.orchestrationplane.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.apply.StalePlanException;
import io.orchestrationplane.core.apply.WriteResult;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Placement;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.time.ManualClock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Plan, apply, change, prune, delete and status through the facade, as a user embeds it. */
class OrchestrationPlaneTest {
  private final ManualClock clock = ManualClock.create();
  private final InMemoryCluster eu = InMemoryCluster.builder("eu").clock(clock).build();
  private final InMemoryCluster us = InMemoryCluster.builder("us").clock(clock).build();
  private final FlakyDriver flakyUs = new FlakyDriver(us);
  private final AutoCloseable euKubelet = InstantKubelet.attach(eu);
  private final AutoCloseable usKubelet = InstantKubelet.attach(us);
  private final OrchestrationPlane plane = OrchestrationPlane.builder()
      .clock(clock)
      .cluster(eu, Map.of("tier", "prod", "region", "eu"))
      .cluster(flakyUs, Map.of("tier", "prod", "region", "us"))
      .build();

  static Application shop(int replicas) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("web", "webservice").property("image", "acme/web:1").property("port", 8080)
            .trait(Trait.of("ingress", Map.of("host", "shop.example.com")))
            .dependsOn("api").build())
        .component(Component.builder("api", "webservice").property("image", "acme/api:1")
            .trait(Trait.of("scaler", Map.of("replicas", replicas))).build())
        .component(Component.builder("config", "k8s-objects").property("manifests", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: shop-config}
            data: {mode: fast}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
            """).build())
        .environment(Environment.builder("prod").placement(Placement.selector(Map.of("tier", "prod"))).build())
        .build();
  }

  @Test
  void aFirstPlanCreatesEverythingInKindThenDependencyOrder() {
    Plan plan = plane.plan(shop(2));
    assertThat(plan.changes()).allMatch(c -> c.type() == Change.Type.CREATE);
    List<String> eu = plan.changes().stream().filter(c -> c.key().cluster().equals("eu"))
        .map(c -> c.key().display()).toList();
    assertThat(eu).containsExactly("Namespace shop", "ConfigMap shop/shop-config", "Service shop/api",
        "Service shop/web", "Deployment shop/api", "Deployment shop/web", "Ingress shop/web");
    assertThat(plan.creates()).hasSize(14);
  }

  @Test
  void applyConvergesAndASecondPlanIsAllUnchanged() {
    ExecutionResult result = plane.apply(shop(2));
    assertThat(result.succeeded()).isTrue();
    assertThat(eu.size()).as("seven objects and the application's inventory").isEqualTo(8);
    assertThat(us.size()).isEqualTo(8);
    Plan again = plane.plan(shop(2));
    assertThat(again.hasChanges()).isFalse();
    assertThat(again.unchanged()).hasSize(14);
    long writes = eu.stats().writes();
    assertThat(plane.apply(shop(2)).writes()).isZero();
    assertThat(eu.stats().writes()).isEqualTo(writes);
  }

  @Test
  void renderedObjectsCarryOwnershipLabelsAndTheContentHash() {
    plane.apply(shop(2));
    Resource api = eu.get(ResourceKey.of("eu", "apps", "Deployment", "shop", "api")).orElseThrow();
    assertThat(api.labels()).containsEntry("app.kubernetes.io/managed-by", "orchestration-plane")
        .containsEntry("orchestrationplane.io/application", "shop.shop")
        .containsEntry("orchestrationplane.io/component", "api")
        .containsEntry("orchestrationplane.io/environment", "prod");
    assertThat(api.annotation("orchestrationplane.io/content-hash")).startsWith("sha256:").hasSize(71);
  }

  @Test
  void changingOnePropertyGivesAOneChangePlanPerClusterWithTheField() {
    plane.apply(shop(2));
    Plan plan = plane.plan(shop(5));
    assertThat(plan.writes()).hasSize(2).allMatch(c -> c.type() == Change.Type.UPDATE);
    Change eu = plan.change(ResourceKey.of("eu", "apps", "Deployment", "shop", "api")).orElseThrow();
    assertThat(eu.diffs()).singleElement().satisfies(d -> {
      assertThat(d.path()).isEqualTo("spec.replicas");
      assertThat(d.before().asInt()).isEqualTo(2);
      assertThat(d.after().asInt()).isEqualTo(5);
    });
    assertThat(plan.toText()).contains("~ Deployment shop/api").contains("~ spec.replicas: 2 -> 5");
    plane.apply(plan);
    assertThat(this.eu.get(eu.key()).orElseThrow().at("/spec/replicas").asInt()).isEqualTo(5);
  }

  @Test
  void removingAComponentPrunesOnlyWhatThisApplicationOwns() {
    plane.apply(shop(2));
    eu.apply(Resource.fromYaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: hand-made, namespace: shop, labels: {app.kubernetes.io/managed-by: helm}}
        spec: {replicas: 1}
        """));
    Application other = Application.builder("other").namespace("shop")
        .component(Component.builder("cron", "cronjob").property("image", "x").property("schedule", "@hourly").build())
        .environment(Environment.builder("prod").clusters("eu").build()).build();
    plane.apply(other);

    Application smaller = shop(2).toBuilder().removeComponent("web")
        .component(shop(2).component("api").orElseThrow()).build();
    Plan plan = plane.plan(smaller);
    assertThat(plan.deletes()).extracting(c -> c.key().cluster() + " " + c.key().display())
        .containsExactly("eu Ingress shop/web", "us Ingress shop/web", "eu Deployment shop/web",
            "us Deployment shop/web", "eu Service shop/web", "us Service shop/web");
    plane.apply(plan);
    assertThat(eu.get(ResourceKey.of("eu", "apps", "Deployment", "shop", "hand-made"))).isPresent();
    assertThat(eu.get(ResourceKey.of("eu", "batch", "CronJob", "shop", "cron"))).isPresent();
    assertThat(eu.get(ResourceKey.of("eu", "apps", "Deployment", "shop", "web"))).isEmpty();
  }

  @Test
  void removingAnEnvironmentPrunesItsObjectsFromItsClusters() {
    plane.apply(shop(2));
    Application euOnly = shop(2).toBuilder()
        .environment(Environment.builder("prod").clusters("eu").build()).build();
    Plan plan = plane.plan(euOnly);
    assertThat(plan.deletes()).hasSize(7).allMatch(c -> c.key().cluster().equals("us"));
    plane.apply(plan);
    assertThat(us.size()).as("the inventory goes after the last object").isZero();
    assertThat(eu.size()).isEqualTo(8);
  }

  @Test
  void plansAreDeterministic() {
    InMemoryCluster other = InMemoryCluster.builder("eu").clock(clock).build();
    InMemoryCluster otherUs = InMemoryCluster.builder("us").clock(clock).build();
    InstantKubelet.attach(other);
    InstantKubelet.attach(otherUs);
    OrchestrationPlane twin = OrchestrationPlane.builder().clock(clock)
        .cluster(other, Map.of("tier", "prod")).cluster(otherUs, Map.of("tier", "prod")).build();
    assertThat(twin.plan(shop(3)).toText()).isEqualTo(plane.plan(shop(3)).toText());
    assertThat(twin.plan(shop(3)).toJson()).isEqualTo(plane.plan(shop(3)).toJson());
    plane.apply(shop(2));
    twin.apply(shop(2));
    assertThat(twin.plan(shop(4)).toJson()).isEqualTo(plane.plan(shop(4)).toJson());
  }

  @Test
  void aStalePlanIsRefusedAndNothingIsWritten() {
    plane.apply(shop(2));
    Plan plan = plane.plan(shop(3));
    Resource live = eu.get(ResourceKey.of("eu", "apps", "Deployment", "shop", "api")).orElseThrow();
    eu.update(live.edit(t -> ((ObjectNode) t.get("spec")).put("replicas", 9)));
    long writes = eu.stats().writes() + us.stats().writes();
    assertThatThrownBy(() -> plane.apply(plan))
        .isInstanceOfSatisfying(StalePlanException.class, e -> assertThat(e.stale()).singleElement().asString()
            .startsWith("Deployment shop/api on cluster eu: planned resourceVersion").endsWith("with other content"));
    assertThat(eu.stats().writes() + us.stats().writes()).isEqualTo(writes);
  }

  @Test
  void aPlannedDeleteOfAnObjectThatLostItsOwnershipLabelsIsRefused() {
    plane.apply(shop(2));
    Application smaller = shop(2).toBuilder().removeComponent("web").build();
    Plan prune = plane.plan(smaller);
    ResourceKey web = ResourceKey.of("eu", "apps", "Deployment", "shop", "web");
    Resource live = eu.get(web).orElseThrow();
    eu.update(live.edit(t -> ((ObjectNode) t.at("/metadata/labels")).remove("orchestrationplane.io/application")));
    assertThatThrownBy(() -> plane.apply(prune)).isInstanceOf(StalePlanException.class)
        .hasMessageContaining("Deployment shop/web on cluster eu");
    assertThat(eu.get(web)).as("adopted by someone else: never deleted").isPresent();
  }

  @Test
  void aStatusWriteByTheObjectsControllerDoesNotMakeThePlanStale() {
    plane.apply(shop(2));
    Plan plan = plane.plan(shop(3));
    Resource live = eu.get(ResourceKey.of("eu", "apps", "Deployment", "shop", "api")).orElseThrow();
    eu.updateStatus(live.edit(t -> t.putObject("status").put("observedGeneration", 99)));
    assertThat(plane.apply(plan).succeeded()).isTrue();
    assertThat(eu.get(live.key("eu")).orElseThrow().at("/spec/replicas").asInt()).isEqualTo(3);
  }

  @Test
  void aFailedChangeStopsItsClusterNamesTheCauseAndANewApplyConverges() {
    flakyUs.failApply = r -> r.kind().equals("Deployment");
    ExecutionResult result = plane.apply(shop(2));
    assertThat(result.succeeded()).isFalse();
    Outcome failure = result.failure().orElseThrow();
    assertThat(failure.message()).isEqualTo("Deployment shop/api (cluster us): apply failed: server error "
        + "(etcd timed out writing Deployment shop/api)");
    assertThat(result.outcomes(Outcome.Status.SKIPPED)).as("the rest of cluster us: later waves, or waiting for api")
        .isNotEmpty().allMatch(o -> o.cluster().equals("us") && (o.change().wave() >= failure.change().wave()
            || o.change().component().equals("web")));
    assertThat(result.succeeded("eu")).as("a failure stays on its cluster").isTrue();
    assertThat(result.byCluster().get("eu")).noneMatch(o -> o.status() == Outcome.Status.SKIPPED);
    assertThat(plane.status(shop(2)).toText()).contains("last write failed: Deployment shop/api (cluster us)");

    flakyUs.failApply = r -> false;
    assertThat(plane.apply(shop(2)).succeeded()).isTrue();
    assertThat(plane.plan(shop(2)).hasChanges()).isFalse();
  }

  @Test
  void anUnreachableClusterIsReportedAndLeftAloneWhileTheOthersConverge() {
    plane.apply(shop(2));
    flakyUs.unreachable = true;
    Application euOnly = shop(3).toBuilder()
        .environment(Environment.builder("prod").clusters("eu").build()).build();
    Plan plan = plane.plan(euOnly);
    assertThat(plan.problems()).singleElement().satisfies(p -> {
      assertThat(p.cluster()).isEqualTo("us");
      assertThat(p.message()).startsWith("cluster unreachable, nothing planned there (UNAVAILABLE");
      assertThat(p.isClusterUnreachable()).isTrue();
    });
    assertThat(Plan.fromJson(plan.toJson()).problems()).singleElement()
        .satisfies(p -> assertThat(p.isClusterUnreachable()).isTrue());
    assertThat(plan.deletes()).isEmpty();
    ApplicationStatus status = plane.status(shop(2));
    assertThat(status.environment("prod")).filteredOn(r -> r.key().cluster().equals("us")).hasSize(7)
        .allSatisfy(r -> {
          assertThat(r.state()).isEqualTo("unknown");
          assertThat(r.health().health()).isEqualTo(io.orchestrationplane.core.health.Health.UNKNOWN);
          assertThat(r.health().message()).isEqualTo("cluster us is unreachable");
        });
    assertThat(plane.apply(plan).succeeded()).isTrue();
    assertThat(eu.get(ResourceKey.of("eu", "apps", "Deployment", "shop", "api")).orElseThrow()
        .at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(us.size()).isEqualTo(8);
  }

  @Test
  void anObjectOwnedByAnotherApplicationIsNotTakenOver() {
    Application first = Application.builder("first").namespace("shop")
        .component(Component.builder("api", "worker").property("image", "x").build()).build();
    Application second = Application.builder("second").namespace("shop")
        .component(Component.builder("api", "worker").property("image", "y").build()).build();
    plane.apply(first);
    Plan plan = plane.plan(second);
    assertThat(plan.writes()).isEmpty();
    assertThat(plan.problems()).hasSize(2).allSatisfy(p -> assertThat(p.message())
        .isEqualTo("belongs to application shop.first; rename the component or remove it there first"));
  }

  @Test
  void statusShowsPresenceSyncDriftAndLastResult() {
    assertThat(plane.status(shop(2)).outOfSync()).hasSize(14).allMatch(r -> !r.present());
    plane.apply(shop(2));
    assertThat(plane.status(shop(2)).isInSync()).isTrue();
    Resource live = eu.get(ResourceKey.of("eu", "apps", "Deployment", "shop", "api")).orElseThrow();
    eu.update(live.edit(t -> ((ObjectNode) t.get("spec")).put("replicas", 9)));
    ApplicationStatus status = plane.status(shop(2));
    assertThat(status.isInSync()).isFalse();
    assertThat(status.outOfSync()).singleElement().satisfies(r -> {
      assertThat(r.present()).isTrue();
      assertThat(r.drift()).extracting(d -> d.path()).containsExactly("spec.replicas");
      assertThat(r.lastWrite()).containsInstanceOf(WriteResult.Created.class);
    });
  }

  @Test
  void deleteRemovesEverythingTheApplicationOwnsEverywhere() {
    plane.apply(shop(2));
    assertThat(plane.delete(shop(2)).succeeded()).isTrue();
    assertThat(eu.size()).isZero();
    assertThat(us.size()).isZero();
  }

  @Test
  void applicationsDecodedFromYamlPlanLikeJavaOnes() {
    String yaml = io.orchestrationplane.core.model.ApplicationCodec.encodeYaml(shop(2));
    assertThat(plane.plan(plane.load(yaml)).toJson()).isEqualTo(plane.plan(shop(2)).toJson());
  }
}
