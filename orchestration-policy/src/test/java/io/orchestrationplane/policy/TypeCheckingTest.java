package io.orchestrationplane.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Type checking against OpenAPI schemas, reported as the API server reports it in a ValidatingAdmissionPolicy's
 * {@code status.typeChecking}: built-in kinds from the shipped schemas, custom resources from their CRD.
 */
class TypeCheckingTest {
  private static final String DEPLOYMENTS = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata: {name: replicas}
      spec:
        matchConstraints:
          resourceRules:
          - apiGroups: [apps]
            apiVersions: [v1]
            operations: [CREATE]
            resources: [deployments]
        variables:
        - {name: replicas, expression: object.spec.replicas}
        - {name: early, expression: variables.later == 1}
        - {name: later, expression: '1'}
        validations:
        - expression: object.spec.replicsa > 1
        - expression: variables.replicas > 'x'
          messageExpression: "'too many: ' + object.spec.replicas"
        - expression: object.metadata.creationTimestamp < timestamp('2030-01-01T00:00:00Z')
        - expression: "object.spec.template.spec.containers.all(c, c.image != '')"
      """;

  private static PolicyEngine engine(String yaml, KindSchemas schemas) {
    return PolicyEngine.builder().policies(PolicyLoader.load(yaml)).schemas(schemas).build();
  }

  @Test
  void expressionsAreCheckedAgainstTheSchemaOfEachMatchedKind() {
    TypeChecking tc = engine(DEPLOYMENTS, KindSchemas.builtIn()).typeChecking().get("replicas");

    assertThat(tc.checkedKinds()).containsExactly("apps/v1, Kind=Deployment");
    assertThat(tc.expressionWarnings()).extracting(ExpressionWarning::fieldRef).containsExactly(
        "spec.validations[0].expression", "spec.validations[1].expression", "spec.validations[1].messageExpression");
    assertThat(tc.expressionWarnings().get(0).warning()).isEqualTo("apps/v1, Kind=Deployment: ERROR: <input>:1:12: "
        + "undefined field 'replicsa'\n | object.spec.replicsa > 1\n | ...........^\n");
    assertThat(tc.expressionWarnings().get(1).warning())
        .contains("found no matching overload for '_>_' applied to '(int, string)'");
    assertThat(tc.expressionWarnings().get(2).warning())
        .contains("found no matching overload for '_+_' applied to '(string, int)'");
  }

  @Test
  void warningsDoNotChangeEvaluation() {
    PolicyEngine checked = engine(DEPLOYMENTS, KindSchemas.builtIn());
    PolicyEngine unchecked = engine(DEPLOYMENTS, KindSchemas.none());
    JsonNode deployment = PolicyTester.documents("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: d, namespace: n, creationTimestamp: '2024-01-01T00:00:00Z'}
        spec: {replicas: 2, template: {spec: {containers: [{name: c, image: i}]}}}
        """).get(0);
    AdmissionRequest request = AdmissionRequest.builder(Operation.CREATE).object(deployment).build();

    assertThat(unchecked.typeChecking().get("replicas").expressionWarnings()).isEmpty();
    assertThat(checked.evaluate(request)).isEqualTo(unchecked.evaluate(request));
  }

  @Test
  void crdSchemasTypeFormatsAsKubernetesDoes() {
    JsonNode crd = PolicyTester.documents("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          names: {kind: Widget, plural: widgets}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      timeout: {type: string, format: duration}
                      since: {type: string, format: date-time}
                      size: {x-kubernetes-int-or-string: true}
                      labels: {type: object, additionalProperties: {type: string}}
        """).get(0);
    String policy = """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: widgets}
        spec:
          matchConstraints:
            resourceRules:
            - {apiGroups: [example.com], apiVersions: [v1], operations: [CREATE], resources: [widgets]}
          validations:
          - expression: object.spec.timeout < duration('1h')
          - expression: object.spec.since.startsWith('2024')
          - expression: object.spec.size == 3 || object.spec.size == '3'
          - expression: object.spec.labels['a'] == 'b' && object.metadata.labels['x'] == 'y'
          - expression: object.spec.colour == 'red'
        """;

    TypeChecking tc = engine(policy, KindSchemas.builtIn().withCustomResourceDefinition(crd)).typeChecking()
        .get("widgets");

    assertThat(tc.checkedKinds()).containsExactly("example.com/v1, Kind=Widget");
    assertThat(tc.expressionWarnings()).extracting(ExpressionWarning::fieldRef)
        .containsExactly("spec.validations[1].expression", "spec.validations[4].expression");
    assertThat(tc.expressionWarnings().get(0).warning()).contains("found no matching overload for 'startsWith' applied to 'google.protobuf.Timestamp.(string)'");
    assertThat(tc.expressionWarnings().get(1).warning()).contains("undefined field 'colour'");
  }

  @Test
  void withoutExplicitKindsOrSchemasNothingIsChecked() {
    String wildcard = DEPLOYMENTS.replace("apiVersions: [v1]", "apiVersions: ['*']");
    assertThat(engine(wildcard, KindSchemas.builtIn()).typeChecking().get("replicas"))
        .isEqualTo(new TypeChecking(List.of(), List.of()));
    String unknown = DEPLOYMENTS.replace("resources: [deployments]", "resources: [gadgets]");
    assertThat(engine(unknown, KindSchemas.builtIn()).typeChecking().get("replicas").checkedKinds()).isEmpty();
  }

  @Test
  void paramsAreTypedByTheParamKindsSchema() {
    String policy = """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: limits}
        spec:
          paramKind: {apiVersion: v1, kind: ConfigMap}
          matchConstraints:
            resourceRules:
            - {apiGroups: [''], apiVersions: [v1], operations: [CREATE], resources: [pods]}
          validations:
          - expression: object.spec.containers.size() <= int(params.data.max)
          - expression: params.spec.max > 1
        """;
    TypeChecking tc = engine(policy, KindSchemas.builtIn()).typeChecking().get("limits");

    assertThat(tc.checkedKinds()).containsExactly("/v1, Kind=Pod");
    assertThat(tc.expressionWarnings()).singleElement().satisfies(w -> {
      assertThat(w.fieldRef()).isEqualTo("spec.validations[1].expression");
      assertThat(w.warning()).startsWith("/v1, Kind=Pod: ERROR: <input>:1:7: undefined field 'spec'");
    });
  }
}
