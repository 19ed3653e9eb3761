package io.orchestrationplane.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The planner's diff: what the server adds never counts, every change to a field the plane sets
 * does. Table-driven over a realistic Deployment.
 */
class PlannerTest {
  private static final Resource DESIRED = Resource.fromYaml("""
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: api
        namespace: shop
        labels: {app.kubernetes.io/name: api, team: payments}
        annotations: {note: hello}
      spec:
        replicas: 3
        selector: {matchLabels: {app.kubernetes.io/name: api}}
        template:
          metadata: {labels: {app.kubernetes.io/name: api}}
          spec:
            containers:
              - name: api
                image: acme/api:1.4
                args: [--port, "8080"]
                ports: [{name: http, containerPort: 8080}]
                env: [{name: MODE, value: fast}]
                resources: {requests: {cpu: 250m}}
      """);

  /** The same object as an API server returns it: server fields and defaults added. */
  private static Resource asServerReturnsIt(Resource desired) {
    return desired.edit(t -> {
      ObjectNode m = (ObjectNode) t.get("metadata");
      m.put("uid", "7d2c0b8e-0000-4000-8000-000000000001");
      m.put("resourceVersion", "4711");
      m.put("generation", 7);
      m.put("creationTimestamp", "2026-01-01T00:00:00Z");
      m.putArray("managedFields").addObject().put("manager", "kubectl");
      ((ObjectNode) m.get("annotations")).put("deployment.kubernetes.io/revision", "3");
      ((ObjectNode) m.get("labels")).put("added-by-webhook", "yes");
      ObjectNode spec = (ObjectNode) t.get("spec");
      spec.put("progressDeadlineSeconds", 600);
      spec.put("revisionHistoryLimit", 10);
      spec.putObject("strategy").put("type", "RollingUpdate");
      ObjectNode podSpec = (ObjectNode) spec.get("template").get("spec");
      podSpec.put("restartPolicy", "Always");
      podSpec.put("dnsPolicy", "ClusterFirst");
      ObjectNode container = (ObjectNode) podSpec.get("containers").get(0);
      container.put("imagePullPolicy", "IfNotPresent");
      container.put("terminationMessagePath", "/dev/termination-log");
      ((ObjectNode) container.get("ports").get(0)).put("protocol", "TCP");
      t.putObject("status").put("readyReplicas", 3).put("observedGeneration", 7);
    });
  }

  @Test
  void serverPopulatedFieldsNeverCountAsDrift() {
    assertThat(Planner.diff(DESIRED, asServerReturnsIt(DESIRED))).isEmpty();
  }

  @Test
  void integersAndLongsOfTheSameValueAreEqual() {
    Resource live = DESIRED.edit(t -> ((ObjectNode) t.get("spec")).put("replicas", 3L));
    assertThat(Planner.diff(DESIRED, live)).isEmpty();
  }

  static Stream<Arguments> desiredFieldChanges() {
    return Stream.of(
        change("spec.replicas", t -> spec(t).put("replicas", 4)),
        change("metadata.labels.team", t -> ((ObjectNode) t.get("metadata").get("labels")).put("team", "search")),
        change("metadata.annotations.note", t -> ((ObjectNode) t.get("metadata").get("annotations")).put("note", "bye")),
        change("spec.template.spec.containers[name=api].image", t -> container(t).put("image", "acme/api:1.5")),
        change("spec.template.spec.containers[name=api].args", t -> ((ArrayNode) container(t).get("args")).add("--debug")),
        change("spec.template.spec.containers[name=api].args[1]", t -> ((ArrayNode) container(t).get("args")).set(1, "9090")),
        change("spec.template.spec.containers[name=api].ports[containerPort=8080,protocol=TCP]", t -> ((ObjectNode) container(t).get("ports").get(0)).put("containerPort", 9090)),
        change("spec.template.spec.containers[name=api].env[name=MODE].value", t -> ((ObjectNode) container(t).get("env").get(0)).put("value", "slow")),
        change("spec.template.spec.containers[name=api].resources.requests.cpu", t -> ((ObjectNode) container(t).get("resources").get("requests")).put("cpu", "1")),
        change("spec.template.metadata.labels['app.kubernetes.io/name']", t -> ((ObjectNode) t.at("/spec/template/metadata/labels")).put("app.kubernetes.io/name", "x")),
        change("spec.template.spec.containers[name=api].resources", t -> container(t).remove("resources")),
        change("spec.template.spec.containers[name=api].resources.requests.cpu", t -> ((ObjectNode) container(t).get("resources").get("requests")).put("cpu", 1)));
  }

  private static Arguments change(String path, Consumer<ObjectNode> liveEdit) {
    return Arguments.of(path, liveEdit);
  }

  private static ObjectNode spec(ObjectNode t) {
    return (ObjectNode) t.get("spec");
  }

  private static ObjectNode container(ObjectNode t) {
    return (ObjectNode) t.at("/spec/template/spec/containers/0");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("desiredFieldChanges")
  void everyChangeToADesiredFieldIsCaughtWithItsPath(String path, Consumer<ObjectNode> liveEdit) {
    Resource live = asServerReturnsIt(DESIRED).edit(liveEdit);
    List<FieldDiff> diffs = Planner.diff(DESIRED, live);
    assertThat(diffs).extracting(FieldDiff::path).containsExactly(path);
    JsonNode desiredValue = diffs.get(0).after();
    assertThat(desiredValue).isNotNull();
  }

  @Test
  void everyLeafOfTheDesiredObjectIsCheckedWhenItChanges() {
    // Exhaustive: mutate each scalar leaf of the desired object in the live copy, one at a time.
    List<String> pointers = new ArrayList<>();
    leaves(DESIRED.json(), "", pointers);
    assertThat(pointers).hasSize(15);
    for (String pointer : pointers) {
      Resource live = asServerReturnsIt(DESIRED).edit(t -> {
        String parent = pointer.substring(0, pointer.lastIndexOf('/'));
        String field = pointer.substring(pointer.lastIndexOf('/') + 1);
        JsonNode container = t.at(parent);
        if (container instanceof ObjectNode o) {
          o.put(field.replace("~1", "/").replace("~0", "~"), "changed-value");
        } else {
          ((ArrayNode) container).set(Integer.parseInt(field), "changed-value");
        }
      });
      assertThat(Planner.diff(DESIRED, live)).as("mutating %s", pointer).hasSize(1);
    }
  }

  @Test
  void secretValuesAppearOnlyAsDigests() {
    Resource desired = Resource.fromYaml("""
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: shop}
        stringData: {password: hunter2}
        """);
    Resource live = desired.edit(t -> ((ObjectNode) t.get("stringData")).put("password", "letmein"));
    List<FieldDiff> diffs = Planner.diff(desired, live);
    assertThat(diffs).hasSize(1);
    String rendered = Json.writeJson(diffs.get(0).before()) + Json.writeJson(diffs.get(0).after());
    assertThat(rendered).doesNotContain("hunter2").doesNotContain("letmein").contains("hmac:");
  }

  private static void leaves(JsonNode node, String pointer, List<String> out) {
    if (pointer.startsWith("/metadata/name") || pointer.startsWith("/metadata/namespace")
        || pointer.equals("/apiVersion") || pointer.equals("/kind")) {
      return; // identity, not content: a different name is a different object
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        leaves(e.getValue(), pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1"), out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        leaves(node.get(i), pointer + "/" + i, out);
      }
    } else {
      out.add(pointer);
    }
  }
}
