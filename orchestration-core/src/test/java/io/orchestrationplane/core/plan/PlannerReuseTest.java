package io.orchestrationplane.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.FlakyDriver;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.kind.KindCatalog;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Inventory;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The planner hands back its last plan while the clusters list the very objects it was made
 * from, and plans afresh on any change it could have missed: an edit, a delete, an unreadable
 * cluster, an object it had to read outside the listing.
 */
class PlannerReuseTest {
  private static final String APP = "shop.web";
  private static final GroupKind DEPLOYMENT = new GroupKind("apps", "Deployment");
  private static final GroupKind POD = new GroupKind("", "Pod");

  private final InMemoryCluster cluster = InMemoryCluster.create("c1");
  private final Planner planner = new Planner(KindCatalog.defaults());
  private final Set<GroupKind> kinds = Set.of(DEPLOYMENT, POD);
  private final Map<String, Integer> order = Map.of("web", 0);

  private static Resource deployment(int replicas) {
    return Resource.fromYaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          labels: {%s: %s, %s: %s, %s: web, %s: default}
        spec: {replicas: %d}
        """.formatted(Ownership.MANAGED_BY_LABEL, Ownership.MANAGER, Ownership.APPLICATION_LABEL, APP,
        Ownership.COMPONENT_LABEL, Ownership.ENVIRONMENT_LABEL, replicas));
  }

  private final Resource desired = deployment(2);
  private final List<Planner.Target> targets = List.of(new Planner.Target("default", cluster, List.of(desired)));

  private Plan plan() {
    return plan(cluster);
  }

  /** The desired object and the application's inventory on the cluster, as an apply leaves them. */
  private void applied() {
    cluster.apply(desired);
    cluster.apply(Inventory.parent(APP, Set.of(DEPLOYMENT), Set.of("shop")));
  }

  private Plan plan(ClusterDriver driver) {
    List<Planner.Target> t = driver == cluster ? targets : List.of(new Planner.Target("default", driver, List.of(desired)));
    return planner.plan(APP, t, List.of(driver), kinds, order);
  }

  @Test
  void anUnchangedClusterGetsTheSamePlanBack() {
    applied();
    Plan first = plan();
    assertThat(first.changes()).extracting(Change::type).containsExactly(Change.Type.UNCHANGED);
    assertThat(plan()).isSameAs(first);
  }

  @Test
  void anEditOrADeleteSinceTheLastPlanIsSeen() {
    cluster.apply(desired);
    Plan first = plan();
    cluster.apply(deployment(5)); // someone scaled it out of band
    Plan edited = plan();
    assertThat(edited).isNotSameAs(first);
    assertThat(edited.changes()).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo(Change.Type.UPDATE);
      assertThat(c.diffs()).extracting(FieldDiff::path).containsExactly("spec.replicas");
    });
    cluster.delete(desired.key("c1"));
    assertThat(plan().changes()).extracting(Change::type).containsExactly(Change.Type.CREATE);
  }

  @Test
  void aCreateIsPlannedAgainEachTimeSinceTheObjectWasReadOutsideTheListing() {
    Plan first = plan();
    assertThat(first.changes()).extracting(Change::type).containsExactly(Change.Type.CREATE);
    Resource stranger = Resource.fromYaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec: {replicas: 1}
        """);
    cluster.apply(stranger); // unlabelled: invisible to the listing, found by the direct read
    Plan second = plan();
    assertThat(second.changes()).isEmpty();
    assertThat(second.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("not managed by the plane"));
  }

  @Test
  void aPodItsControllerOwnsIsNeverPrunedEvenWithTheApplicationsLabels() {
    cluster.apply(desired);
    Resource pod = Resource.fromYaml("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-7d9f-abcde
          namespace: shop
          labels: {%s: %s, %s: %s}
          ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f, uid: u1, controller: true}]
        """.formatted(Ownership.MANAGED_BY_LABEL, Ownership.MANAGER, Ownership.APPLICATION_LABEL, APP));
    assertThat(pod.hasController()).isTrue();
    assertThat(desired.hasController()).isFalse();
    cluster.apply(pod);
    assertThat(plan().deletes()).isEmpty();
    cluster.apply(pod.edit(t -> ((ObjectNode) t.get("metadata")).remove("ownerReferences"))); // orphaned: ours to prune
    assertThat(plan().deletes()).extracting(c -> c.key().name()).containsExactly("web-7d9f-abcde");
  }

  @Test
  void aClusterThatCannotBeReadGivesAProblemAndAFreshPlanOnceItAnswersAgain() {
    cluster.apply(desired);
    FlakyDriver failing = new FlakyDriver(cluster);
    Plan first = plan(failing);
    failing.unreachable = true;
    Plan down = plan(failing);
    assertThat(down.changes()).isEmpty();
    assertThat(down.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("cluster unreachable"));
    failing.unreachable = false;
    Plan back = plan(failing);
    assertThat(back).isNotSameAs(first).isNotSameAs(down);
    assertThat(back.changes()).extracting(Change::type).containsExactly(Change.Type.UNCHANGED);
    assertThat(back.problems()).isEmpty();
  }
}
