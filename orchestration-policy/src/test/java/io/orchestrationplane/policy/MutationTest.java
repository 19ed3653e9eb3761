package io.orchestrationplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.policy.spi.ParamResolver;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** MutatingAdmissionPolicy (examples shaped after the Kubernetes documentation) and Kyverno MutatingPolicy. */
class MutationTest {
  private static final String SIDECAR = """
      apiVersion: admissionregistration.k8s.io/v1beta1
      kind: MutatingAdmissionPolicy
      metadata: {name: sidecar-policy.example.com}
      spec:
        matchConstraints:
          resourceRules:
          - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
        matchConditions:
        - name: does-not-already-have-sidecar
          expression: "!has(object.spec.initContainers) || !object.spec.initContainers.exists(ic, ic.name == \\"mesh-proxy\\")"
        failurePolicy: Fail
        reinvocationPolicy: IfNeeded
        mutations:
        - patchType: ApplyConfiguration
          applyConfiguration:
            expression: >
              Object{
                spec: Object.spec{
                  initContainers: [
                    Object.spec.initContainers{
                      name: "mesh-proxy",
                      image: "mesh/proxy:v1.0.0",
                      args: ["proxy", "sidecar"],
                      restartPolicy: "Always"
                    }
                  ]
                }
              }
      ---
      apiVersion: admissionregistration.k8s.io/v1beta1
      kind: MutatingAdmissionPolicyBinding
      metadata: {name: sidecar-binding-test.example.com}
      spec:
        policyName: sidecar-policy.example.com
      """;

  private static JsonNode yaml(String s) {
    return PolicyTester.documents(s).get(0);
  }

  private static final JsonNode POD = yaml("""
      {apiVersion: v1, kind: Pod, metadata: {name: web, namespace: apps, labels: {app: web}},
       spec: {initContainers: [{name: init, image: busybox}], containers: [{name: web, image: nginx}]}}
      """);

  private static Admission admit(PolicyEngine engine, JsonNode object) {
    return engine.admit(AdmissionRequest.builder(Operation.CREATE).object(object).build());
  }

  @Test
  void applyConfigurationMergesKeyedListsByName() {
    PolicyEngine engine = PolicyEngine.builder().policies(PolicyLoader.load(SIDECAR)).build();

    Admission a = admit(engine, POD);

    assertThat(a.allowed()).isTrue();
    assertThat(a.object().path("spec").path("initContainers").toString()).isEqualTo(
        "[{\"name\":\"init\",\"image\":\"busybox\"},{\"name\":\"mesh-proxy\",\"image\":\"mesh/proxy:v1.0.0\","
            + "\"args\":[\"proxy\",\"sidecar\"],\"restartPolicy\":\"Always\"}]");
    assertThat(a.mutations()).singleElement().satisfies(m -> {
      assertThat(m.policy()).isEqualTo("sidecar-policy.example.com");
      assertThat(m.patch().toString()).isEqualTo("[{\"op\":\"replace\",\"path\":\"/spec/initContainers\",\"value\":"
          + "[{\"name\":\"init\",\"image\":\"busybox\"},{\"name\":\"mesh-proxy\",\"image\":\"mesh/proxy:v1.0.0\","
          + "\"args\":[\"proxy\",\"sidecar\"],\"restartPolicy\":\"Always\"}]}]");
    });
    assertThat(admit(engine, a.object()).mutated()).as("the match condition stops a second sidecar").isFalse();
  }

  @Test
  void jsonPatchMutationsApplyRfc6902OperationsWithEscapedKeys() {
    PolicyEngine engine = PolicyEngine.builder().policies(PolicyLoader.load("""
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: MutatingAdmissionPolicy
        metadata: {name: managed-by}
        spec:
          matchConstraints:
            resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
          reinvocationPolicy: Never
          mutations:
          - patchType: JSONPatch
            jsonPatch:
              expression: >
                [
                  JSONPatch{op: "add", path: "/metadata/labels/" + jsonpatch.escapeKey("app.kubernetes.io/managed-by"),
                            value: "example"},
                  JSONPatch{op: "add", path: "/spec/containers/-", value: Object.spec.containers{name: "log", image: "fluent"}},
                  JSONPatch{op: "remove", path: "/metadata/labels/app"}
                ]
        ---
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: MutatingAdmissionPolicyBinding
        metadata: {name: managed-by}
        spec: {policyName: managed-by}
        """)).build();

    Admission a = admit(engine, POD);

    assertThat(a.object().path("metadata").path("labels").toString())
        .isEqualTo("{\"app.kubernetes.io/managed-by\":\"example\"}");
    assertThat(a.object().path("spec").path("containers")).hasSize(2);
    assertThat(a.patch().toString()).contains("{\"op\":\"add\",\"path\":\"/metadata/labels/app.kubernetes.io~1managed-by\","
        + "\"value\":\"example\"}").contains("{\"op\":\"remove\",\"path\":\"/metadata/labels/app\"}");
  }

  private static String labelPolicy(String name, String reinvocation, String expression) {
    return """
        ---
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: MutatingAdmissionPolicy
        metadata: {name: %s}
        spec:
          matchConstraints:
            resourceRules: [{apiGroups: [""], apiVersions: ["*"], operations: [CREATE], resources: [configmaps]}]
          reinvocationPolicy: %s
          mutations:
          - patchType: ApplyConfiguration
            applyConfiguration: {expression: '%s'}
        ---
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: MutatingAdmissionPolicyBinding
        metadata: {name: %s}
        spec: {policyName: %s}
        """.formatted(name, reinvocation, expression, name, name);
  }

  @Test
  void ifNeededPoliciesRunAgainWhenALaterPolicyChangedTheObject() {
    String count = "Object{metadata: Object.metadata{annotations: {\"labels\": string(size(object.metadata.?labels.orValue({})))}}}";
    String addLabel = "Object{metadata: Object.metadata{labels: {\"team\": \"a\"}}}";
    JsonNode cm = yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: n}}");

    Admission ifNeeded = admit(PolicyEngine.builder().policies(PolicyLoader.load(labelPolicy("count", "IfNeeded", count)
        + labelPolicy("label", "Never", addLabel))).build(), cm);
    Admission never = admit(PolicyEngine.builder().policies(PolicyLoader.load(labelPolicy("count", "Never", count)
        + labelPolicy("label", "Never", addLabel))).build(), cm);

    assertThat(ifNeeded.object().path("metadata").path("annotations").path("labels").asString()).isEqualTo("1");
    assertThat(ifNeeded.mutations()).extracting(AppliedMutation::policy).containsExactly("count", "label", "count");
    assertThat(never.object().path("metadata").path("annotations").path("labels").asString()).isEqualTo("0");
  }

  @Test
  void paramsComeFromTheBindingsParamRef() {
    String yaml = """
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: MutatingAdmissionPolicy
        metadata: {name: team-label}
        spec:
          paramKind: {apiVersion: v1, kind: ConfigMap}
          matchConstraints:
            resourceRules: [{apiGroups: [""], apiVersions: ["*"], operations: [CREATE], resources: [configmaps]}]
          reinvocationPolicy: Never
          mutations:
          - patchType: ApplyConfiguration
            applyConfiguration:
              expression: 'Object{metadata: Object.metadata{labels: {"team": params.data.team}}}'
        ---
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: MutatingAdmissionPolicyBinding
        metadata: {name: team-label}
        spec:
          policyName: team-label
          paramRef: {name: defaults, namespace: config, parameterNotFoundAction: Deny}
        """;
    JsonNode defaults = yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: defaults, namespace: config}, data: {team: core}}");
    PolicyEngine engine = PolicyEngine.builder().policies(PolicyLoader.load(yaml))
        .params(ParamResolver.of(List.of(defaults))).build();
    PolicyEngine missing = PolicyEngine.builder().policies(PolicyLoader.load(yaml)).build();
    JsonNode cm = yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: n}}");

    assertThat(admit(engine, cm).object().path("metadata").path("labels").path("team").asString()).isEqualTo("core");
    assertThat(admit(missing, cm).allowed()).isFalse();
    assertThat(admit(missing, cm).decision().denials()).extracting(Violation::message).containsExactly(
        "failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction");
    // k8s.io/apiserver .../policy/generic/policy_dispatcher.go: configuration errors are dropped under Ignore
    PolicyEngine ignoring = PolicyEngine.builder().policies(PolicyLoader.load(yaml.replace("reinvocationPolicy: Never",
        "reinvocationPolicy: Never\n  failurePolicy: Ignore"))).build();
    assertThat(admit(ignoring, cm).allowed()).isTrue();
    assertThat(admit(ignoring, cm).decision().errors()).hasSize(1);
  }

  @Test
  void aParamsSelectorAppliesThePolicyOncePerSelectedObject() {
    PolicyEngine engine = PolicyEngine.builder().policies(PolicyLoader.load("""
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: MutatingAdmissionPolicy
        metadata: {name: labels-from-params}
        spec:
          paramKind: {apiVersion: v1, kind: ConfigMap}
          matchConstraints:
            resourceRules: [{apiGroups: [""], apiVersions: ["*"], operations: [CREATE], resources: [configmaps]}]
          matchConditions: [{name: not-a-param, expression: "!has(object.metadata.labels) || !('param' in object.metadata.labels)"}]
          reinvocationPolicy: Never
          mutations:
          - patchType: ApplyConfiguration
            applyConfiguration:
              expression: 'Object{metadata: Object.metadata{labels: {params.data.key: params.data.value}}}'
        ---
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: MutatingAdmissionPolicyBinding
        metadata: {name: labels-from-params}
        spec:
          policyName: labels-from-params
          paramRef: {namespace: config, selector: {matchLabels: {param: "true"}}, parameterNotFoundAction: Allow}
        """)).params(ParamResolver.of(List.of(
            yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: config, labels: {param: 'true'}}, data: {key: team, value: a}}"),
            yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: b, namespace: config, labels: {param: 'true'}}, data: {key: tier, value: web}}"))))
        .build();

    Admission a = admit(engine, yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: n}}"));

    assertThat(a.object().path("metadata").path("labels").toString()).isEqualTo("{\"team\":\"a\",\"tier\":\"web\"}");
    assertThat(a.mutations()).hasSize(1);
  }

  @Test
  void aFailingMutationDeniesUnderFailAndIsOnlyReportedUnderIgnore() {
    String broken = "Object{metadata: Object.metadata{labels: {\"x\": object.spec.missing}}}";
    JsonNode cm = yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: n}}");

    Admission fail = admit(PolicyEngine.builder().policies(PolicyLoader.load(labelPolicy("broken", "Never", broken)))
        .build(), cm);
    Admission ignore = admit(PolicyEngine.builder().policies(PolicyLoader.load(labelPolicy("broken", "Never", broken)
        .replace("reinvocationPolicy: Never", "reinvocationPolicy: Never\n  failurePolicy: Ignore"))).build(), cm);

    assertThat(fail.allowed()).isFalse();
    assertThat(fail.decision().denials()).singleElement().satisfies(v -> assertThat(v.error()).isTrue());
    assertThat(ignore.allowed()).isTrue();
    assertThat(ignore.decision().errors()).singleElement().satisfies(e ->
        assertThat(e.field()).isEqualTo("spec.mutations[0]"));
    assertThat(ignore.mutated()).isFalse();
  }

  @Test
  void validationSeesTheMutatedObject() {
    PolicyEngine engine = PolicyEngine.builder().policies(PolicyLoader.load(labelPolicy("label", "Never",
        "Object{metadata: Object.metadata{labels: {\"team\": \"a\"}}}") + """
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: needs-team}
        spec:
          matchConstraints:
            resourceRules: [{apiGroups: [""], apiVersions: ["*"], operations: [CREATE], resources: [configmaps]}]
          validations: [{expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"}]
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: needs-team}
        spec: {policyName: needs-team, validationActions: [Deny]}
        """)).build();
    JsonNode cm = yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: n}}");

    assertThat(engine.evaluate(AdmissionRequest.builder(Operation.CREATE).object(cm).build()).allowed()).isFalse();
    assertThat(admit(engine, cm).allowed()).isTrue();
  }

  @Test
  void anAdmissionReviewResponseCarriesTheMutationAsABase64JsonPatch() {
    PolicyEngine engine = PolicyEngine.builder().policies(PolicyLoader.load(SIDECAR)).build();
    JsonNode review = yaml("""
        {apiVersion: admission.k8s.io/v1, kind: AdmissionReview,
         request: {uid: abc-123, operation: CREATE, namespace: apps, name: web,
                   userInfo: {username: alice, groups: [dev]}, resource: {group: "", version: v1, resource: pods},
                   object: {apiVersion: v1, kind: Pod, metadata: {name: web, namespace: apps}, spec: {containers: []}}}}
        """);

    JsonNode response = AdmissionReviews.response(review, engine.admit(AdmissionReviews.request(review)));

    assertThat(response.path("apiVersion").asString()).isEqualTo("admission.k8s.io/v1");
    assertThat(response.path("response").path("uid").asString()).isEqualTo("abc-123");
    assertThat(response.path("response").path("allowed").asBoolean()).isTrue();
    assertThat(response.path("response").path("patchType").asString()).isEqualTo("JSONPatch");
    assertThat(new String(Base64.getDecoder().decode(response.path("response").path("patch").asString()),
        StandardCharsets.UTF_8)).startsWith("[{\"op\":\"add\",\"path\":\"/spec/initContainers\"");
  }

  @Test
  void kyvernoMutatingPoliciesAreImportedAndMutateExistingIsReportedSkipped() {
    PolicySet set = PolicyLoader.load("""
        apiVersion: policies.kyverno.io/v1alpha1
        kind: MutatingPolicy
        metadata: {name: add-team}
        spec:
          matchConstraints:
            resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]
          mutations:
          - patchType: ApplyConfiguration
            applyConfiguration:
              expression: 'Object{metadata: Object.metadata{labels: {"team": "platform"}}}'
        ---
        apiVersion: policies.kyverno.io/v1alpha1
        kind: MutatingPolicy
        metadata: {name: touch-existing}
        spec:
          evaluation: {mutateExisting: {enabled: true}}
          matchConstraints:
            resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]
          mutations:
          - {patchType: JSONPatch, jsonPatch: {expression: "[]"}}
        """);
    JsonNode cm = yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: n}}");

    assertThat(set.mutatingPolicies()).extracting(MutatingPolicy::name).containsExactly("add-team");
    assertThat(set.skipped()).singleElement().satisfies(s -> assertThat(s.name()).isEqualTo("touch-existing"));
    assertThat(admit(PolicyEngine.builder().policies(set).build(), cm).object().path("metadata").path("labels")
        .path("team").asString()).isEqualTo("platform");
  }

  @Test
  void badMutationDocumentsFailNamingTheField() {
    assertThatThrownBy(() -> PolicyLoader.load(SIDECAR.replace("  reinvocationPolicy: IfNeeded\n", "")))
        .hasMessageContaining("document 0 (MutatingAdmissionPolicy sidecar-policy.example.com): spec.reinvocationPolicy is required");
    assertThatThrownBy(() -> PolicyLoader.load(SIDECAR.replace("patchType: ApplyConfiguration", "patchType: Merge")))
        .hasMessageContaining("spec.mutations[0].patchType: unknown patchType 'Merge'");
  }
}
