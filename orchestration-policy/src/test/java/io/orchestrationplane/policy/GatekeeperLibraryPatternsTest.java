package io.orchestrationplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Patterns the Gatekeeper policy library's CEL templates rely on, run as {@code gator verify} runs them. The
 * fixtures are written here from Gatekeeper's documented semantics (a constraint without {@code parameters} binds
 * {@code variables.params} to null; CEL's {@code has()} on a value without fields is false, as in cel-go).
 */
class GatekeeperLibraryPatternsTest {
  /** The library's exempt-images idiom: optional parameters read through {@code has(variables.params.x)}. */
  private static final String TEMPLATE = """
      apiVersion: templates.gatekeeper.sh/v1
      kind: ConstraintTemplate
      metadata: {name: k8snoprivileged}
      spec:
        crd:
          spec:
            names: {kind: K8sNoPrivileged}
            validation:
              openAPIV3Schema:
                type: object
                properties:
                  exemptImages: {type: array, items: {type: string}}
        targets:
        - target: admission.k8s.gatekeeper.sh
          code:
          - engine: K8sNativeValidation
            source:
              variables:
              - name: exempt
                expression: "!has(variables.params.exemptImages) ? [] : variables.params.exemptImages"
              - name: bad
                expression: >-
                  variables.anyObject.spec.containers.filter(c, !(c.image in variables.exempt)
                  && has(c.securityContext) && has(c.securityContext.privileged) && c.securityContext.privileged)
                  .map(c, c.name)
              validations:
              - expression: "size(variables.bad) == 0"
                messageExpression: "'privileged: ' + variables.bad.join(', ')"
      """;

  private static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: default}
      spec:
        containers:
        - {name: a, image: nginx, securityContext: {privileged: %s}}
        - {name: b, image: busybox}
      """;

  @Test
  void aConstraintWithoutParametersReadsItsOptionalParametersAsAbsent(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("template.yaml"), TEMPLATE);
    Files.writeString(dir.resolve("constraint.yaml"), """
        apiVersion: constraints.gatekeeper.sh/v1beta1
        kind: K8sNoPrivileged
        metadata: {name: no-params}
        spec:
          match: {kinds: [{apiGroups: [""], kinds: [Pod]}]}
        """);
    Files.writeString(dir.resolve("exempting.yaml"), """
        apiVersion: constraints.gatekeeper.sh/v1beta1
        kind: K8sNoPrivileged
        metadata: {name: exempting}
        spec:
          match: {kinds: [{apiGroups: [""], kinds: [Pod]}]}
          parameters: {exemptImages: [nginx]}
        """);
    Files.writeString(dir.resolve("privileged.yaml"), POD.formatted("true"));
    Files.writeString(dir.resolve("unprivileged.yaml"), POD.formatted("false"));
    Files.writeString(dir.resolve("suite.yaml"), """
        apiVersion: test.gatekeeper.sh/v1alpha1
        kind: Suite
        tests:
        - name: without-parameters
          template: template.yaml
          constraint: constraint.yaml
          cases:
          - {name: allowed, object: unprivileged.yaml, assertions: [{violations: no}]}
          - name: disallowed
            object: privileged.yaml
            assertions: [{violations: 1}, {violations: 1, message: "^privileged: a$"}]
        - name: with-parameters
          template: template.yaml
          constraint: exempting.yaml
          cases:
          - {name: exempt, object: privileged.yaml, assertions: [{violations: no}]}
        """);

    GatorSuite.Result r = GatorSuite.run(dir.resolve("suite.yaml"));

    assertThat(r.failures()).isEmpty();
    assertThat(r.summary()).startsWith("3 passed, 0 failed");
  }

  @Test
  void hasOnAValueWithoutFieldsIsFalseAsInCelGo() {
    CelExpression has = CelExpression.compile("has(x.f)", Set.of("x"));
    Map<String, Object> vars = new HashMap<>();
    for (Object value : new Object[] {null, "text", 3L, true, 1.5}) {
      vars.put("x", value);
      assertThat(has.evaluate(vars)).as("has(x.f) with x = %s", value).isEqualTo(false);
    }
    vars.put("x", Map.of("f", 1));
    assertThat(has.evaluate(vars)).isEqualTo(true);
    vars.put("x", Map.of("g", 1));
    assertThat(has.evaluate(vars)).isEqualTo(false);
    // inside comprehensions too, with or without a cost budget
    String filter = "[dyn(null), dyn({'f': 1}), dyn('x')].filter(e, has(e.f)).size()";
    assertThat(CelExpression.compile(filter, Set.of()).evaluate(Map.of())).isEqualTo(1L);
    assertThat(CelExpression.compiler(Set.of(), 0).compile(filter).evaluate(Map.of())).isEqualTo(1L);
  }

  @Test
  void aPresenceTestOnNullCostsWhatTheSameExpressionCostsOnAMap() {
    // 13 is the least budget that evaluates this expression with x a map; x null needs no more (cel-java's failed
    // attempt at has(x.f) is not charged on top of the evaluation that answers it)
    String text = "[1, 2].size() == 3 || has(x.f)";
    for (Object x : new Object[] {Map.of(), null}) {
      Map<String, Object> vars = new HashMap<>();
      vars.put("x", x);
      assertThat(CelExpression.compiler(Set.of("x"), 13).compile(text).evaluate(vars)).isEqualTo(false);
      assertThatThrownBy(() -> CelExpression.compiler(Set.of("x"), 12).compile(text).evaluate(vars))
          .hasMessageContaining("cost limit exceeded");
    }
  }

  @Test
  void hasStillFailsWhereCelGoFails() {
    Map<String, Object> vars = new HashMap<>();
    vars.put("x", List.of(1));
    assertThatThrownBy(() -> CelExpression.compile("has(x.f)", Set.of("x")).evaluate(vars))
        .isInstanceOf(PolicyEvaluationException.class)
        .hasMessageContaining("unsupported index type 'string' in list");
    vars.put("x", Map.of());
    // the operand itself is read as usual: a missing key on the way is an error, not false
    assertThatThrownBy(() -> CelExpression.compile("has(x.a.f)", Set.of("x")).evaluate(vars))
        .isInstanceOf(PolicyEvaluationException.class)
        .hasMessageContaining("no such key: a");
    // reading a field of a value without fields is cel-go's "no such key", as for a map without the key
    vars.put("x", null);
    assertThatThrownBy(() -> CelExpression.compile("x.f == 1", Set.of("x")).evaluate(vars))
        .isInstanceOf(PolicyEvaluationException.class).hasMessage("no such key: f");
    vars.put("x", "text");
    assertThatThrownBy(() -> CelExpression.compile("x.f == 1", Set.of("x")).evaluate(vars))
        .isInstanceOf(PolicyEvaluationException.class).hasMessage("no such key: f");
  }

  @Test
  void requiredParametersMissingFromAConstraintFailAsGatekeeperReportsIt(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("template.yaml"), """
        apiVersion: templates.gatekeeper.sh/v1
        kind: ConstraintTemplate
        metadata: {name: k8slabels}
        spec:
          crd: {spec: {names: {kind: K8sLabels}}}
          targets:
          - target: admission.k8s.gatekeeper.sh
            code:
            - engine: K8sNativeValidation
              source:
                validations:
                - expression: "variables.params.labels.all(l, l in variables.anyObject.metadata.labels)"
                  message: missing labels
        """);
    Files.writeString(dir.resolve("constraint.yaml"), """
        apiVersion: constraints.gatekeeper.sh/v1beta1
        kind: K8sLabels
        metadata: {name: no-parameters}
        spec:
          match: {kinds: [{apiGroups: [""], kinds: [Pod]}]}
        """);
    Files.writeString(dir.resolve("pod.yaml"), POD.formatted("false"));
    Files.writeString(dir.resolve("suite.yaml"), """
        apiVersion: test.gatekeeper.sh/v1alpha1
        kind: Suite
        tests:
        - name: no-parameters
          template: template.yaml
          constraint: constraint.yaml
          cases:
          - name: fails-closed
            object: pod.yaml
            assertions:
            - violations: 1
              message: "^expression '.*' resulted in error: no such key: labels$"
        """);

    assertThat(GatorSuite.run(dir.resolve("suite.yaml")).failures()).isEmpty();
  }

  @Test
  void aFailingVariableIsReportedInTheApiServersWords() {
    PolicyEngine engine = PolicyEngine.builder().policies(PolicyLoader.load("""
        apiVersion: templates.gatekeeper.sh/v1
        kind: ConstraintTemplate
        metadata: {name: k8shostpaths}
        spec:
          crd: {spec: {names: {kind: K8sHostPaths}}}
          targets:
          - target: admission.k8s.gatekeeper.sh
            code:
            - engine: K8sNativeValidation
              source:
                variables:
                - {name: volumes, expression: "variables.anyObject.spec.volumes.filter(v, has(v.hostPath))"}
                - {name: paths, expression: "variables.volumes.map(v, v.hostPath.path)"}
                validations:
                - {expression: "size(variables.paths) == 0", message: "no host paths"}
        ---
        apiVersion: constraints.gatekeeper.sh/v1beta1
        kind: K8sHostPaths
        metadata: {name: host-paths}
        spec:
          match: {kinds: [{apiGroups: [""], kinds: [Pod]}]}
        """)).build();

    Decision d = engine.evaluate(AdmissionRequest.builder(Operation.CREATE)
        .object(PolicyTester.documents(POD.formatted("false")).get(0)).build());

    assertThat(d.violations()).extracting(Violation::message).containsExactly("expression 'size(variables.paths) == 0'"
        + " resulted in error: composited variable \"paths\" fails to evaluate: composited variable \"volumes\" fails"
        + " to evaluate: no such key: volumes");
  }

  @Test
  void aTrailingNameGlobMatchesTheGenerateNameEvenWhenTheObjectHasAName() {
    PolicyEngine engine = PolicyEngine.builder().policies(PolicyLoader.load("""
        apiVersion: templates.gatekeeper.sh/v1
        kind: ConstraintTemplate
        metadata: {name: k8sflagall}
        spec:
          crd: {spec: {names: {kind: K8sFlagAll}}}
          targets:
          - target: admission.k8s.gatekeeper.sh
            code:
            - engine: K8sNativeValidation
              source:
                validations:
                - {expression: "false", messageExpression: "'flagged ' + variables.anyObject.metadata.name"}
        ---
        apiVersion: constraints.gatekeeper.sh/v1beta1
        kind: K8sFlagAll
        metadata: {name: web-pods}
        spec:
          match: {kinds: [{apiGroups: [""], kinds: [Pod]}], name: "web-*"}
        """)).build();

    // Gatekeeper's Wildcard.MatchesGenerateName: a prefix ("web-*") or infix glob tests the generateName too
    assertThat(engine.evaluate(AdmissionRequest.builder(Operation.CREATE).object(PolicyTester.documents(
        "{apiVersion: v1, kind: Pod, metadata: {name: x7k2p, generateName: web-, namespace: default}}").get(0))
        .build()).violations()).extracting(Violation::message).containsExactly("flagged x7k2p");
    assertThat(engine.evaluate(AdmissionRequest.builder(Operation.CREATE).object(PolicyTester.documents(
        "{apiVersion: v1, kind: Pod, metadata: {name: x7k2p, generateName: api-, namespace: default}}").get(0))
        .build()).violations()).isEmpty();
  }

  @Test
  void aMatchConditionThatFailsIsOneDenialWordedAsTheApiServersMatcherWordsIt() {
    String template = """
        apiVersion: templates.gatekeeper.sh/v1
        kind: ConstraintTemplate
        metadata: {name: k8sreplicas}
        spec:
          crd: {spec: {names: {kind: K8sReplicas}}}
          targets:
          - target: admission.k8s.gatekeeper.sh
            code:
            - engine: K8sNativeValidation
              source:
                matchCondition:
                - {name: scaled, expression: "variables.replicas > 0"}
                - {name: labelled, expression: "variables.anyObject.metadata.labels.tier != ''"}
                variables:
                - {name: replicas, expression: "variables.anyObject.spec.replicas"}
                validations:
                - {expression: "variables.replicas <= 3", message: "too many"}
                - {expression: "variables.replicas % 2 == 1", message: "odd only"}
        ---
        apiVersion: constraints.gatekeeper.sh/v1beta1
        kind: K8sReplicas
        metadata: {name: replicas}
        spec:
          match: {kinds: [{apiGroups: [apps], kinds: [Deployment]}]}
        """;
    PolicyEngine engine = PolicyEngine.builder().policies(PolicyLoader.load(template)).build();

    assertThat(messages(engine, "{replicas: 4}", "{tier: web}")).containsExactly("too many", "odd only");
    assertThat(messages(engine, "{replicas: 0}", "{tier: web}")).isEmpty();
    assertThat(messages(engine, "{}", "{tier: web}")).containsExactly("expression 'variables.replicas > 0' resulted"
        + " in error: composited variable \"replicas\" fails to evaluate: no such key: replicas");
    // two failing conditions: one denial, the errors aggregated as Kubernetes aggregates them
    assertThat(messages(engine, "{}", "{}")).containsExactly("[expression 'variables.replicas > 0' resulted in"
        + " error: composited variable \"replicas\" fails to evaluate: no such key: replicas, expression"
        + " 'variables.anyObject.metadata.labels.tier != \'\'' resulted in error: no such key: tier]");
  }

  private static List<String> messages(PolicyEngine engine, String spec, String labels) {
    return engine.evaluate(AdmissionRequest.builder(Operation.CREATE).object(PolicyTester.documents(
        "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: default, labels: " + labels
            + "}, spec: " + spec + "}").get(0)).build()).violations().stream().map(Violation::message).toList();
  }

  @Test
  void messageExpressionResultsAreTrimmedAndLimitedAsTheApiServerDoes() {
    PolicyEngine engine = PolicyEngine.builder().policies(PolicyLoader.load("""
        apiVersion: templates.gatekeeper.sh/v1
        kind: ConstraintTemplate
        metadata: {name: k8smessages}
        spec:
          crd: {spec: {names: {kind: K8sMessages}}}
          targets:
          - target: admission.k8s.gatekeeper.sh
            code:
            - engine: K8sNativeValidation
              source:
                validations:
                - {expression: "false", messageExpression: "'  padded\\\\t '"}
                - {expression: "false", messageExpression: "'trailing newline\\\\n'"}
                - {expression: "false", messageExpression: "'two\\\\nlines'", message: "  the message  "}
                - {expression: "false", messageExpression: "'   '", message: "blank result"}
                - {expression: "false", messageExpression: "string(object.data.fits)"}
                - {expression: " 1 == 2 ", messageExpression: "string(object.data.tooLong)"}
        ---
        apiVersion: constraints.gatekeeper.sh/v1beta1
        kind: K8sMessages
        metadata: {name: messages}
        spec:
          match: {kinds: [{apiGroups: [""], kinds: [ConfigMap]}]}
        """)).build();
    // 5 KiB of UTF-8 at most: 2,560 two-byte characters fit, 2,561 do not
    String fits = "\u00e9".repeat(2560);
    String tooLong = "\u00e9".repeat(2561);

    List<String> messages = engine.evaluate(AdmissionRequest.builder(Operation.CREATE).object(PolicyTester.documents(
        "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: default}, data: {fits: " + fits
            + ", tooLong: " + tooLong + "}}").get(0)).build()).violations().stream().map(Violation::message).toList();

    assertThat(messages).containsExactly("padded", "trailing newline", "the message", "blank result", fits,
        "failed expression: 1 == 2");
  }

  @Test
  void gatorReviewsAPlainObjectWithoutAnOperation(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("template.yaml"), """
        apiVersion: templates.gatekeeper.sh/v1
        kind: ConstraintTemplate
        metadata: {name: k8screateonly}
        spec:
          crd: {spec: {names: {kind: K8sCreateOnly}}}
          targets:
          - target: admission.k8s.gatekeeper.sh
            code:
            - engine: K8sNativeValidation
              source:
                validations:
                - {expression: "request.operation != 'CREATE'", message: "reviewed as a CREATE"}
                - {expression: "request.operation == '' && request.resource.resource == ''", message: "names an operation or resource"}
                - {expression: "request.kind.kind == 'Pod' && request.name == object.metadata.name", message: "no kind or name"}
        """);
    Files.writeString(dir.resolve("constraint.yaml"), """
        apiVersion: constraints.gatekeeper.sh/v1beta1
        kind: K8sCreateOnly
        metadata: {name: create-only}
        spec:
          match: {kinds: [{apiGroups: [""], kinds: [Pod]}]}
        """);
    Files.writeString(dir.resolve("pod.yaml"), POD.formatted("false"));
    Files.writeString(dir.resolve("suite.yaml"), """
        apiVersion: test.gatekeeper.sh/v1alpha1
        kind: Suite
        tests:
        - name: plain-object
          template: template.yaml
          constraint: constraint.yaml
          cases:
          - {name: no-operation, object: pod.yaml, assertions: [{violations: no}]}
        """);

    assertThat(GatorSuite.run(dir.resolve("suite.yaml")).failures()).isEmpty();
  }

  @Test
  void gatorReviewsAPlainObjectWithoutAUserAndShowsNoEmptyUserField(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("template.yaml"), """
        apiVersion: templates.gatekeeper.sh/v1
        kind: ConstraintTemplate
        metadata: {name: k8sadminsonly}
        spec:
          crd: {spec: {names: {kind: K8sAdminsOnly}}}
          targets:
          - target: admission.k8s.gatekeeper.sh
            code:
            - engine: K8sNativeValidation
              source:
                validations:
                - expression: "has(request.userInfo.groups) && 'system:masters' in request.userInfo.groups"
                  messageExpression: "'not an admin: ' + (has(request.userInfo.username) ? request.userInfo.username : '<none>')"
        """);
    Files.writeString(dir.resolve("constraint.yaml"), """
        apiVersion: constraints.gatekeeper.sh/v1beta1
        kind: K8sAdminsOnly
        metadata: {name: admins-only}
        spec:
          match: {kinds: [{apiGroups: [""], kinds: [Pod]}]}
        """);
    Files.writeString(dir.resolve("pod.yaml"), POD.formatted("false"));
    Files.writeString(dir.resolve("review.yaml"), """
        apiVersion: admission.k8s.io/v1
        kind: AdmissionReview
        request:
          uid: 8c0f4fd5-0000-4000-8000-000000000001
          kind: {group: "", version: v1, kind: Pod}
          resource: {group: "", version: v1, resource: pods}
          namespace: default
          operation: CREATE
          userInfo: {username: alice, groups: ["system:masters"]}
          object: {apiVersion: v1, kind: Pod, metadata: {name: web, namespace: default}, spec: {containers: []}}
        """);
    Files.writeString(dir.resolve("review-without-user.yaml"), Files.readString(dir.resolve("review.yaml"))
        .replace("  userInfo: {username: alice, groups: [\"system:masters\"]}\n", ""));
    Files.writeString(dir.resolve("suite.yaml"), """
        apiVersion: test.gatekeeper.sh/v1alpha1
        kind: Suite
        tests:
        - name: users
          template: template.yaml
          constraint: constraint.yaml
          cases:
          - {name: plain-object-has-no-user, object: pod.yaml, assertions: [{violations: 1, message: "^not an admin: <none>$"}]}
          - {name: review-carries-the-user, object: review.yaml, assertions: [{violations: no}]}
          - {name: review-without-user, object: review-without-user.yaml, assertions: [{violations: 1, message: "<none>"}]}
        """);

    assertThat(GatorSuite.run(dir.resolve("suite.yaml")).failures()).isEmpty();
    // outside gator too, request.userInfo has no empty field: the default cluster admin has no uid
    PolicyEngine engine = PolicyEngine.builder().enforce(ValidatingPolicy.builder("uid")
        .matchConstraints(MatchResources.of(ResourceRule.of("", Set.of(Operation.CREATE), "pods")))
        .validation(Validation.of("has(request.userInfo.uid) && has(request.userInfo.extra)", "no uid or extra"))
        .build()).build();
    AdmissionRequest.Builder create = AdmissionRequest.builder(Operation.CREATE)
        .object(PolicyTester.documents(POD.formatted("false")).get(0));
    assertThat(engine.evaluate(create.build()).violations()).extracting(Violation::message)
        .containsExactly("no uid or extra");
    assertThat(engine.evaluate(create.userInfo(new UserInfo("bob", "42", List.of(), Map.of("team", List.of("a"))))
        .build()).violations()).isEmpty();
  }
}
