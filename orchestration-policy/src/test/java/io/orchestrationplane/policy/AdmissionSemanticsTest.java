package io.orchestrationplane.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.policy.spi.ParamResolver;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The admission semantics around the expressions of ValidatingAdmissionPolicies, loaded from YAML as users write
 * them, row by row against the API server's validating admission plugin.
 */
class AdmissionSemanticsTest {
  private static final JsonNode POD = PolicyTester.documents("""
      {apiVersion: v1, kind: Pod, metadata: {name: web, namespace: team-a},
       spec: {containers: [{name: c, image: nginx}]}}
      """).get(0);
  private static final JsonNode NAMESPACE = PolicyTester.documents("""
      {apiVersion: v1, kind: Namespace, metadata: {name: team-b}}
      """).get(0);

  private static Decision evaluate(String yaml, ParamResolver params, JsonNode object) {
    PolicyEngine engine = PolicyEngine.builder().policies(PolicyLoader.load(yaml)).params(params).build();
    return engine.evaluate(AdmissionRequest.builder(Operation.CREATE).object(object).build());
  }

  private static String paramsPolicy(String failurePolicy, String paramKind, String paramRef, String actions) {
    return """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: limits}
        spec:
          failurePolicy: %s
          paramKind: %s
          matchConstraints:
            resourceRules:
            - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods, namespaces]}
          validations:
          - expression: "params.data.allowed == 'true'"
            messageExpression: "'not allowed by ' + params.metadata.name"
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: limits-binding}
        spec:
          policyName: limits
          validationActions: %s
          paramRef: %s
        """.formatted(failurePolicy, paramKind, actions, paramRef);
  }

  private static final String CONFIG_MAP = "{apiVersion: v1, kind: ConfigMap}";
  private static final String CLUSTER_ROLE = "{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole}";

  /**
   * Params resolution as {@code CollectParams} (k8s.io/apiserver .../policy/generic) does it, with the dispatcher's
   * {@code addConfigError} (.../policy/validating/dispatcher.go): a binding that cannot be configured denies under
   * failurePolicy Fail whatever its validationActions, and is skipped under Ignore. The not-found message is the
   * one test/integration/apiserver/cel/validatingadmissionpolicy_test.go expects once the param is deleted.
   */
  static Stream<Arguments> paramResolution() {
    String notFound = "failed to configure binding: no params found for policy binding with `Deny` "
        + "parameterNotFoundAction";
    String clusterScoped = "failed to configure binding: cannot use namespaced paramRef in policy binding that "
        + "matches cluster-scoped resources";
    return Stream.of(
        Arguments.of("not found, Deny, Fail", "Fail", CONFIG_MAP, "{name: absent, parameterNotFoundAction: Deny}",
            "[Deny]", POD, false, List.of(notFound)),
        Arguments.of("not found, Deny, Ignore: allowed", "Ignore", CONFIG_MAP,
            "{name: absent, parameterNotFoundAction: Deny}", "[Deny]", POD, true, List.of()),
        Arguments.of("not found, Deny, Fail, binding only warns: still denied", "Fail", CONFIG_MAP,
            "{name: absent, parameterNotFoundAction: Deny}", "[Warn]", POD, false, List.of(notFound)),
        Arguments.of("not found, Allow", "Fail", CONFIG_MAP, "{name: absent, parameterNotFoundAction: Allow}",
            "[Deny]", POD, true, List.of()),
        Arguments.of("selector matching two objects: each evaluated, the denial denies", "Fail", CONFIG_MAP,
            "{selector: {matchLabels: {limits: pods}}, parameterNotFoundAction: Deny}", "[Deny]", POD, false,
            List.of("not allowed by no")),
        Arguments.of("namespaced params, no namespace, cluster-scoped request", "Fail", CONFIG_MAP,
            "{name: yes, parameterNotFoundAction: Allow}", "[Deny]", NAMESPACE, false, List.of(clusterScoped)),
        Arguments.of("namespaced params, paramRef.namespace given, cluster-scoped request", "Fail", CONFIG_MAP,
            "{name: no, namespace: team-a, parameterNotFoundAction: Deny}", "[Deny]", NAMESPACE, false,
            List.of("not allowed by no")),
        Arguments.of("cluster-scoped params ignore the request's namespace", "Fail", CLUSTER_ROLE,
            "{name: cluster-no, parameterNotFoundAction: Deny}", "[Deny]", POD, false,
            List.of("not allowed by cluster-no")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paramResolution")
  void paramsAreResolvedAndConfigurationErrorsFollowTheFailurePolicy(String title, String failurePolicy,
      String paramKind, String paramRef, String actions, JsonNode object, boolean allowed, List<String> denials) {
    ParamResolver params = ParamResolver.of(PolicyTester.documents("""
        {apiVersion: v1, kind: ConfigMap, metadata: {name: yes, namespace: team-a, labels: {limits: pods}}, data: {allowed: "true"}}
        ---
        {apiVersion: v1, kind: ConfigMap, metadata: {name: no, namespace: team-a, labels: {limits: pods}}, data: {allowed: "false"}}
        ---
        {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: cluster-no}, data: {allowed: "false"}}
        """));
    Decision d = evaluate(paramsPolicy(failurePolicy, paramKind, paramRef, actions), params, object);

    assertThat(d.allowed()).isEqualTo(allowed);
    assertThat(d.denials()).extracting(Violation::message).containsExactlyElementsOf(denials);
  }

  private static String annotationPolicy(String failurePolicy, String valueExpression, String actions) {
    return """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: annotate}
        spec:
          failurePolicy: %s
          matchConstraints:
            resourceRules:
            - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
          auditAnnotations:
          - key: image
            valueExpression: %s
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: annotate-binding}
        spec:
          policyName: annotate
          validationActions: %s
        """.formatted(failurePolicy, valueExpression, actions);
  }

  /**
   * Audit annotations as the validator (.../policy/validating/validator.go) and dispatcher publish them: the value is
   * trimmed; empty or null publishes nothing; values are cut to 10 KiB; a runtime error under Fail denies
   * whatever the binding's validationActions, under Ignore the annotation is left out.
   */
  static Stream<Arguments> auditAnnotations() {
    String big = "x".repeat(10 * 1024);
    return Stream.of(
        Arguments.of("trimmed", "Fail", "\"'  nginx  '\"", "[Audit]", true, Map.of("annotate/image", "nginx")),
        Arguments.of("empty after trimming: not published", "Fail", "\"'   '\"", "[Audit]", true, Map.of()),
        Arguments.of("null: not published", "Fail", "\"null\"", "[Audit]", true, Map.of()),
        Arguments.of("cut to 10 KiB", "Fail", "\"'" + big + "yy'\"", "[Audit]", true,
            Map.of("annotate/image", big)),
        Arguments.of("runtime error under Fail denies although the binding only audits", "Fail",
            "\"string(object.spec.missing)\"", "[Audit]", false, Map.of()),
        Arguments.of("runtime error under Ignore", "Ignore", "\"string(object.spec.missing)\"", "[Audit]", true, Map.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("auditAnnotations")
  void auditAnnotationsArePublishedAsTheApiServerPublishesThem(String title, String failurePolicy,
      String valueExpression, String actions, boolean allowed, Map<String, String> annotations) {
    Decision d = evaluate(annotationPolicy(failurePolicy, valueExpression, actions), ParamResolver.none(), POD);

    assertThat(d.allowed()).isEqualTo(allowed);
    assertThat(d.auditAnnotations()).isEqualTo(annotations);
  }

  @org.junit.jupiter.api.Test
  void theSameAnnotationValueFromSeveralParamsIsPublishedOnceAndDistinctValuesAreJoined() {
    String yaml = """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: annotate}
        spec:
          paramKind: {apiVersion: v1, kind: ConfigMap}
          matchConstraints:
            resourceRules:
            - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
          auditAnnotations:
          - {key: tier, valueExpression: "string(params.data.tier)"}
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: annotate-binding}
        spec:
          policyName: annotate
          validationActions: [Audit]
          paramRef: {selector: {}, parameterNotFoundAction: Allow}
        """;
    ParamResolver params = ParamResolver.of(PolicyTester.documents("""
        {apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: team-a}, data: {tier: gold}}
        ---
        {apiVersion: v1, kind: ConfigMap, metadata: {name: b, namespace: team-a}, data: {tier: silver}}
        ---
        {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: team-a}, data: {tier: gold}}
        """));

    // dispatcher.go's auditAnnotationCollector: duplicates dropped, distinct values joined with ", "
    assertThat(evaluate(yaml, params, POD).auditAnnotations()).isEqualTo(Map.of("annotate/tier", "gold, silver"));
  }

  private static String replicasPolicy(String actions) {
    return """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: replicas}
        spec:
          matchConstraints:
            resourceRules:
            - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
          validations:
          - expression: "object.spec.replicas >= 1"
          - expression: "object.spec.replicas <= 5"
          - expression: "object.spec.replicas <= 2"
            message: "at most 2 & no more"
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: replicas-binding}
        spec:
          policyName: replicas
          validationActions: %s
        """.formatted(actions);
  }

  /**
   * What each validationActions combination reports where, as the dispatcher (.../policy/validating/dispatcher.go)
   * does: Deny rejects, Warn adds {@code Validation failed for ValidatingAdmissionPolicy '<p>' with binding '<b>':
   * <message>} per failure, Audit publishes the {@code ValidationFailureValue} JSON (message, policy, binding,
   * expressionIndex, validationActions in the binding's order; Go's HTML-safe escaping), one failure per request since
   * the API server does not overwrite an audit annotation; the shape is the one the VAP documentation page shows.
   */
  static Stream<Arguments> validationActions() {
    String audit = "[{\"message\":\"failed expression: object.spec.replicas \\u003c= 5\",\"policy\":\"replicas\","
        + "\"binding\":\"replicas-binding\",\"expressionIndex\":1,\"validationActions\":%s}]";
    List<String> warnings = List.of(
        "Validation failed for ValidatingAdmissionPolicy 'replicas' with binding 'replicas-binding': "
            + "failed expression: object.spec.replicas <= 5",
        "Validation failed for ValidatingAdmissionPolicy 'replicas' with binding 'replicas-binding': "
            + "at most 2 & no more");
    String annotation = "validation.policy.admission.k8s.io/validation_failure";
    return Stream.of(
        Arguments.of("[Deny]", false, List.of(), Map.of()),
        Arguments.of("[Warn]", true, warnings, Map.of()),
        Arguments.of("[Audit]", true, List.of(), Map.of(annotation, audit.formatted("[\"Audit\"]"))),
        Arguments.of("[Audit, Deny]", false, List.of(), Map.of(annotation, audit.formatted("[\"Audit\",\"Deny\"]"))),
        Arguments.of("[Warn, Audit]", true, warnings, Map.of(annotation, audit.formatted("[\"Warn\",\"Audit\"]"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validationActions")
  void validationActionsReportWhereTheApiServerReports(String actions, boolean allowed, List<String> warnings,
      Map<String, String> annotations) {
    JsonNode deployment = PolicyTester.documents("""
        {apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: team-a}, spec: {replicas: 7}}
        """).get(0);
    Decision d = evaluate(replicasPolicy(actions), ParamResolver.none(), deployment);

    assertThat(d.allowed()).isEqualTo(allowed);
    assertThat(d.violations()).hasSize(2);
    assertThat(d.warnings()).containsExactlyElementsOf(warnings);
    assertThat(d.auditAnnotations()).isEqualTo(annotations);
  }

  @org.junit.jupiter.api.Test
  void denyWithWarnIsRefusedAsTheApiServerRefusesIt() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PolicyLoader.load(replicasPolicy("[Deny, Warn]")))
        .hasMessageContaining("Deny and Warn may not be used together");
  }

  /**
   * Loading refuses what the API server's validation of admissionregistration objects refuses
   * (pkg/apis/admissionregistration/validation/validation.go: at most 64 matchConditions, no repeated
   * validationAction).
   */
  static Stream<Arguments> refusedAtLoading() {
    StringBuilder conditions = new StringBuilder();
    for (int i = 0; i < 65; i++) {
      conditions.append("\n  - {name: c").append(i).append(", expression: 'true'}");
    }
    String tooMany = """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: many}
        spec:
          matchConstraints:
            resourceRules:
            - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
          validations:
          - expression: "true"
          matchConditions:""" + conditions + "\n";
    return Stream.of(
        Arguments.of(tooMany, "spec.matchConditions: Too many: 65: must have at most 64 items"),
        Arguments.of(replicasPolicy("[Deny, Deny]"), "spec.validationActions[1]: Duplicate value: \"Deny\""));
  }

  @ParameterizedTest
  @MethodSource("refusedAtLoading")
  void loadingRefusesWhatTheApiServerRefuses(String yaml, String message) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PolicyLoader.load(yaml)).hasMessageContaining(message);
  }

  @org.junit.jupiter.api.Test
  void sixtyFourMatchConditionsAreAccepted() {
    StringBuilder conditions = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      conditions.append("\n    - {name: c").append(i).append(", expression: 'true'}");
    }
    String yaml = replicasPolicy("[Deny]").replace("  validations:\n", "  matchConditions:" + conditions + "\n  validations:\n");
    assertThat(PolicyLoader.load(yaml).policies().get(0).matchConditions()).hasSize(64);
  }
}
