package io.orchestrationplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Gatekeeper ConstraintTemplates (K8sNativeValidation) and Constraints, checked against Gatekeeper's documented semantics. */
class GatekeeperSemanticsTest {
  private static final String TEMPLATE = """
      apiVersion: templates.gatekeeper.sh/v1
      kind: ConstraintTemplate
      metadata: {name: k8smaxreplicas}
      spec:
        crd: {spec: {names: {kind: K8sMaxReplicas}}}
        targets:
        - target: admission.k8s.gatekeeper.sh
          code:
          - engine: K8sNativeValidation
            source:
              matchCondition:
              - {name: has-replicas, expression: "has(variables.anyObject.spec.replicas)"}
              variables:
              - {name: max, expression: "variables.params.max"}
              validations:
              - expression: "variables.anyObject.spec.replicas <= variables.max"
                messageExpression: "'at most ' + string(variables.max) + ' replicas'"
          - engine: Rego
            source: {rego: "package k8smaxreplicas"}
      """;

  private static String constraint(String name, String action, int max) {
    return """
        ---
        apiVersion: constraints.gatekeeper.sh/v1beta1
        kind: K8sMaxReplicas
        metadata: {name: %s}
        spec:
          enforcementAction: %s
          match: {kinds: [{apiGroups: [apps], kinds: [Deployment]}]}
          parameters: {max: %d}
        """.formatted(name, action, max);
  }

  private static JsonNode deployment(int replicas) {
    return PolicyTester.documents("{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: prod},"
        + " spec: {replicas: " + replicas + "}}").get(0);
  }

  private static Decision create(PolicyEngine engine, JsonNode object) {
    return engine.evaluate(AdmissionRequest.builder(Operation.CREATE).object(object).build());
  }

  @Test
  void theMatchFieldSuiteWrittenFromGatekeepersDocumentationPasses() throws URISyntaxException {
    GatorSuite.Result r = GatorSuite.run(resource("gatekeeper/match/suite.yaml"));

    assertThat(r.failures()).isEmpty();
    assertThat(r.tests()).hasSize(18);
    assertThat(r.tests().get(r.tests().size() - 1).skipped()).isTrue();
    assertThat(r.summary()).startsWith("39 passed, 0 failed");
  }

  @Test
  void aWrongExpectationIsAFailedCaseWithGatorsReasonNotAnException(@TempDir Path dir) throws IOException,
      URISyntaxException {
    Path src = resource("gatekeeper/match/suite.yaml").getParent();
    for (String f : List.of("template.yaml", "kinds.yaml", "pod-default.yaml", "configmap.yaml", "review-delete-without-old.yaml")) {
      Files.copy(src.resolve(f), dir.resolve(f));
    }
    Files.writeString(dir.resolve("suite.yaml"), """
        apiVersion: test.gatekeeper.sh/v1alpha1
        kind: Suite
        tests:
        - name: wrong
          template: template.yaml
          constraint: kinds.yaml
          cases:
          - {name: expects-none, object: pod-default.yaml, assertions: [{violations: no}]}
          - {name: expects-two, object: pod-default.yaml, assertions: [{violations: 2}]}
          - {name: wrong-message, object: pod-default.yaml, assertions: [{message: "^nope", violations: yes}]}
          - {name: configmap-is-not-matched, object: configmap.yaml, assertions: [{violations: no}]}
          - {name: delete-without-old-object, object: review-delete-without-old.yaml, assertions: [{violations: no}]}
          - {name: no-assertions, object: pod-default.yaml}
        """);

    GatorSuite.Result r = GatorSuite.run(dir.resolve("suite.yaml"));

    assertThat(r.passed()).isFalse();
    assertThat(r.tests().get(0).cases()).extracting(GatorSuite.CaseResult::error).containsExactly(
        "assertions[0]: got 1 violations but want none; got messages [flagged by kinds on Pod web]",
        "assertions[0]: got 1 violations but want exactly 2; got messages [flagged by kinds on Pod web]",
        "assertions[0]: got 0 violations containing \"^nope\" but want at least 1; got messages [flagged by kinds on Pod web]",
        null,
        "request.oldObject: a DELETE review must carry the deleted object as oldObject (Kubernetes 1.15+ sends it;"
            + " Gatekeeper rejects reviews without it)",
        "invalid case: assertions must be non-empty");
    assertThat(r.summary()).startsWith("1 passed, 5 failed");
  }

  @Test
  void aTemplateCompilesOnceAndEachConstraintBindsItsOwnParameters() {
    PolicySet set = PolicyLoader.load(TEMPLATE + constraint("two", "deny", 2) + constraint("five", "deny", 5));
    PolicyEngine engine = PolicyEngine.builder().policies(set).build();

    assertThat(set.policies()).extracting(ValidatingPolicy::name).containsExactly("K8sMaxReplicas");
    assertThat(set.bindings()).extracting(PolicyBinding::name)
        .containsExactly("K8sMaxReplicas/two", "K8sMaxReplicas/five");
    assertThat(create(engine, deployment(3)).denials()).extracting(Violation::binding, Violation::message)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("K8sMaxReplicas/two", "at most 2 replicas"));
    assertThat(create(engine, deployment(9)).denials()).hasSize(2);
  }

  @Test
  void theTemplatesMatchConditionIsHonoured() {
    PolicyEngine engine = PolicyEngine.builder().policies(PolicyLoader.load(TEMPLATE + constraint("two", "deny", 2)))
        .build();
    JsonNode noReplicas = PolicyTester.documents(
        "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: prod}, spec: {}}").get(0);

    assertThat(create(engine, noReplicas).violations()).isEmpty();
  }

  @Test
  void enforcementActionsAtTheWebhookDenyWarnOrOnlyAudit() {
    PolicySet set = PolicyLoader.load(TEMPLATE + constraint("deny", "deny", 1) + constraint("warn", "warn", 1)
        + constraint("dry", "dryrun", 1) + constraint("default", "\"\"", 1) + """
        ---
        apiVersion: constraints.gatekeeper.sh/v1beta1
        kind: K8sMaxReplicas
        metadata: {name: scoped}
        spec:
          enforcementAction: scoped
          scopedEnforcementActions:
          - action: warn
            enforcementPoints: [{name: validation.gatekeeper.sh}]
          - action: deny
            enforcementPoints: [{name: gator.gatekeeper.sh}, {name: vap.k8s.io}]
          parameters: {max: 1}
        ---
        apiVersion: constraints.gatekeeper.sh/v1beta1
        kind: K8sMaxReplicas
        metadata: {name: audit-only}
        spec:
          enforcementAction: scoped
          scopedEnforcementActions:
          - action: deny
            enforcementPoints: [{name: audit.gatekeeper.sh}]
          parameters: {max: 1}
        """);
    Decision d = create(PolicyEngine.builder().policies(set).build(), deployment(3));

    assertThat(d.allowed()).isFalse();
    assertThat(d.violations()).extracting(Violation::binding, v -> v.actions().iterator().next()).containsExactly(
        org.assertj.core.groups.Tuple.tuple("K8sMaxReplicas/deny", ValidationAction.DENY),
        org.assertj.core.groups.Tuple.tuple("K8sMaxReplicas/warn", ValidationAction.WARN),
        org.assertj.core.groups.Tuple.tuple("K8sMaxReplicas/dry", ValidationAction.AUDIT),
        org.assertj.core.groups.Tuple.tuple("K8sMaxReplicas/default", ValidationAction.DENY),
        org.assertj.core.groups.Tuple.tuple("K8sMaxReplicas/scoped", ValidationAction.WARN));
    assertThat(d.warnings()).hasSize(2);
    assertThat(set.skipped()).singleElement().satisfies(s -> assertThat(s.toString())
        .contains("audit-only").contains("not enforced at enforcement point validation.gatekeeper.sh"));
    PolicySet gator = PolicyLoader.using(KindMapping.defaults()).enforcementPoint(PolicyLoader.GATOR_ENFORCEMENT_POINT)
        .read(TEMPLATE + constraint("deny", "deny", 1).replace("enforcementAction: deny", """
            enforcementAction: scoped
              scopedEnforcementActions: [{action: deny, enforcementPoints: [{name: "*"}]}]"""));
    assertThat(gator.bindings()).singleElement().satisfies(b -> assertThat(b.validationActions())
        .containsExactly(ValidationAction.DENY));
  }

  @Test
  void operationsAreThoseOfGatekeepersWebhookConfiguration() {
    String yaml = TEMPLATE + constraint("two", "deny", 2);
    JsonNode old = deployment(3);
    AdmissionRequest delete = AdmissionRequest.builder(Operation.DELETE).oldObject(old).build();

    PolicyEngine webhookDefault = PolicyEngine.builder().policies(PolicyLoader.load(yaml)).build();
    PolicyEngine withDelete = PolicyEngine.builder().policies(PolicyLoader.using(KindMapping.defaults())
        .gatekeeperOperations(EnumSet.of(Operation.CREATE, Operation.UPDATE, Operation.DELETE)).read(yaml)).build();

    assertThat(webhookDefault.evaluate(delete).violations()).isEmpty();
    assertThat(withDelete.evaluate(delete).denials()).extracting(Violation::message)
        .containsExactly("at most 2 replicas");
    assertThat(webhookDefault.evaluate(AdmissionRequest.builder(Operation.UPDATE).object(deployment(4))
        .oldObject(old).build()).denials()).hasSize(1);
  }

  @Test
  void aRegoOnlyTemplateAndItsConstraintsAreSkippedWithTheReasonAndTheRestLoads() {
    PolicySet set = PolicyLoader.load("""
        apiVersion: templates.gatekeeper.sh/v1
        kind: ConstraintTemplate
        metadata: {name: k8sregoonly}
        spec:
          crd: {spec: {names: {kind: K8sRegoOnly}}}
          targets:
          - target: admission.k8s.gatekeeper.sh
            rego: |
              package k8sregoonly
        ---
        apiVersion: constraints.gatekeeper.sh/v1beta1
        kind: K8sRegoOnly
        metadata: {name: one}
        ---
        apiVersion: constraints.gatekeeper.sh/v1beta1
        kind: K8sNoTemplate
        metadata: {name: orphan}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: not-a-policy}
        ---
        """ + TEMPLATE + constraint("two", "deny", 2));

    assertThat(set.policies()).extracting(ValidatingPolicy::name).containsExactly("K8sMaxReplicas");
    assertThat(set.skipped()).extracting(SkippedDocument::toString).containsExactly(
        "document 0 (ConstraintTemplate k8sregoonly): no K8sNativeValidation (CEL) code; engines present: [Rego]."
            + " Only CEL templates run in this engine; its constraints are skipped too",
        "document 3 (Deployment not-a-policy): not a policy document (apiVersion 'apps/v1')",
        "document 1 (K8sRegoOnly one): its ConstraintTemplate K8sRegoOnly was skipped: no K8sNativeValidation (CEL)"
            + " code; engines present: [Rego]. Only CEL templates run in this engine; its constraints are skipped too",
        "document 2 (K8sNoTemplate orphan): no ConstraintTemplate for kind K8sNoTemplate in this input");
  }

  @Test
  void gatekeepersReservedVariableNamesAreRejectedNamingTheField() {
    assertThatThrownBy(() -> PolicyLoader.load(TEMPLATE.replace("{name: max,", "{name: params,"))).hasMessageContaining(
        "document 0 (ConstraintTemplate k8smaxreplicas): spec.targets[0].code[K8sNativeValidation].source.variables:"
            + " 'params' is reserved by Gatekeeper");
    assertThatThrownBy(() -> PolicyLoader.load(TEMPLATE.replace("{name: has-replicas", "{name: gatekeeper_internal_x")))
        .hasMessageContaining("the prefix gatekeeper_internal_ is reserved");
  }

  @Test
  void anIntegerBeyondCelsIntIsAClearEvaluationErrorNotAParseFailure() {
    PolicySet set = PolicyLoader.load(TEMPLATE + constraint("huge", "deny", 2).replace("max: 2", "max: 99999999999999999999"));
    PolicyEngine engine = PolicyEngine.builder().policies(set).build();

    Decision d = create(engine, deployment(3));

    assertThat(d.errors()).singleElement().satisfies(e -> assertThat(e.message()).isEqualTo(
        "the number 99999999999999999999 at spec.parameters.max is outside the range of CEL's int"
            + " (-9223372036854775808 to 9223372036854775807)"));
    assertThat(d.allowed()).isFalse();
    JsonNode bigObject = PolicyTester.documents("{apiVersion: apps/v1, kind: Deployment, metadata: {name: w,"
        + " namespace: p}, spec: {replicas: 1, x: [1, 18446744073709551616]}}").get(0);
    assertThat(create(engine, bigObject).errors()).singleElement().satisfies(e -> assertThat(e.message())
        .isEqualTo("cannot read the request: the number 18446744073709551616 at spec.x[1] is outside the range of"
            + " CEL's int (-9223372036854775808 to 9223372036854775807)"));
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(GatekeeperSemanticsTest.class.getClassLoader().getResource(name).toURI());
  }

  static Set<String> names(List<SkippedDocument> s) {
    return Set.copyOf(s.stream().map(SkippedDocument::name).toList());
  }
}
