package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.policy.PolicyEngine;
import io.orchestrationplane.policy.PolicyLoader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 17, item 6, deterministically: Kubernetes Events on Application objects in operator mode
 * (applied, converged only when that is news, drift corrected, denied by policy), counted instead of repeated, combined when similar,
 * held back by the spam filter, and never carrying a secret value.
 */
class ApplicationEventsTest {
  static final GroupKind EVENT = new GroupKind("", "Event");
  static final String SECRET = "pa55-ÆØÅ-hunter2";

  /** Denies a Secret whose password is short, quoting it (admission redacts the quote). */
  static final String SHORT_PASSWORDS = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata: {name: long-passwords}
      spec:
        failurePolicy: Fail
        matchConstraints:
          resourceRules:
            - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["secrets"]}
        validations:
          - expression: "object.stringData.password.size() > 40"
            messageExpression: "'password too short: ' + object.stringData.password"
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicyBinding
      metadata: {name: long-passwords}
      spec: {policyName: long-passwords, validationActions: [Deny]}
      """;

  private final ManualClock clock = ManualClock.create();
  private final Scheduler scheduler = Scheduler.manual(clock);
  private final InMemoryCluster ops = InMemoryCluster.builder("ops").clock(clock).build();
  private final OrchestrationPlane plane = OrchestrationPlane.builder()
      .clock(clock).scheduler(scheduler).workers(0).cluster(ops)
      .policies(PolicyEngine.builder().policies(PolicyLoader.load(SHORT_PASSWORDS)).build()).build();
  private final ApplicationOperator operator = ApplicationOperator.builder(plane, ops).build();

  @AfterEach
  void close() {
    operator.close();
    plane.close();
    scheduler.close();
  }

  List<Resource> events(String reason) {
    return ops.list(EVENT, "team-a", Map.of()).stream().filter(e -> e.at("/reason").asString().equals(reason)).toList();
  }

  @Test
  void anAppliedApplicationGetsAnEventReferringToItsObject() {
    operator.start();
    plane.start();
    ops.apply(Resource.fromYaml(ApplicationOperatorTest.application("fast")));
    plane.runPending();

    Resource app = ops.get(ApplicationOperatorTest.APP).orElseThrow();
    assertThat(events("Applied")).singleElement().satisfies(e -> {
      assertThat(e.at("/type").asString()).isEqualTo("Normal");
      assertThat(e.at("/count").asInt()).isEqualTo(1);
      assertThat(e.at("/source/component").asString()).isEqualTo(ApplicationOperator.EVENT_SOURCE);
      assertThat(e.at("/involvedObject/kind").asString()).isEqualTo("Application");
      assertThat(e.at("/involvedObject/apiVersion").asString()).isEqualTo("orchestrationplane.io/v1alpha1");
      assertThat(e.at("/involvedObject/name").asString()).isEqualTo("settings");
      assertThat(e.at("/involvedObject/uid").asString()).isEqualTo(app.uid());
      assertThat(e.name()).startsWith("settings.");
      assertThat(e.at("/firstTimestamp").asString()).isEqualTo(e.at("/lastTimestamp").asString());
    });
    assertThat(events("Converged")).as("the reconcile that applied it found it converged: one Event says it").isEmpty();
    assertThat(app.at("/status/phase").asString()).isEqualTo("READY");
  }

  @Test
  void anApplicationThatBecomesHealthyAfterItsApplyGetsAConvergedEventThen() {
    operator.start();
    plane.start();
    ops.apply(Resource.fromYaml("""
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Application
        metadata: {name: settings, namespace: team-a}
        spec:
          components:
            - name: web
              type: k8s-objects
              properties:
                objects:
                  - apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web}
                    spec:
                      replicas: 1
                      selector: {matchLabels: {app: web}}
                      template:
                        metadata: {labels: {app: web}}
                        spec: {containers: [{name: web, image: "nginx:1.27"}]}
        """));
    plane.runPending();
    assertThat(events("Applied")).hasSize(1);
    assertThat(events("Converged")).as("the Deployment is not available yet").isEmpty();

    Resource deployment = ops.get(ResourceKey.of("ops", "apps", "Deployment", "team-a", "web")).orElseThrow();
    ops.updateStatus(deployment.edit(t -> {
      ObjectNode status = t.putObject("status");
      status.put("observedGeneration", deployment.generation());
      status.put("replicas", 1);
      status.put("updatedReplicas", 1);
      status.put("readyReplicas", 1);
      status.put("availableReplicas", 1);
      ObjectNode available = status.putArray("conditions").addObject();
      available.put("type", "Available");
      available.put("status", "True");
      available.put("reason", "MinimumReplicasAvailable");
    }));
    plane.runPending();

    assertThat(events("Converged")).singleElement()
        .satisfies(e -> assertThat(e.at("/message").asString()).isEqualTo("1 objects in sync and healthy"));
    assertThat(events("Applied")).hasSize(1);
  }

  @Test
  void theSameDriftCorrectedAgainCountsOnTheEventWrittenBefore() {
    operator.start();
    plane.start();
    ops.apply(Resource.fromYaml(ApplicationOperatorTest.application("fast")));
    plane.runPending();
    String first = null;
    for (int i = 1; i <= 3; i++) {
      clock.advance(Duration.ofMinutes(1));
      Resource config = ops.get(ApplicationOperatorTest.CONFIG).orElseThrow();
      int n = i;
      ops.update(config.edit(t -> ((ObjectNode) t.get("data")).put("mode", "edited-" + n)));
      plane.runPending();
      List<Resource> corrected = events("DriftCorrected");
      assertThat(corrected).as("after correction %d", i).hasSize(1);
      assertThat(corrected.get(0).at("/count").asInt()).isEqualTo(i);
      first = first == null ? corrected.get(0).at("/firstTimestamp").asString() : first;
      assertThat(corrected.get(0).at("/firstTimestamp").asString()).isEqualTo(first);
      assertThat(corrected.get(0).at("/lastTimestamp").asString()).isEqualTo(clock.instant()
          .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    }
  }

  @Test
  void aDenialIsAWarningThatNeverCarriesTheSecretValue() {
    operator.start();
    plane.start();
    ops.apply(Resource.fromYaml("""
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Application
        metadata: {name: settings, namespace: team-a}
        spec:
          components:
            - name: creds
              type: k8s-objects
              properties:
                objects:
                  - apiVersion: v1
                    kind: Secret
                    metadata: {name: db}
                    stringData: {password: "%s"}
        """.formatted(SECRET)));
    plane.runPending();
    assertThat(events("DeniedByPolicy")).singleElement().satisfies(e -> {
      assertThat(e.at("/type").asString()).isEqualTo("Warning");
      assertThat(e.at("/message").asString()).contains("long-passwords").contains("Secret team-a/db")
          .doesNotContain(SECRET).doesNotContain("hunter2");
    });
    assertThat(ops.list(EVENT, null, Map.of())).allSatisfy(e -> assertThat(e.json().toString()).doesNotContain("hunter2"));
  }

  // ---- the recorder's correlation, client-go's rules

  private Resource involved() {
    return ops.apply(Resource.fromYaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: target, namespace: team-a}
        """));
  }

  @Test
  void theSpamFilterHoldsEventsPerObjectBeyondTheBurstUntilTokensComeBack() {
    EventRecorder recorder = EventRecorder.builder(ops, "test").clock(clock).spamFilter(3, Duration.ofMinutes(5)).build();
    Resource target = involved();
    Resource other = ops.apply(Resource.fromYaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other, namespace: team-a}"));
    for (int i = 0; i < 5; i++) {
      recorder.record(target, EventRecorder.Type.NORMAL, "Reason" + i, "message " + i);
    }
    assertThat(ops.list(EVENT, "team-a", Map.of())).hasSize(3);
    assertThat(recorder.record(other, EventRecorder.Type.NORMAL, "Reason", "another object has its own bucket")).isTrue();
    clock.advance(Duration.ofMinutes(5));
    assertThat(recorder.record(target, EventRecorder.Type.NORMAL, "Later", "one token back")).isTrue();
    assertThat(recorder.record(target, EventRecorder.Type.NORMAL, "Later2", "no more yet")).isFalse();
    assertThat(ops.list(EVENT, "team-a", Map.of())).hasSize(5);
  }

  @Test
  void similarEventsWithDifferentMessagesAreCombinedOnceTheyReachTheLimitWithinTheWindow() {
    EventRecorder recorder = EventRecorder.builder(ops, "test").clock(clock).aggregation(3, Duration.ofMinutes(10)).build();
    Resource target = involved();
    for (int i = 1; i <= 5; i++) {
      recorder.record(target, EventRecorder.Type.WARNING, "BackOff", "attempt " + i);
      clock.advance(Duration.ofSeconds(30));
    }
    List<Resource> events = ops.list(EVENT, "team-a", Map.of());
    assertThat(events).extracting(e -> e.at("/message").asString()).containsExactlyInAnyOrder(
        "attempt 1", "attempt 2", "(combined from similar events): attempt 5");
    assertThat(events).filteredOn(e -> e.at("/message").asString().startsWith("(combined"))
        .singleElement().satisfies(e -> assertThat(e.at("/count").asInt()).isEqualTo(3));

    clock.advance(Duration.ofMinutes(11)); // the window passed: messages stand alone again
    recorder.record(target, EventRecorder.Type.WARNING, "BackOff", "attempt 6");
    assertThat(ops.list(EVENT, "team-a", Map.of())).extracting(e -> e.at("/message").asString()).contains("attempt 6");
  }
}
