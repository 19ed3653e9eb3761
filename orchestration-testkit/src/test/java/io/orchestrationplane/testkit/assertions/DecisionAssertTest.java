package io.orchestrationplane.testkit.assertions;

import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThat;
import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThatThrownBy;

import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.policy.AdmissionRequest;
import io.orchestrationplane.policy.Decision;
import io.orchestrationplane.policy.Operation;
import io.orchestrationplane.policy.PolicyEngine;
import io.orchestrationplane.policy.PolicyLoader;
import org.junit.jupiter.api.Test;

class DecisionAssertTest {
  // Two policies: one denies Deployments without replicas >= 2, one warns about a missing team label.
  private static final String POLICIES = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata: {name: min-replicas}
      spec:
        matchConstraints:
          resourceRules:
          - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
        validations:
        - expression: "object.spec.replicas >= 2"
          message: "a Deployment needs at least 2 replicas"
        - expression: "object.spec.template.spec.containers.all(c, !c.image.endsWith(':latest'))"
          message: "images must not use the :latest tag"
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicyBinding
      metadata: {name: min-replicas-everywhere}
      spec: {policyName: min-replicas, validationActions: [Deny]}
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata: {name: team-label}
      spec:
        matchConstraints:
          resourceRules:
          - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
        validations:
        - expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
          message: "Deployments should carry a team label"
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicyBinding
      metadata: {name: team-label}
      spec: {policyName: team-label, validationActions: [Warn]}
      """;

  private final PolicyEngine engine = PolicyEngine.builder().policies(PolicyLoader.load(POLICIES)).build();

  private Decision create(int replicas, String image, boolean teamLabel) {
    String labels = teamLabel ? "labels: {team: payments}" : "labels: {}";
    String yaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop, %s}
        spec:
          replicas: %d
          template:
            spec:
              containers: [{name: api, image: "%s"}]
        """.formatted(labels, replicas, image);
    return engine.evaluate(AdmissionRequest.builder(Operation.CREATE).object(Json.readYaml(yaml)).build());
  }

  @Test
  void aCompliantObjectIsAllowedWithoutViolations() {
    assertThat(create(3, "acme/api:1.2", true)).isAllowed().hasNoViolations().hasViolationCount(0);
  }

  @Test
  void aDenialNamesThePolicyAndEveryMessage() {
    assertThat(create(1, "acme/api:latest", true))
        .isDenied()
        .isDeniedBy("min-replicas")
        .hasViolationCount(2)
        .hasViolationMessage("at least 2 replicas")
        .hasViolationMessage(":latest tag");
  }

  @Test
  void aWarnBindingAllowsTheRequestAndWarns() {
    assertThat(create(3, "acme/api:1.2", false))
        .isAllowed()
        .hasViolationCount(1)
        .hasViolationMessage("team label")
        .hasWarning("Deployments should carry a team label")
        .hasWarning("team-label");
  }

  @Test
  void aFailedAssertionListsEveryViolationWithPolicyBindingMessageAndActions() {
    Decision denied = create(1, "acme/api:latest", false);
    assertThatThrownBy(() -> assertThat(denied).isAllowed())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected the decision to be allowed, but it is denied:")
        .hasMessageContaining("DENIED (3 violations, 1 warning, 0 errors)")
        .hasMessageContaining("- policy min-replicas, binding min-replicas-everywhere [Deny]: "
            + "a Deployment needs at least 2 replicas")
        .hasMessageContaining("- policy min-replicas, binding min-replicas-everywhere [Deny]: "
            + "images must not use the :latest tag")
        .hasMessageContaining("- policy team-label, binding team-label [Warn]: Deployments should carry a team label")
        .hasMessageContaining("warning: ");
    assertThatThrownBy(() -> assertThat(denied).isDeniedBy("team-label"))
        .hasMessageContaining("to be denied by policy team-label, but it is denied by min-replicas");
    assertThatThrownBy(() -> assertThat(denied).hasViolationMessage("root user"))
        .hasMessageContaining("to have a violation whose message contains \"root user\", but none does")
        .hasMessageContaining("images must not use the :latest tag");
    assertThatThrownBy(() -> assertThat(denied).hasViolationCount(1))
        .hasMessageContaining("to have 1 violation(s), but it has 3");
  }

  @Test
  void anAllowedDecisionFailsDenialAssertionsAndSaysWhatItHas() {
    Decision allowed = create(3, "acme/api:1.2", true);
    assertThatThrownBy(() -> assertThat(allowed).isDenied())
        .hasMessageContaining("Expected the decision to be denied, but it is allowed:\nALLOWED (0 violations, 0 warnings, 0 errors)");
    assertThatThrownBy(() -> assertThat(allowed).isDeniedBy("min-replicas"))
        .hasMessageContaining("to be denied, but it is allowed");
    assertThatThrownBy(() -> assertThat(allowed).hasViolationMessage("replicas"))
        .hasMessageContaining("but it has no violations");
    assertThatThrownBy(() -> assertThat(allowed).hasWarning("team"))
        .hasMessageContaining("but it has no warnings");
    assertThatThrownBy(() -> assertThat(create(3, "acme/api:1.2", false)).hasNoViolations())
        .hasMessageContaining("to have no violations and no errors");
  }
}
