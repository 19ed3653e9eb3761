package io.orchestrationplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.policy.spi.ParamResolver;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Kyverno's CEL libraries for ValidatingPolicy, offline: lookups in the caller's inventory, image, json, yaml. */
class KyvernoLibrariesTest {
  private static JsonNode yaml(String s) {
    return PolicyTester.documents(s).get(0);
  }

  private static final List<JsonNode> INVENTORY = List.of(
      yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: clusterregistries, namespace: default},"
          + " data: {registries: 'ghcr.io,registry.k8s.io', settings: '{\"max\": 3}', more: 'limit: 5'}}"),
      yaml("{apiVersion: apps/v1, kind: Deployment, metadata: {name: a, namespace: apps, labels: {env: prod}}, spec: {replicas: 4}}"),
      yaml("{apiVersion: apps/v1, kind: Deployment, metadata: {name: b, namespace: apps}, spec: {replicas: 1}}"));

  private static Decision evaluate(String expression, JsonNode pod) {
    PolicySet set = PolicyLoader.load("""
        apiVersion: policies.kyverno.io/v1alpha1
        kind: ValidatingPolicy
        metadata: {name: lib}
        spec:
          validationActions: [Deny]
          matchConstraints:
            resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
          validations:
          - expression: %s
            message: failed
        """.formatted(tools.jackson.databind.node.StringNode.valueOf(expression).toString()));
    PolicyEngine engine = PolicyEngine.builder().policies(set).params(ParamResolver.of(INVENTORY)).build();
    return engine.evaluate(AdmissionRequest.builder(Operation.CREATE).object(pod).build());
  }

  private static final JsonNode POD = yaml(
      "{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: apps}, spec: {containers: [{name: c, image: ghcr.io/org/app:1.2}]}}");

  private static boolean holds(String expression) {
    Decision d = evaluate(expression, POD);
    assertThat(d.errors()).as("errors of %s", expression).isEmpty();
    return d.allowed();
  }

  @Test
  void resourceLookupsReadTheInventoryTheCallerSupplies() {
    assertThat(holds("resource.Get('v1', 'configmaps', 'default', 'clusterregistries').data['registries']"
        + ".split(',').exists(r, object.spec.containers.all(c, c.image.startsWith(r)))")).isTrue();
    assertThat(holds("resource.List('apps/v1', 'deployments', object.metadata.namespace).items"
        + ".exists(d, d.spec.replicas > 3)")).isTrue();
    assertThat(holds("resource.List('apps/v1', 'deployments', '', {'env': 'prod'}).items.size() == 1")).isTrue();
    assertThat(evaluate("resource.Get('v1', 'configmaps', 'default', 'absent') != null", POD).errors())
        .singleElement().satisfies(e -> assertThat(e.message())
            .contains("resource.Get: configmaps \"absent\" not found in namespace default"));
  }

  @Test
  void imageReferencesParseAsGoContainerRegistryDoes() {
    assertThat(holds("image('nginx').registry() == 'index.docker.io' && image('nginx').repository() == 'library/nginx'"
        + " && image('nginx').tag() == 'latest' && !image('nginx').containsDigest()")).isTrue();
    assertThat(holds("image(object.spec.containers[0].image).registry() == 'ghcr.io'"
        + " && image(object.spec.containers[0].image).repository() == 'org/app'"
        + " && image(object.spec.containers[0].image).identifier() == '1.2'")).isTrue();
    assertThat(holds("image('localhost:5000/app@sha256:" + "a".repeat(64) + "').digest() == 'sha256:" + "a".repeat(64)
        + "' && image('localhost:5000/app@sha256:" + "a".repeat(64) + "').tag() == ''")).isTrue();
    assertThat(holds("isImage('ghcr.io/org/app:1.0') && !isImage('UPPER/Case:tag:bad')")).isTrue();
  }

  @Test
  void jsonAndYamlHelpersParseStringsIntoValues() {
    assertThat(holds("json.unmarshal(resource.Get('v1', 'configmaps', 'default', 'clusterregistries').data.settings).max == 3"))
        .isTrue();
    assertThat(holds("yaml.parse(resource.Get('v1', 'configmaps', 'default', 'clusterregistries').data.more).limit == 5"))
        .isTrue();
  }

  @Test
  void aParseErrorNeverQuotesThePartOfTheValueItStoppedAt() {
    // Jackson's message quotes the token it stopped at: part of a value that may be a Secret's,
    // which no redaction of the whole value finds.
    JsonNode pod = yaml("{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: apps, annotations:"
        + " {cfg: 'hunter2isthepassword and more', doc: \"password: 'hunter2isthepassword\"}}, spec: {containers: []}}");
    Decision json = evaluate("json.unmarshal(object.metadata.annotations.cfg).a == 1", pod);
    assertThat(json.errors()).singleElement().satisfies(e -> assertThat(e.message())
        .contains("json.unmarshal: invalid JSON at line 1, column").doesNotContain("hunter2"));
    Decision yaml = evaluate("yaml.parse(object.metadata.annotations.doc).a == 1", pod);
    assertThat(yaml.errors()).singleElement().satisfies(e -> assertThat(e.message())
        .contains("yaml.parse: invalid YAML at line 1").doesNotContain("hunter2"));
  }

  @Test
  void networkBoundFunctionsSayTheyAreNotAvailableOffline() {
    for (String call : List.of("http.Get('https://internal.api/health').status == 'ok'",
        "image.GetMetadata('nginx').config != null",
        "resource.Post('authorization.k8s.io/v1', 'subjectaccessreviews', {}) != null")) {
      Decision d = evaluate(call, POD);
      assertThat(d.allowed()).as(call).isFalse();
      assertThat(d.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("is not available offline"));
    }
  }

  @Test
  void kubernetesPoliciesDoNotSeeKyvernosLibraries() {
    assertThatThrownBy(() -> PolicyEngine.builder().enforce(ValidatingPolicy.builder("vap")
        .validation(Validation.of("resource.Get('v1', 'configmaps', 'default', 'x') != null", "m")).build()).build())
        .isInstanceOf(PolicyCompileException.class).hasMessageContaining("resource");
  }
}
