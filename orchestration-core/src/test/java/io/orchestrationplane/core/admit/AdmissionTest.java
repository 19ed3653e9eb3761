package io.orchestrationplane.core.admit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Condition;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.policy.PolicyEngine;
import io.orchestrationplane.policy.PolicyLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admit step: planned writes go through ValidatingAdmissionPolicies before anything is applied. */
class AdmissionTest {
  static final String POLICIES = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata: {name: require-team-label}
      spec:
        failurePolicy: Fail
        matchConstraints:
          resourceRules:
            - apiGroups: ["apps"]
              apiVersions: ["v1"]
              operations: ["CREATE", "UPDATE"]
              resources: ["deployments"]
        validations:
          - expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
            messageExpression: "'Deployment ' + object.metadata.name + ' needs a team label'"
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicyBinding
      metadata: {name: require-team-label}
      spec:
        policyName: require-team-label
        validationActions: [Deny]
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata: {name: prefer-two-replicas}
      spec:
        matchConstraints:
          resourceRules:
            - apiGroups: ["apps"]
              apiVersions: ["v1"]
              operations: ["CREATE", "UPDATE"]
              resources: ["deployments"]
        validations:
          - expression: "!has(object.spec.replicas) || object.spec.replicas >= 2"
            message: "one replica means downtime on every rollout"
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicyBinding
      metadata: {name: prefer-two-replicas}
      spec:
        policyName: prefer-two-replicas
        validationActions: [Warn, Audit]
      """;

  private final ManualClock clock = ManualClock.create();
  private final InMemoryCluster cluster = InMemoryCluster.builder("dev").clock(clock).build();
  private final OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(cluster)
      .readinessGates(false)
      .policies(PolicyEngine.builder().policies(PolicyLoader.load(POLICIES)).build())
      .build();

  static Application shop(boolean labelled, int replicas) {
    Application.Builder app = Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "worker").property("image", "acme/api:1").property("replicas", replicas).build())
        .component(Component.builder("web", "worker").property("image", "acme/web:1").property("replicas", replicas).build());
    if (labelled) {
      app.label("team", "payments");
    }
    return app.build();
  }

  @Test
  void mutatingPoliciesChangeThePlannedObjectsBeforeValidationAndThePlanShowsEachMutation() {
    String addTeam = """
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: MutatingAdmissionPolicy
        metadata: {name: default-team}
        spec:
          matchConstraints:
            resourceRules:
              - {apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["deployments"]}
          matchConditions:
            - {name: no-team-yet, expression: "!has(object.metadata.labels) || !('team' in object.metadata.labels)"}
          reinvocationPolicy: Never
          mutations:
            - patchType: ApplyConfiguration
              applyConfiguration:
                expression: 'Object{metadata: Object.metadata{labels: {"team": "platform"}}}'
        ---
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: MutatingAdmissionPolicyBinding
        metadata: {name: default-team}
        spec: {policyName: default-team}
        """;
    OrchestrationPlane mutating = OrchestrationPlane.builder().clock(clock).cluster(cluster).readinessGates(false)
        .policies(PolicyEngine.builder().policies(PolicyLoader.load(POLICIES + "---\n" + addTeam)).build()).build();

    Plan plan = mutating.plan(shop(false, 2));

    assertThat(plan.notices()).extracting(n -> n.action() + " " + n.key().name() + " " + n.policy() + ": " + n.message())
        .containsExactly(
            "Mutate api default-team: [{\"op\":\"add\",\"path\":\"/metadata/labels/team\",\"value\":\"platform\"}]",
            "Mutate web default-team: [{\"op\":\"add\",\"path\":\"/metadata/labels/team\",\"value\":\"platform\"}]");
    assertThat(plan.creates()).allSatisfy(c -> assertThat(c.desired().label("team")).isEqualTo("platform"));
    assertThat(plan.toText()).contains("mutate: Deployment shop/api (cluster dev): default-team:");
    mutating.apply(plan);
    assertThat(cluster.size()).as("two Deployments and the application's inventory").isEqualTo(3);
  }

  @Test
  void aMutatedFieldOnceAppliedIsNoDriftAndTheNextPlanHasNoChanges() {
    // The policy overrides a label the application sets: the application's desired object never
    // holds the mutation, so the planner alone would see team=payments against team=platform.
    String platformTeam = """
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: MutatingAdmissionPolicy
        metadata: {name: platform-team}
        spec:
          matchConstraints:
            resourceRules:
              - {apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["deployments"]}
          reinvocationPolicy: Never
          mutations:
            - patchType: ApplyConfiguration
              applyConfiguration:
                expression: 'Object{metadata: Object.metadata{labels: {"team": "platform"}}}'
        ---
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: MutatingAdmissionPolicyBinding
        metadata: {name: platform-team}
        spec: {policyName: platform-team}
        """;
    OrchestrationPlane mutating = OrchestrationPlane.builder().clock(clock).cluster(cluster).readinessGates(false)
        .policies(PolicyEngine.builder().policies(PolicyLoader.load(POLICIES + "---\n" + platformTeam)).build()).build();

    mutating.apply(shop(true, 2));
    assertThat(cluster.all()).filteredOn(r -> r.kind().equals("Deployment")).hasSize(2)
        .allSatisfy(r -> assertThat(r.label("team")).isEqualTo("platform"));
    Plan again = mutating.plan(shop(true, 2));

    assertThat(again.updates()).isEmpty();
    assertThat(again.hasChanges()).isFalse();
    assertThat(again.notices()).as("nothing written, nothing admitted").isEmpty();
    assertThat(again.changes()).filteredOn(c -> c.key().kind().equals("Deployment")).hasSize(2)
        .allSatisfy(c -> assertThat(c.desired().label("team")).isEqualTo("platform"));
    // A real change still goes through, mutated: the replicas are updated, the label stays the policy's.
    Plan scaled = mutating.plan(shop(true, 3));
    assertThat(scaled.updates()).hasSize(2).allSatisfy(c -> {
      assertThat(c.diffs()).extracting(d -> d.path()).containsExactly("spec.replicas");
      assertThat(c.desired().label("team")).isEqualTo("platform");
    });
  }

  @Test
  void aDenyStopsThePlanListingEveryViolationAndNothingIsWritten() {
    assertThatThrownBy(() -> plane.apply(shop(false, 2)))
        .isInstanceOfSatisfying(AdmissionDeniedException.class, e -> assertThat(e.violations()).containsExactly(
            "Deployment shop/api (cluster dev): require-team-label: Deployment api needs a team label",
            "Deployment shop/web (cluster dev): require-team-label: Deployment web needs a team label"));
    assertThat(cluster.size()).isZero();
  }

  @Test
  void aDenialNamesEachWriteItsComponentAndPolicyForTools() {
    assertThatThrownBy(() -> plane.plan(shop(false, 2)))
        .isInstanceOfSatisfying(AdmissionDeniedException.class, e -> {
          assertThat(e.denials()).extracting(d -> d.key().cluster() + " " + d.key().display() + " " + d.environment()
              + " " + d.component() + " " + d.policy() + " " + d.binding() + ": " + d.message())
              .containsExactly("dev Deployment shop/api default api require-team-label require-team-label: Deployment api needs a team label",
                  "dev Deployment shop/web default web require-team-label require-team-label: Deployment web needs a team label");
          assertThat(e.denials()).extracting(Object::toString).isEqualTo(e.violations());
        });
  }

  @Test
  void warningsAndAuditsAppearInThePlanAndTheStatus() {
    Plan plan = plane.plan(shop(true, 1));
    assertThat(plan.notices()).extracting(n -> n.action() + " " + n.key().name() + ": " + n.message())
        .containsExactly("Warn api: one replica means downtime on every rollout",
            "Audit api: one replica means downtime on every rollout",
            "Warn web: one replica means downtime on every rollout",
            "Audit web: one replica means downtime on every rollout");
    assertThat(plan.toText()).contains("? warn: Deployment shop/api (cluster dev): prefer-two-replicas: one replica");
    assertThat(plan.toJsonTree().get("policyNotices")).hasSize(4);
    plane.apply(plan);
    assertThat(cluster.size()).as("two Deployments and the application's inventory").isEqualTo(3);
    assertThat(plane.status(shop(true, 1)).notices()).isEmpty(); // nothing to write, nothing admitted
    assertThat(plane.status(shop(true, 3)).notices()).isEmpty(); // a compliant change
    ApplicationStatus unlabelled = plane.status(shop(false, 1));
    assertThat(unlabelled.phase()).isEqualTo(Phase.DEGRADED);
    assertThat(unlabelled.lastError()).contains("require-team-label");
  }

  @Test
  void aPolicyMessageQuotingSecretDataShowsADigestInstead() {
    String quoting = """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: strong-passwords}
        spec:
          matchConstraints:
            resourceRules:
              - apiGroups: [""]
                apiVersions: ["v1"]
                operations: ["CREATE", "UPDATE"]
                resources: ["secrets"]
          validations:
            - expression: "!has(object.stringData) || size(object.stringData.password) >= 12"
              messageExpression: "'password ' + object.stringData.password + ' is too short'"
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: strong-passwords}
        spec:
          policyName: strong-passwords
          validationActions: [Deny]
        """;
    OrchestrationPlane guarded = OrchestrationPlane.builder().clock(clock).cluster(cluster)
        .policies(PolicyEngine.builder().policies(PolicyLoader.load(quoting)).build()).build();
    assertThatThrownBy(() -> guarded.plan(secretApp("correcthor")))
        .isInstanceOfSatisfying(AdmissionDeniedException.class, e -> {
          assertThat(e.getMessage()).doesNotContain("correcthor").contains("password hmac:").contains("is too short");
          assertThat(e.violations()).singleElement().asString().contains("is too short");
        });
    // A value too short to find and replace safely: the message is withheld altogether.
    assertThatThrownBy(() -> guarded.plan(secretApp("hunter2")))
        .isInstanceOfSatisfying(AdmissionDeniedException.class, e -> assertThat(e.getMessage())
            .doesNotContain("hunter2").contains("strong-passwords").contains("message withheld"));
  }

  @Test
  void aMutationPatchQuotingSecretDataShowsADigestInstead() {
    String copying = """
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: MutatingAdmissionPolicy
        metadata: {name: copy-password}
        spec:
          matchConstraints:
            resourceRules:
              - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["secrets"]}
          reinvocationPolicy: Never
          mutations:
            - patchType: ApplyConfiguration
              applyConfiguration:
                expression: 'Object{metadata: Object.metadata{annotations: {"copy": object.stringData.password}}}'
        ---
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: MutatingAdmissionPolicyBinding
        metadata: {name: copy-password}
        spec: {policyName: copy-password}
        """;
    OrchestrationPlane mutating = OrchestrationPlane.builder().clock(clock).cluster(cluster)
        .policies(PolicyEngine.builder().policies(PolicyLoader.load(copying)).build()).build();

    Plan plan = mutating.plan(secretApp("correct-horse-battery"));

    assertThat(plan.notices()).singleElement().satisfies(n -> {
      assertThat(n.action()).isEqualTo("Mutate");
      assertThat(n.message()).doesNotContain("correct-horse-battery").contains("/metadata/annotations/copy\",\"value\":\"hmac:");
    });
    assertThat(plan.toText()).doesNotContain("correct-horse-battery");
  }

  private static Application secretApp(String password) {
    return Application.builder("db").namespace("shop")
        .component(Component.builder("creds", "k8s-objects").property("manifests", """
            apiVersion: v1
            kind: Secret
            metadata: {name: db}
            stringData: {password: %s}
            """.formatted(password)).build())
        .build();
  }

  @Test
  void continuousModeShowsADenialInStatusAndAppliesTheFixedApplication() {
    try (Scheduler scheduler = Scheduler.manual(clock);
        OrchestrationPlane continuous = OrchestrationPlane.builder().clock(clock).scheduler(scheduler).workers(0)
            .cluster(cluster).readinessGates(false)
            .policies(PolicyEngine.builder().policies(PolicyLoader.load(POLICIES)).build()).build()) {
      continuous.start();
      continuous.submit(shop(false, 2));
      continuous.runPending();
      ApplicationStatus denied = continuous.status(shop(false, 2));
      assertThat(denied.phase()).isEqualTo(Phase.DEGRADED);
      assertThat(denied.condition(Condition.DEGRADED)).hasValueSatisfying(c -> {
        assertThat(c.reason()).isEqualTo("AdmissionDenied");
        assertThat(c.message()).contains("Deployment shop/api (cluster dev): require-team-label");
      });
      assertThat(cluster.size()).isZero();

      continuous.submit(shop(true, 2));
      continuous.runPending();
      assertThat(cluster.size()).as("two Deployments and the application's inventory").isEqualTo(3);
      assertThat(continuous.status(shop(true, 2)).condition(Condition.DEGRADED)).hasValueSatisfying(c ->
          assertThat(c.isTrue()).isFalse());
      assertThat(cluster.all()).filteredOn(r -> r.kind().equals("Deployment"))
          .allSatisfy(r -> assertThat(r.label("team")).isEqualTo("payments"));
    }
  }
}
