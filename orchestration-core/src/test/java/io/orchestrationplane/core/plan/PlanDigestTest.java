package io.orchestrationplane.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.resource.ContentHash;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * A plan's digest binds reviewed and stored plans and is kept in the audit log, so it must stay
 * what it was defined as: the content hash of {application, policies, writes: [{action, key,
 * liveResourceVersion, contentHash, fields[, inventory: true]}]}, whatever way it is computed.
 */
class PlanDigestTest {
  private static Resource object(String name, String annotationValue) {
    return Resource.fromYaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s, namespace: shop}
        data: {k: "v"}
        """.formatted(name)).withAnnotation(Ownership.CONTENT_HASH_ANNOTATION, annotationValue);
  }

  /** The digest as the plan's fields define it: the tree, hashed by {@link ContentHash#of}. */
  private static String definition(Plan plan) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("application", plan.application());
    root.put("policies", plan.policies());
    ArrayNode writes = root.putArray("writes");
    for (Change c : plan.changes()) {
      if (c.isWrite()) {
        write(writes.addObject(), c);
      }
    }
    for (Change c : plan.inventory()) {
      write(writes.addObject(), c).put("inventory", true);
    }
    return ContentHash.of(root);
  }

  private static ObjectNode write(ObjectNode n, Change c) {
    n.put("action", c.type().name());
    n.put("key", c.key().toString());
    n.put("liveResourceVersion", c.liveResourceVersion());
    n.put("contentHash", c.contentHash());
    ArrayNode paths = n.putArray("fields");
    c.diffs().forEach(d -> paths.add(d.path()));
    return n;
  }

  @Test
  void theDigestIsTheContentHashOfTheDefinedFields() {
    Resource web = object("web", "sha256:aa");
    Resource odd = object("caf\u00e9-\"quoted\"", "tab\there \u65e5\u672c");
    Resource unannotated = Resource.fromYaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: inventory, namespace: shop}
        data: {list: "a,b"}
        """);
    ResourceKey k1 = web.key("c1");
    ResourceKey k2 = odd.key("c\u00e92");
    Change create = new Change(Change.Type.CREATE, k1, "default", "web", web, null, List.of(), 0, null);
    Change update = new Change(Change.Type.UPDATE, k2, "default", "odd", odd, "42",
        List.of(new FieldDiff("data.k", StringNode.valueOf("a"), StringNode.valueOf("b")),
            new FieldDiff("metadata.labels['a/b\\\\c']", null, StringNode.valueOf("x"))), 1, odd);
    Change unchanged = new Change(Change.Type.UNCHANGED, web.key("c3"), "default", "web", web, "7", List.of(), 0, web);
    Change delete = new Change(Change.Type.DELETE, web.key("c4"), "default", "web", null, "9", List.of(), 0, web);
    Change inventory = new Change(Change.Type.UPDATE, unannotated.key("c1"), null, null, unannotated, "3",
        List.of(new FieldDiff("data.list", null, StringNode.valueOf("a,b"))), 0, unannotated);
    // keys of every shape: a group, no cluster, a cluster-scoped object (no namespace)
    Resource deployment = Resource.fromYaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop}
        """).withAnnotation(Ownership.CONTENT_HASH_ANNOTATION, "sha256:bb");
    Resource namespace = Resource.fromYaml("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        """);
    Change grouped = new Change(Change.Type.CREATE, deployment.key("prod"), "prod", "api", deployment, null, List.of(), 0,
        null);
    Change noCluster = new Change(Change.Type.CREATE, deployment.key(""), "prod", "api", deployment, null, List.of(), 0,
        null);
    Change clusterScoped = new Change(Change.Type.CREATE, namespace.key("prod"), "prod", "ns", namespace, null,
        List.of(), 0, null);
    List<Plan> plans = List.of(
        new Plan("shop.api", List.of(grouped, noCluster, clusterScoped), List.of()),
        new Plan("shop.web", List.of(), List.of()),
        new Plan("shop.web", List.of(create, update, unchanged, delete), List.of()),
        new Plan("shop.\u00e9", List.of(create, delete), List.of(), List.of(), List.of(), List.of(inventory), List.of())
            .admitted(List.of(), "sha256:policies \"v2\""));
    for (Plan plan : plans) {
      assertThat(plan.digest()).as(plan.toString()).isEqualTo(definition(plan));
    }
    assertThat(plans.get(2).digest()).isNotEqualTo(plans.get(1).digest());
  }
}
