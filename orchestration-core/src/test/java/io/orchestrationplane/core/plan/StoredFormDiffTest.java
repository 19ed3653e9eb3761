package io.orchestrationplane.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.kind.KindCatalog;
import io.orchestrationplane.core.model.IgnoreDifferences;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 21: the planner compares against what Kubernetes stores, not against the text the plane
 * wrote. Each live object here is written the way a Kubernetes 1.30 API server returns it (its
 * defaulting rules, canonical quantities, {@code omitempty}, admission's additions); a form
 * difference is UNCHANGED, a value difference is an UPDATE naming the element and field.
 */
class StoredFormDiffTest {
  private static final Resource DEPLOYMENT = Resource.fromYaml("""
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: api
        namespace: shop
        labels: {app: api, team: payments}
        annotations: {}
      spec:
        selector: {matchLabels: {app: api}}
        template:
          metadata: {labels: {app: api}}
          spec:
            containers:
              - name: api
                image: acme/api:1.4
                args: []
                ports: [{containerPort: 8080}]
                env: [{name: MODE, value: fast}, {name: LOG, value: info}, {name: EMPTY, value: ""}]
                resources:
                  requests: {cpu: 0.5, memory: 1024Mi}
                  limits: {cpu: 1000m, memory: 1.5Gi}
                volumeMounts: [{name: config, mountPath: /etc/api}]
            volumes: [{name: config, configMap: {name: api}}]
            tolerations: [{key: dedicated, operator: Equal, value: shop, effect: NoSchedule}]
      """);

  /** As a 1.30 API server stores and returns DEPLOYMENT after its defaulting, with a sidecar and a mount added by webhooks. */
  private static Resource stored(Resource desired) {
    return desired.edit(t -> {
      ObjectNode m = (ObjectNode) t.get("metadata");
      if (m.path("annotations").isEmpty()) {
        m.remove("annotations"); // {} is dropped (omitempty)
      }
      m.put("uid", "u-1").put("resourceVersion", "17").put("generation", 1);
      ObjectNode spec = (ObjectNode) t.get("spec");
      spec.put("replicas", 1).put("revisionHistoryLimit", 10).put("progressDeadlineSeconds", 600);
      spec.putObject("strategy").put("type", "RollingUpdate").putObject("rollingUpdate")
          .put("maxSurge", "25%").put("maxUnavailable", "25%");
      ObjectNode pod = (ObjectNode) spec.at("/template/spec");
      pod.put("restartPolicy", "Always").put("dnsPolicy", "ClusterFirst").put("schedulerName", "default-scheduler")
          .put("terminationGracePeriodSeconds", 30).putObject("securityContext");
      ObjectNode api = (ObjectNode) pod.at("/containers/0");
      api.remove("args"); // [] is dropped
      api.put("imagePullPolicy", "IfNotPresent").put("terminationMessagePath", "/dev/termination-log")
          .put("terminationMessagePolicy", "File");
      ((ObjectNode) api.at("/ports/0")).put("protocol", "TCP");
      ((ObjectNode) api.at("/env/2")).remove("value"); // "" is dropped
      ((ArrayNode) api.get("env")).addObject().put("name", "INJECTED_BY_WEBHOOK").put("value", "1");
      ((ObjectNode) api.at("/resources/requests")).put("cpu", "500m").put("memory", "1Gi");
      ((ObjectNode) api.at("/resources/limits")).put("cpu", "1").put("memory", "1536Mi");
      ((ArrayNode) api.get("volumeMounts")).addObject().put("name", "kube-api-access-x1").put("readOnly", true)
          .put("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount");
      ((ArrayNode) pod.get("volumes")).addObject().put("name", "kube-api-access-x1").putObject("projected");
      ((ArrayNode) pod.get("tolerations")).addObject().put("key", "node.kubernetes.io/not-ready")
          .put("operator", "Exists").put("effect", "NoExecute").put("tolerationSeconds", 300);
      ((ArrayNode) pod.get("containers")).addObject().put("name", "istio-proxy").put("image", "istio/proxyv2:1.22");
      t.putObject("status").put("observedGeneration", 1);
    });
  }

  private static List<String> paths(Resource desired, Resource live) {
    return Planner.diff(desired, live).stream().map(FieldDiff::path).toList();
  }

  private static Resource edit(Resource r, Consumer<ObjectNode> change) {
    return r.edit(change);
  }

  @Test
  void onlyTheFormDiffersSoNothingDoes() {
    assertThat(paths(DEPLOYMENT, stored(DEPLOYMENT))).isEmpty();
  }

  @Test
  void quantitiesCompareByValueInEitherDirection() {
    Resource live = edit(stored(DEPLOYMENT), t -> ((ObjectNode) t.at("/spec/template/spec/containers/0/resources/limits"))
        .put("cpu", "2"));
    assertThat(paths(DEPLOYMENT, live)).containsExactly("spec.template.spec.containers[name=api].resources.limits.cpu");
    Resource half = edit(DEPLOYMENT, t -> ((ObjectNode) t.at("/spec/template/spec/containers/0/resources/requests"))
        .put("cpu", "500m").put("memory", "1Gi"));
    Resource written = edit(stored(DEPLOYMENT), t -> ((ObjectNode) t.at("/spec/template/spec/containers/0/resources/requests"))
        .put("cpu", 0.5).put("memory", "1024Mi"));
    assertThat(paths(half, written)).isEmpty();
  }

  @Test
  void elementsOthersAddedToMergedListsAreNotDriftButOurElementsFieldsAre() {
    Resource live = edit(stored(DEPLOYMENT), t -> ((ObjectNode) t.at("/spec/template/spec/containers/0/env/1"))
        .put("value", "debug"));
    assertThat(paths(DEPLOYMENT, live)).containsExactly("spec.template.spec.containers[name=api].env[name=LOG].value");
    Resource portChanged = edit(stored(DEPLOYMENT), t -> ((ObjectNode) t.at("/spec/template/spec/containers/0/ports/0"))
        .put("containerPort", 9090));
    assertThat(paths(DEPLOYMENT, portChanged))
        .containsExactly("spec.template.spec.containers[name=api].ports[containerPort=8080,protocol=TCP]");
  }

  @Test
  void aReorderOfOurEnvIsARealChange() {
    Resource live = edit(stored(DEPLOYMENT), t -> {
      ArrayNode env = (ArrayNode) t.at("/spec/template/spec/containers/0/env");
      var mode = env.get(0);
      env.remove(0);
      env.insert(1, mode);
    });
    assertThat(Planner.diff(DEPLOYMENT, live)).singleElement().satisfies(d -> {
      assertThat(d.path()).isEqualTo("spec.template.spec.containers[name=api].env");
      assertThat(d.after().toString()).isEqualTo("[\"name=MODE\",\"name=LOG\",\"name=EMPTY\"]");
    });
  }

  @Test
  void atomicListsCompareWhole() {
    Resource desired = edit(DEPLOYMENT, t -> ((ArrayNode) ((ObjectNode) t.at("/spec/template/spec/containers/0"))
        .putArray("args")).add("--port").add("8080"));
    Resource live = edit(stored(DEPLOYMENT), t -> ((ObjectNode) t.at("/spec/template/spec/containers/0")).putArray("args")
        .add("--port").add("8080").add("--debug"));
    assertThat(paths(desired, live)).containsExactly("spec.template.spec.containers[name=api].args");
  }

  @Test
  void aSecretsStringDataComparesWithTheStoredBase64Data() {
    Resource desired = Resource.fromYaml("""
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: shop}
        stringData: {password: correct-horse}
        """);
    Resource live = Resource.fromYaml("""
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: shop, resourceVersion: "3"}
        type: Opaque
        data: {password: Y29ycmVjdC1ob3JzZQ==}
        """);
    assertThat(paths(desired, live)).isEmpty();
    Resource changed = live.edit(t -> ((ObjectNode) t.get("data")).put("password", "b3RoZXI="));
    assertThat(Planner.diff(desired, changed)).singleElement().satisfies(d -> {
      assertThat(d.path()).isEqualTo("stringData.password");
      assertThat(d.after().asString()).startsWith("hmac:").doesNotContain("correct");
    });
  }

  @Test
  void fieldsTheServerAllocatesForAnEmptyValueAreNotDriftButIntOrStringKeepsItsType() {
    Resource desired = Resource.fromYaml("""
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: shop}
        spec:
          clusterIP: ""
          ports: [{name: http, port: 80, targetPort: 8080}]
        """);
    Resource live = desired.edit(t -> {
      ObjectNode spec = (ObjectNode) t.get("spec");
      spec.put("clusterIP", "10.96.0.17").put("type", "ClusterIP").put("sessionAffinity", "None");
      spec.putArray("clusterIPs").add("10.96.0.17");
      ((ObjectNode) spec.at("/ports/0")).put("protocol", "TCP");
    });
    assertThat(paths(desired, live)).isEmpty();
    Resource asText = live.edit(t -> ((ObjectNode) t.at("/spec/ports/0")).put("targetPort", "8080"));
    assertThat(paths(desired, asText)).containsExactly("spec.ports[port=80,protocol=TCP].targetPort");
  }

  @Test
  void aFieldThePlaneStopsSettingIsNamedAsRemoved() {
    Resource before = withAppliedFields(DEPLOYMENT);
    Resource live = stored(before);
    Resource after = withAppliedFields(edit(DEPLOYMENT, t -> {
      ((ObjectNode) t.at("/metadata/labels")).remove("team");
      ((ArrayNode) t.at("/spec/template/spec/containers/0/env")).remove(1);
    }));
    assertThat(Planner.diff(after, live)).extracting(FieldDiff::path, FieldDiff::isRemoval).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("metadata.labels.team", true),
        org.assertj.core.groups.Tuple.tuple("spec.template.spec.containers[name=api].env[name=LOG]", true));
  }

  /** As the renderer stamps objects: the content hash and the fields set. */
  private static Resource withAppliedFields(Resource r) {
    return r.withAnnotation(Ownership.APPLIED_FIELDS_ANNOTATION, Ownership.appliedFields(r))
        .withAnnotation(Ownership.CONTENT_HASH_ANNOTATION, io.orchestrationplane.core.resource.ContentHash.of(r.json()));
  }

  @Test
  void ignoreRulesAndNormalizersKeepDifferencesApartAndVerbosePlansShowThem() {
    Resource live = edit(stored(DEPLOYMENT), t -> {
      ((ObjectNode) t.get("spec")).put("replicas", 4);
      ((ObjectNode) t.at("/spec/template/spec/containers/0")).put("image", "acme/api:1.4@sha256:abc");
      ((ObjectNode) t.at("/metadata")).putArray("managedFields").addObject().put("manager", "hpa-controller")
          .put("operation", "Update").putObject("fieldsV1").putObject("f:spec").putObject("f:replicas");
    });
    Resource desired = edit(DEPLOYMENT, t -> ((ObjectNode) t.get("spec")).put("replicas", 2));
    DiffSettings settings = DiffSettings.builder()
        .ignore(IgnoreDifferences.builder("apps", "Deployment").managedFieldsManagers("hpa-controller").build())
        .normalizer((diff, d, l) -> diff.path().endsWith(".image") && diff.before() != null
            && diff.before().asString().startsWith(diff.after().asString() + "@")
            ? Optional.of("image pinned to a digest") : Optional.empty())
        .build();
    Planner planner = new Planner(KindCatalog.defaults(), io.orchestrationplane.core.resource.Redactor.random(),
        settings);
    assertThat(planner.differences(desired, live, Set.of(), List.of())).isEmpty();

    IgnoreDifferences byPointer = IgnoreDifferences.builder("apps", "Deployment").jsonPointers("/spec/replicas").build();
    IgnoreDifferences byJq = IgnoreDifferences.builder("*", "*")
        .jqPathExpressions(".spec.template.spec.containers[] | select(.name == \"api\") | .image").build();
    Planner plain = new Planner(KindCatalog.defaults());
    assertThat(plain.differences(desired, live, Set.of(), List.of(byPointer, byJq))).isEmpty();
    assertThat(plain.differences(desired, live, Set.of(), List.of(byPointer))).extracting(FieldDiff::path)
        .containsExactly("spec.template.spec.containers[name=api].image");
  }

  @Test
  void listsOfCustomKindsMergeByTheKeysTheirCrdDeclares() {
    Resource desired = Resource.fromYaml("""
        apiVersion: example.com/v1
        kind: Pipeline
        metadata: {name: build, namespace: ci}
        spec:
          stages: [{name: test, image: maven}, {name: package, image: maven}]
        """);
    Resource live = desired.edit(t -> ((ArrayNode) t.at("/spec/stages")).insert(0, tools.jackson.databind.node.JsonNodeFactory
        .instance.objectNode().put("name", "checkout").put("image", "git")));
    assertThat(paths(desired, live)).as("atomic without the CRD's keys").containsExactly("spec.stages");
    Planner keyed = new Planner(KindCatalog.defaults(), io.orchestrationplane.core.resource.Redactor.random(),
        DiffSettings.builder().listMap(new GroupKind("example.com", "Pipeline"), "spec.stages", "name").build());
    assertThat(keyed.differences(desired, live, Set.of(), List.of())).isEmpty();
  }
}
