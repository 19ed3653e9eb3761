package io.orchestrationplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Mutating policies and Kyverno policies compile in the environment of the engine's {@link KubernetesVersion} and
 * evaluate under its cost limits, like validating policies: what the pinned version lacks does not compile, an
 * expression over the cost limit or an unreadable object fails under the policy's failurePolicy, and
 * {@link PolicyEngine#admit} never throws.
 */
class VersionedMutationAndKyvernoTest {
  private static final MatchResources CONFIGMAPS =
      MatchResources.of(ResourceRule.of("", Set.of(Operation.CREATE), "configmaps"));
  /** Each replace quadruples the string: 17 of them would build about 3.4 * 10^10 characters. */
  private static final String REPLACE_CHAIN = "'aa'" + ".replace('a', 'aaaa')".repeat(17);

  private static JsonNode yaml(String s) {
    return PolicyTester.documents(s).get(0);
  }

  private static final JsonNode CM = yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: n}}");

  private static PolicyEngine.Builder mutating(String expression, FailurePolicy failurePolicy) {
    return PolicyEngine.builder()
        .mutatingPolicy(MutatingPolicy.builder("m").matchConstraints(CONFIGMAPS).failurePolicy(failurePolicy)
            .mutation(MutatingPolicy.Mutation.applyConfiguration(expression)).build())
        .mutatingBinding(MutatingPolicyBinding.of("m"));
  }

  private static Admission admit(PolicyEngine engine, JsonNode object) {
    return engine.admit(AdmissionRequest.builder(Operation.CREATE).object(object).build());
  }

  @Test
  void mutationsCompileInTheEnginesKubernetesVersion() {
    String usesSemver = "Object{metadata: Object.metadata{labels: {'major': string(semver('2.1.0').major())}}}";

    assertThat(admit(mutating(usesSemver, FailurePolicy.FAIL).kubernetesVersion("1.33").build(), CM).object()
        .path("metadata").path("labels").path("major").asString()).isEqualTo("2");
    // semver() came with Kubernetes 1.33: an engine reproducing 1.32 rejects the mutation, naming its field.
    assertThatThrownBy(() -> mutating(usesSemver, FailurePolicy.FAIL).kubernetesVersion("1.32").build())
        .isInstanceOf(PolicyCompileException.class)
        .hasMessageContaining("policy m: spec.mutations[0].applyConfiguration.expression");
  }

  @Test
  void mutatingAdmissionPolicyIsRefusedBeforeKubernetes132() {
    String label = "Object{metadata: Object.metadata{labels: {'team': 'a'}}}";

    assertThatThrownBy(() -> mutating(label, FailurePolicy.FAIL).kubernetesVersion("1.31").build())
        .isInstanceOf(PolicyCompileException.class)
        .hasMessageContaining("MutatingAdmissionPolicy is not available in Kubernetes 1.31 (it appeared in 1.32)");
    assertThat(admit(mutating(label, FailurePolicy.FAIL).kubernetesVersion("1.32").build(), CM).mutated()).isTrue();
  }

  @Test
  void typedObjectLiteralsMayMixFieldTypesButOtherLiteralsStayHomogeneous() {
    String mixed = "Object{metadata: Object.metadata{labels: {'a': 'b'}, annotations: {'n': string(1)}},"
        + " data: {'k': 'v'}}";

    assertThat(admit(mutating(mixed, FailurePolicy.FAIL).build(), CM).object().path("data").path("k").asString())
        .isEqualTo("v");
    assertThatThrownBy(() -> mutating("[1, 'a'].size() == 2 ? Object{data: {'k': 'v'}} : Object{}",
        FailurePolicy.FAIL).build())
        .isInstanceOf(PolicyCompileException.class).hasMessageContaining("expected type 'int' but found 'string'");
  }

  @Test
  void aMutationOverThePerExpressionCostLimitFailsUnderItsFailurePolicy() {
    String costly = "Object{data: {'size': string(size(" + REPLACE_CHAIN + "))}}";

    Admission fail = admit(mutating(costly, FailurePolicy.FAIL).build(), CM);
    Admission ignore = admit(mutating(costly, FailurePolicy.IGNORE).build(), CM);

    assertThat(fail.allowed()).isFalse();
    assertThat(fail.decision().denials()).singleElement().satisfies(v -> assertThat(v.message())
        .contains("operation cancelled: actual cost limit exceeded"));
    assertThat(fail.mutated()).isFalse();
    assertThat(ignore.allowed()).isTrue();
    assertThat(ignore.mutated()).isFalse();
    assertThat(ignore.decision().errors()).singleElement().satisfies(e -> assertThat(e.message())
        .contains("actual cost limit exceeded"));
  }

  @Test
  void anObjectTooDeepForCelFailsTheMutatingBindingUnderItsFailurePolicy() {
    ObjectNode deep = (ObjectNode) CM.deepCopy();
    ObjectNode node = deep.putObject("data");
    for (int i = 0; i < 2_000; i++) {
      node = node.putObject("a");
    }
    String label = "Object{metadata: Object.metadata{labels: {'team': 'a'}}}";

    Admission fail = admit(mutating(label, FailurePolicy.FAIL).build(), deep);
    Admission ignore = admit(mutating(label, FailurePolicy.IGNORE).build(), deep);

    assertThat(fail.allowed()).isFalse();
    assertThat(fail.decision().denials()).singleElement().satisfies(v -> assertThat(v.message())
        .startsWith("cannot read the request: value nested more than 1000 levels deep at data.a.a"));
    assertThat(ignore.allowed()).isTrue();
    assertThat(ignore.mutated()).isFalse();
  }

  private static PolicySet kyverno(String expression) {
    return PolicyLoader.load("""
        apiVersion: policies.kyverno.io/v1alpha1
        kind: ValidatingPolicy
        metadata: {name: kyv}
        spec:
          validationActions: [Deny]
          matchConstraints:
            resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]
          validations:
          - expression: %s
            message: failed
        """.formatted(tools.jackson.databind.node.StringNode.valueOf(expression).toString()));
  }

  @Test
  void kyvernoPoliciesHaveTheExtensionsKyvernoEnablesAndKubernetesPoliciesDoNot() {
    String extensions = "math.greatest(1, 3) == 3 && base64.encode(b'a') == 'YQ==' && cel.bind(x, 2, x * x == 4)";

    Decision d = PolicyEngine.builder().policies(kyverno(extensions)).build()
        .evaluate(AdmissionRequest.builder(Operation.CREATE).object(CM).build());
    assertThat(d.errors()).isEmpty();
    assertThat(d.allowed()).isTrue();
    assertThat(d.evaluated()).hasSize(1);
    assertThatThrownBy(() -> PolicyEngine.builder().enforce(ValidatingPolicy.builder("vap").matchConstraints(CONFIGMAPS)
        .validation(Validation.of(extensions, "m")).build()).build()).isInstanceOf(PolicyCompileException.class);
  }

  @Test
  void kyvernoPoliciesCompileInTheEnginesKubernetesVersion() {
    PolicySet usesIp = kyverno("ip('10.0.0.1').family() == 4");

    assertThat(PolicyEngine.builder().policies(usesIp).kubernetesVersion("1.30").build()
        .evaluate(AdmissionRequest.builder(Operation.CREATE).object(CM).build()).allowed()).isTrue();
    // ip() came with Kubernetes 1.30.
    assertThatThrownBy(() -> PolicyEngine.builder().policies(usesIp).kubernetesVersion("1.29").build())
        .isInstanceOf(PolicyCompileException.class).hasMessageContaining("policy kyv");
  }
}
