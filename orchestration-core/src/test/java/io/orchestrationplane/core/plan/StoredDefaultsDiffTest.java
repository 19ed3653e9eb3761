package io.orchestrationplane.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.resource.Resource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Objects the plane sets only partly, against the form a Kubernetes API server stores them in
 * (kubernetes pkg/apis/core/v1/defaults.go and conversion.go): each pair is no difference when
 * only the server's defaulting or conversion separates them, and a difference when a value the
 * plane sets changed.
 */
class StoredDefaultsDiffTest {

  /**
   * A Secret's stringData is merged into data on write, overwriting data's value for the same key
   * (Convert_v1_Secret_To_core_Secret: "StringData overwrites Data"), and is never returned.
   */
  @ParameterizedTest(name = "data {0} + stringData {1} stored as data {2}: differs at [{3}]")
  @CsvSource(delimiter = '|', value = {
      // data.k = "old", stringData.k = "new": the server keeps "new"
      "{k: b2xk}|{k: new}|{k: bmV3}|",
      "{k: b2xk, j: ag==}|{k: new}|{k: bmV3, j: ag==}|",
      "{}|{k: new}|{k: bmV3}|",
      "{k: b2xk}|{}|{k: b2xk}|",
      // a real change still shows: on the stringData key, or on a data key stringData does not set
      "{k: b2xk}|{k: new}|{k: b2xk}|stringData.k",
      "{k: b2xk, j: ag==}|{k: new}|{k: bmV3, j: aw==}|data.j",
      "{k: b2xk, j: ag==}|{k: new}|{k: bmV3}|data.j",
  })
  void stringDataOverwritesDataForTheSameKey(String data, String stringData, String stored, String differs) {
    Resource desired = Resource.fromYaml("""
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: shop}
        data: %s
        stringData: %s
        """.formatted(data, stringData));
    Resource live = Resource.fromYaml("""
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: shop, resourceVersion: "3"}
        type: Opaque
        data: %s
        """.formatted(stored));
    var paths = Planner.diff(desired, live).stream().map(FieldDiff::path).toList();
    if (differs == null) {
      assertThat(paths).isEmpty();
    } else {
      assertThat(paths).containsExactly(differs);
    }
  }

  /**
   * Base64 values are decoded as Go's encoding/base64 does, which ignores line breaks, and are
   * stored re-encoded on one line: a Secret's data and a ConfigMap's binaryData.
   */
  @ParameterizedTest(name = "{0} {1} stored as {2} differs at [{3}]")
  @CsvSource(delimiter = '|', value = {
      "Secret|Y29y\\ncmVjdC1ob3JzZQ==|Y29ycmVjdC1ob3JzZQ==|",
      "Secret|Y29y\\r\\ncmVjdC1o\\nb3JzZQ==\\n|Y29ycmVjdC1ob3JzZQ==|",
      "Secret|b3Ro\\nZXI=|Y29ycmVjdC1ob3JzZQ==|data.password",
      "ConfigMap|Y29y\\ncmVjdC1ob3JzZQ==|Y29ycmVjdC1ob3JzZQ==|",
      "ConfigMap|b3Ro\\nZXI=|Y29ycmVjdC1ob3JzZQ==|binaryData.password",
  })
  void base64ValuesIgnoreLineBreaks(String kind, String desired, String stored, String differs) {
    String field = kind.equals("Secret") ? "data" : "binaryData";
    Resource want = Resource.fromJson("""
        {"apiVersion": "v1", "kind": "%s", "metadata": {"name": "db", "namespace": "shop"}, "%s": {"password": "%s"}}
        """.formatted(kind, field, desired));
    Resource live = Resource.fromJson("""
        {"apiVersion": "v1", "kind": "%s", "metadata": {"name": "db", "namespace": "shop"}, "%s": {"password": "%s"}}
        """.formatted(kind, field, stored));
    var paths = Planner.diff(want, live).stream().map(FieldDiff::path).toList();
    if (differs == null) {
      assertThat(paths).isEmpty();
    } else {
      assertThat(paths).containsExactly(differs);
    }
  }

  private static final Resource DEPLOYMENT = Resource.fromYaml("""
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: api, namespace: shop}
      spec:
        selector: {matchLabels: {app: api}}
        template:
          metadata: {labels: {app: api}}
          spec:
            containers:
              - name: api
                image: acme/api:1.4
                ports: [{containerPort: 8080}]
                livenessProbe: {httpGet: {port: 8080}}
      """);

  private static final Resource SERVICE = Resource.fromYaml("""
      apiVersion: v1
      kind: Service
      metadata: {name: api, namespace: shop}
      spec:
        selector: {app: api}
        ports: [{name: http, port: 80}]
      """);

  /**
   * A field the plane sets empty ({@code ""} or {@code 0}) that the API server defaults: the
   * desired object sets {@code field} of the object at {@code pointer} to {@code desired}; the
   * live one, as stored, has {@code stored} there (kubernetes pkg/apis/core/v1/defaults.go:
   * SetDefaults_Container, SetDefaults_ContainerPort, SetDefaults_Probe, SetDefaults_HTTPGetAction,
   * SetDefaults_PodSpec, SetDefaults_Service).
   */
  @ParameterizedTest(name = "{0} {1}: {2} stored as {3} differs at [{4}]")
  @CsvSource(delimiter = '|', value = {
      "deployment|/spec/template/spec/containers/0|imagePullPolicy|''|IfNotPresent|",
      "deployment|/spec/template/spec/containers/0|imagePullPolicy|''|Always|spec.template.spec.containers[name=api].imagePullPolicy",
      "deployment|/spec/template/spec/containers/0|terminationMessagePath|''|/dev/termination-log|",
      "deployment|/spec/template/spec/containers/0|terminationMessagePolicy|''|File|",
      "deployment|/spec/template/spec/containers/0|terminationMessagePolicy|''|FallbackToLogsOnError|spec.template.spec.containers[name=api].terminationMessagePolicy",
      "deployment|/spec/template/spec/containers/0/ports/0|protocol|''|TCP|",
      "deployment|/spec/template/spec/containers/0/ports/0|protocol|TCP|TCP|",
      "deployment|/spec/template/spec/containers/0/livenessProbe|periodSeconds|0|10|",
      "deployment|/spec/template/spec/containers/0/livenessProbe|timeoutSeconds|0|1|",
      "deployment|/spec/template/spec/containers/0/livenessProbe|successThreshold|0|1|",
      "deployment|/spec/template/spec/containers/0/livenessProbe|failureThreshold|0|3|",
      "deployment|/spec/template/spec/containers/0/livenessProbe|failureThreshold|0|5|spec.template.spec.containers[name=api].livenessProbe.failureThreshold",
      "deployment|/spec/template/spec/containers/0/livenessProbe|periodSeconds|20|10|spec.template.spec.containers[name=api].livenessProbe.periodSeconds",
      "deployment|/spec/template/spec/containers/0/livenessProbe/httpGet|scheme|''|HTTP|",
      "deployment|/spec/template/spec/containers/0/livenessProbe/httpGet|path|''|/|",
      "deployment|/spec/template/spec/containers/0/livenessProbe/httpGet|path|''|/healthz|spec.template.spec.containers[name=api].livenessProbe.httpGet.path",
      "deployment|/spec/template/spec|dnsPolicy|''|ClusterFirst|",
      "deployment|/spec/template/spec|restartPolicy|''|Always|",
      "deployment|/spec/template/spec|schedulerName|''|default-scheduler|",
      "deployment|/spec/template/spec|schedulerName|''|volcano|spec.template.spec.schedulerName",
      "service|/spec/ports/0|protocol|''|TCP|",
      "service|/spec/ports/0|targetPort|0|80|",
      "service|/spec/ports/0|targetPort|''|80|",
      "service|/spec/ports/0|targetPort|''|8080|spec.ports[port=80,protocol=TCP].targetPort",
      "service|/spec/ports/0|targetPort|8080|text:8080|spec.ports[port=80,protocol=TCP].targetPort",
      "service|/spec|type|''|ClusterIP|",
      "service|/spec|sessionAffinity|''|None|",
      "service|/spec|sessionAffinity|''|ClientIP|spec.sessionAffinity",
  })
  void anEmptyValueTheServerDefaultsIsItsDefault(String kind, String pointer, String field, String desired,
      String stored, String differs) {
    Resource base = kind.equals("service") ? SERVICE : DEPLOYMENT;
    Resource want = base.edit(t -> ((ObjectNode) t.at(pointer)).set(field, value(desired)));
    Resource live = base.edit(t -> ((ObjectNode) t.at(pointer)).set(field, value(stored)));
    var paths = Planner.diff(want, live).stream().map(FieldDiff::path).toList();
    if (differs == null) {
      assertThat(paths).isEmpty();
    } else {
      assertThat(paths).containsExactly(differs);
    }
  }

  /** A container's pull policy defaults by the image's tag (SetDefaults_Container, ParseImageName). */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "acme/api, Always", "acme/api:latest, Always", "acme/api:1.4, IfNotPresent",
      "registry:5000/acme/api, Always", "registry:5000/acme/api:2, IfNotPresent",
      "acme/api@sha256:0123, IfNotPresent", "acme/api:latest@sha256:0123, Always"})
  void thePullPolicyDefaultFollowsTheTag(String image, String policy) {
    Resource want = DEPLOYMENT.edit(t -> ((ObjectNode) t.at("/spec/template/spec/containers/0"))
        .put("image", image).put("imagePullPolicy", ""));
    Resource live = want.edit(t -> ((ObjectNode) t.at("/spec/template/spec/containers/0")).put("imagePullPolicy", policy));
    assertThat(Planner.diff(want, live)).isEmpty();
    Resource other = want.edit(t -> ((ObjectNode) t.at("/spec/template/spec/containers/0"))
        .put("imagePullPolicy", policy.equals("Always") ? "IfNotPresent" : "Always"));
    assertThat(Planner.diff(want, other)).extracting(FieldDiff::path)
        .containsExactly("spec.template.spec.containers[name=api].imagePullPolicy");
  }

  /** Fields the plane does not set are the server's: its defaults there are never a difference. */
  @ParameterizedTest(name = "unset {1} stored as {2}")
  @CsvSource(delimiter = '|', value = {
      "/spec/template/spec/containers/0/ports/0|protocol|TCP",
      "/spec/template/spec/containers/0|imagePullPolicy|IfNotPresent",
      "/spec/template/spec/containers/0/livenessProbe|periodSeconds|10",
      "/spec/template/spec|dnsPolicy|ClusterFirst",
  })
  void defaultsOfFieldsThePlaneLeavesUnsetAreNoDifference(String pointer, String field, String stored) {
    Resource live = DEPLOYMENT.edit(t -> ((ObjectNode) t.at(pointer)).set(field, value(stored)));
    assertThat(Planner.diff(DEPLOYMENT, live)).isEmpty();
    Resource serviceLive = SERVICE.edit(t -> ((ObjectNode) t.at("/spec/ports/0")).put("protocol", "TCP").put("targetPort", 80));
    assertThat(Planner.diff(SERVICE, serviceLive)).isEmpty();
  }

  /** A custom resource gets no defaulting: an empty value there is a value. */
  @ParameterizedTest(name = "custom {0}")
  @CsvSource({"protocol, TCP", "imagePullPolicy, IfNotPresent"})
  void customResourcesKeepEmptyValues(String field, String stored) {
    Resource custom = DEPLOYMENT.edit(t -> ((ObjectNode) t).put("apiVersion", "example.com/v1"));
    String pointer = field.equals("protocol") ? "/spec/template/spec/containers/0/ports/0" : "/spec/template/spec/containers/0";
    Resource want = custom.edit(t -> ((ObjectNode) t.at(pointer)).put(field, ""));
    Resource live = custom.edit(t -> ((ObjectNode) t.at(pointer)).put(field, stored));
    assertThat(Planner.diff(want, live)).isNotEmpty();
  }

  /** A whole number is a number, {@code text:8080} the string {@code 8080}, anything else (also nothing) a string. */
  private static JsonNode value(@Nullable String text) {
    if (text == null) {
      return JsonNodeFactory.instance.stringNode("");
    }
    if (text.startsWith("text:")) {
      return JsonNodeFactory.instance.stringNode(text.substring(5));
    }
    if (text.matches("-?[0-9]+")) {
      return JsonNodeFactory.instance.numberNode(Integer.parseInt(text));
    }
    return JsonNodeFactory.instance.stringNode(text);
  }
}
