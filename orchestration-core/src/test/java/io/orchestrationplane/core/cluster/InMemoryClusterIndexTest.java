package io.orchestrationplane.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.time.ManualClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Listings by kind, namespace and selector, checked against a filter of every object. */
class InMemoryClusterIndexTest {
  private static final GroupKind DEPLOYMENT = new GroupKind("apps", "Deployment");
  private static final GroupKind SERVICE = new GroupKind("", "Service");
  private static final GroupKind CONFIG_MAP = new GroupKind("", "ConfigMap");
  private static final List<GroupKind> KINDS = List.of(DEPLOYMENT, SERVICE, CONFIG_MAP);

  private final InMemoryCluster cluster = InMemoryCluster.builder("c1").clock(ManualClock.create()).build();

  private static Resource object(GroupKind kind, String namespace, String name, Map<String, String> labels) {
    Resource r = Resource.of(kind.group().isEmpty() ? "v1" : kind.group() + "/v1", kind.kind(), namespace, name);
    for (Map.Entry<String, String> l : labels.entrySet()) {
      r = r.withLabel(l.getKey(), l.getValue());
    }
    return r;
  }

  private static Map<String, String> labels(String... keyValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  /** What a listing must return: every object, filtered, in the order of {@link InMemoryCluster#all}. */
  private List<Resource> expected(List<GroupKind> kinds, @Nullable String namespace, Map<String, String> selector) {
    List<Resource> all = cluster.all();
    List<Resource> out = new ArrayList<>();
    for (GroupKind kind : kinds) {
      for (Resource r : all) {
        if (r.groupKind().equals(kind) && (namespace == null || namespace.equals(r.namespace()))
            && r.labels().entrySet().containsAll(selector.entrySet())) {
          out.add(r);
        }
      }
    }
    return out;
  }

  private void assertListings(List<Map<String, String>> selectors) {
    for (Map<String, String> selector : selectors) {
      for (String namespace : new String[] {null, "a", "b", "c", "none"}) {
        assertThat(cluster.list(KINDS, namespace, selector))
            .as("%s in %s", selector, namespace).isEqualTo(expected(KINDS, namespace, selector));
        assertThat(cluster.list(List.of(CONFIG_MAP, DEPLOYMENT), namespace, selector))
            .as("%s in %s, two kinds", selector, namespace).isEqualTo(expected(List.of(CONFIG_MAP, DEPLOYMENT), namespace, selector));
        for (GroupKind kind : KINDS) {
          assertThat(cluster.list(kind, namespace, selector))
              .as("%s %s in %s", kind, selector, namespace).isEqualTo(expected(List.of(kind), namespace, selector));
        }
      }
    }
  }

  @Test
  void allIsSortedByKindNamespaceAndName() {
    cluster.apply(object(SERVICE, "b", "x", Map.of()));
    cluster.apply(object(DEPLOYMENT, "b", "a", Map.of()));
    cluster.apply(object(SERVICE, "a", "z", Map.of()));
    cluster.apply(object(SERVICE, "", "m", Map.of()));
    // "Deployment.apps" before "Service"
    assertThat(cluster.all()).extracting(Resource::toString)
        .containsExactly("Deployment b/a", "Service m", "Service a/z", "Service b/x");
  }

  @Test
  void aLabelChangedByAnUpdateMovesTheObject() {
    cluster.apply(object(DEPLOYMENT, "a", "web", labels("app", "shop", "tier", "front")));
    cluster.apply(object(SERVICE, "a", "web", labels("app", "shop")));
    cluster.apply(object(DEPLOYMENT, "a", "web", labels("app", "cart", "tier", "front")));
    assertThat(cluster.list(KINDS, null, labels("app", "shop"))).extracting(Resource::kind).containsExactly("Service");
    assertThat(cluster.list(KINDS, null, labels("app", "cart"))).extracting(Resource::kind).containsExactly("Deployment");
    assertThat(cluster.list(DEPLOYMENT, null, labels("app", "cart", "tier", "front"))).hasSize(1);

    // a PUT that drops a label, and a status write that keeps them
    Resource live = cluster.get(object(DEPLOYMENT, "a", "web", Map.of()).key("c1")).orElseThrow();
    cluster.update(live.edit(t -> ((ObjectNode) t.get("metadata").get("labels")).remove("tier")));
    assertThat(cluster.list(DEPLOYMENT, null, labels("tier", "front"))).isEmpty();
    Resource updated = cluster.get(live.key("c1")).orElseThrow();
    cluster.updateStatus(updated.edit(t -> t.putObject("status").put("ready", true)));
    assertThat(cluster.list(DEPLOYMENT, "a", labels("app", "cart"))).extracting(r -> r.at("/status/ready").asBoolean())
        .containsExactly(true);
    assertListings(List.of(labels("app", "cart"), labels("app", "shop"), labels("tier", "front"), Map.of()));
  }

  @Test
  void aDeletedObjectLeavesTheIndexOnceItsFinalizersAreGone() {
    cluster.apply(object(CONFIG_MAP, "a", "one", labels("app", "shop")));
    cluster.apply(object(CONFIG_MAP, "a", "two", labels("app", "shop")).edit(t ->
        ((ObjectNode) t.get("metadata")).putArray("finalizers").add("example.com/hold")));
    cluster.apply(object(SERVICE, "a", "one", labels("app", "shop")));
    assertThat(cluster.delete(object(CONFIG_MAP, "a", "one", Map.of()).key("c1"))).isTrue();
    assertThat(cluster.delete(object(CONFIG_MAP, "a", "two", Map.of()).key("c1"))).isTrue();
    // held by its finalizer: still listed, marked
    assertThat(cluster.list(List.of(CONFIG_MAP, SERVICE), null, labels("app", "shop")))
        .extracting(Resource::name, Resource::isBeingDeleted)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("two", true), org.assertj.core.groups.Tuple.tuple("one", false));
    Resource held = cluster.get(object(CONFIG_MAP, "a", "two", Map.of()).key("c1")).orElseThrow();
    cluster.update(held.edit(t -> ((ObjectNode) t.get("metadata")).remove("finalizers")));
    assertThat(cluster.list(KINDS, null, labels("app", "shop"))).extracting(Resource::kind).containsExactly("Service");
    cluster.delete(object(SERVICE, "a", "one", Map.of()).key("c1"));
    assertThat(cluster.list(KINDS, null, labels("app", "shop"))).isEmpty();
    // the same names again: nothing of the old objects is left in the way
    cluster.apply(object(CONFIG_MAP, "a", "two", labels("app", "shop")));
    assertThat(cluster.list(KINDS, "a", labels("app", "shop"))).extracting(Resource::name).containsExactly("two");
  }

  @Test
  void kindsSharingALabelAreListedKindByKindInTheOrderAsked() {
    for (String ns : List.of("b", "a")) {
      for (String name : List.of("y", "x")) {
        for (GroupKind kind : KINDS) {
          cluster.apply(object(kind, ns, name, labels("app", "shop", "managed-by", "plane")));
        }
      }
    }
    assertThat(cluster.list(List.of(SERVICE, DEPLOYMENT), null, labels("app", "shop")))
        .extracting(r -> r.kind() + " " + r.namespace() + "/" + r.name())
        .containsExactly("Service a/x", "Service a/y", "Service b/x", "Service b/y",
            "Deployment a/x", "Deployment a/y", "Deployment b/x", "Deployment b/y");
    assertThat(cluster.list(List.of(CONFIG_MAP), "b", labels("managed-by", "plane", "app", "shop")))
        .extracting(Resource::name).containsExactly("x", "y");
    assertThat(cluster.list(List.of(CONFIG_MAP), "b", labels("app", "shop", "other", "x"))).isEmpty();
  }

  /**
   * Enough objects to split the kinds' chunks and to make a label a crowd's, written, relabelled
   * and deleted in a random (seeded) order; every listing is checked against a filter of all
   * objects along the way, and the crowd shrinks back to a list of holders.
   */
  @Test
  void listingsStayRightThroughManyRandomWrites() {
    Random random = new Random(19);
    int count = 3 * InMemoryCluster.CROWD; // a kind's chunks hold 256 objects: some 500 objects of a kind split them
    List<Resource> written = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      GroupKind kind = KINDS.get(random.nextInt(KINDS.size()));
      String ns = List.of("a", "b", "c").get(random.nextInt(3));
      Map<String, String> l = labels("managed-by", "plane", "app", "app-" + random.nextInt(count / 8));
      if (random.nextInt(4) == 0) {
        l.put("tier", "front");
      }
      written.add(object(kind, ns, "o-" + random.nextInt(1_000_000), l));
    }
    Collections.shuffle(written, random);
    written.forEach(cluster::apply);
    List<Map<String, String>> selectors = List.of(Map.of(), labels("managed-by", "plane"), labels("tier", "front"),
        labels("app", "app-3"), labels("app", "app-3", "managed-by", "plane"), labels("tier", "front", "app", "app-7"),
        labels("managed-by", "plane", "tier", "front"), labels("app", "none"));
    assertListings(selectors);
    for (Resource r : written) {
      assertThat(cluster.get(r.key("c1"))).as("%s", r).isPresent();
    }

    // relabel an eighth, keep an eighth, delete the rest: "managed-by" falls back below the threshold
    for (int i = 0; i < written.size(); i++) {
      Resource r = written.get(i);
      if (i % 8 == 0) {
        cluster.apply(r.withLabel("app", "app-" + random.nextInt(count / 8)).withLabel("tier", "back")
            .withLabel("managed-by", "other"));
      } else if (i % 8 != 1) {
        cluster.delete(r.key("c1"));
      }
      if (i % 500 == 0) {
        assertListings(selectors);
      }
    }
    assertThat(cluster.list(KINDS, null, labels("managed-by", "plane")).size()).isLessThan(InMemoryCluster.CROWD / 2);
    assertListings(selectors);
    assertListings(List.of(labels("tier", "back"), labels("tier", "back", "app", "app-5"), labels("managed-by", "other")));
    assertThat(cluster.size()).isEqualTo(cluster.all().size());
  }
}
