package io.orchestrationplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyLoaderAndTesterTest {
  private static final String GATEKEEPER = """
      apiVersion: templates.gatekeeper.sh/v1
      kind: ConstraintTemplate
      metadata: {name: k8srequiredlabels}
      spec:
        crd:
          spec:
            names: {kind: K8sRequiredLabels}
        targets:
        - target: admission.k8s.gatekeeper.sh
          code:
          - engine: K8sNativeValidation
            source:
              validations:
              - expression: "variables.params.labels.all(l, has(variables.anyObject.metadata.labels) && l in variables.anyObject.metadata.labels)"
                messageExpression: "'missing required label, requires all of: ' + variables.params.labels.join(', ')"
      ---
      apiVersion: constraints.gatekeeper.sh/v1beta1
      kind: K8sRequiredLabels
      metadata: {name: must-have-owner}
      spec:
        enforcementAction: deny
        match:
          kinds: [{apiGroups: [""], kinds: [Namespace, ConfigMap]}]
          excludedNamespaces: [kube-system]
        parameters:
          labels: [owner, "cost-center"]
      """;

  @Test
  void gatekeeperTemplatesBecomeOnePolicyAndEachConstraintABindingOfIt() {
    PolicySet set = PolicyLoader.load(GATEKEEPER);
    PolicyTester tester = PolicyTester.of(PolicyEngine.builder().policies(set).build());

    PolicyTester.Report report = tester.run(List.of(
        PolicyTester.TestCase.create("labelled", PolicyTester.documents(
            "{apiVersion: v1, kind: Namespace, metadata: {name: a, labels: {owner: me, cost-center: '1'}}}").get(0),
            PolicyTester.Verdict.ALLOW),
        PolicyTester.TestCase.create("unlabelled", PolicyTester.documents(
            "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: a}}").get(0), PolicyTester.Verdict.DENY),
        PolicyTester.TestCase.create("excluded namespace", PolicyTester.documents(
            "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: kube-system}}").get(0),
            PolicyTester.Verdict.ALLOW)));

    assertThat(set.policies()).extracting(ValidatingPolicy::name).containsExactly("K8sRequiredLabels");
    assertThat(set.bindings()).extracting(PolicyBinding::name).containsExactly("K8sRequiredLabels/must-have-owner");
    assertThat(report.summary()).startsWith("3 passed, 0 failed");
    assertThat(report.results().get(1).decision().violations()).extracting(Violation::message)
        .containsExactly("missing required label, requires all of: owner, cost-center");
  }

  @Test
  void kyvernoClusterPolicyRulesBecomePoliciesWithMatchExcludeAndPreconditions() {
    PolicySet set = PolicyLoader.load("""
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata: {name: disallow-host-network}
        spec:
          validationFailureAction: Enforce
          rules:
          - name: host-network
            match:
              any:
              - resources: {kinds: [Pod], operations: [CREATE]}
            exclude:
              any:
              - resources: {namespaces: [kube-system]}
            celPreconditions:
            - {name: not-system, expression: "!object.metadata.name.startsWith('system-')"}
            validate:
              cel:
                variables:
                - {name: hostNetwork, expression: "object.spec.?hostNetwork.orValue(false)"}
                expressions:
                - expression: "!variables.hostNetwork"
                  message: host network is not allowed
        """);
    PolicyTester tester = PolicyTester.of(PolicyEngine.builder().policies(set).build());
    String pod = "{apiVersion: v1, kind: Pod, metadata: {name: %s, namespace: %s}, spec: {hostNetwork: true}}";

    PolicyTester.Report report = tester.run(List.of(
        new PolicyTester.TestCase("denied", Operation.CREATE, PolicyTester.documents(pod.formatted("web", "apps")).get(0), null,
            PolicyTester.Verdict.DENY, "disallow-host-network/host-network"),
        PolicyTester.TestCase.create("kube-system", PolicyTester.documents(pod.formatted("web", "kube-system")).get(0),
            PolicyTester.Verdict.ALLOW),
        PolicyTester.TestCase.create("precondition", PolicyTester.documents(pod.formatted("system-x", "apps")).get(0),
            PolicyTester.Verdict.ALLOW),
        PolicyTester.TestCase.create("wrong expectation", PolicyTester.documents(pod.formatted("web", "apps")).get(0),
            PolicyTester.Verdict.ALLOW)));

    assertThat(set.bindings()).singleElement().satisfies(b -> assertThat(b.validationActions())
        .containsExactly(ValidationAction.DENY));
    assertThat(report.passedCount()).isEqualTo(3);
    assertThat(report.failures()).singleElement().satisfies(f -> assertThat(f.reason())
        .contains("expected ALLOW but denied").contains("host network is not allowed"));
    assertThatThrownBy(report::assertAllPassed).isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("3 passed, 1 failed").hasMessageContaining("wrong expectation");
  }

  @Test
  void validatingAdmissionPolicyYamlKeepsEveryField() {
    PolicySet set = PolicyLoader.load("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: replicas}
        spec:
          failurePolicy: Ignore
          matchConstraints:
            namespaceSelector: {matchExpressions: [{key: env, operator: NotIn, values: [dev]}]}
            resourceRules:
            - {apiGroups: [apps], apiVersions: [v1], operations: ["*"], resources: [deployments], scope: Namespaced}
          matchConditions: [{name: big, expression: "object.spec.replicas > 1"}]
          variables: [{name: r, expression: object.spec.replicas}]
          validations:
          - {expression: "variables.r <= 5", message: too many, reason: Forbidden}
          auditAnnotations: [{key: replicas, valueExpression: "string(variables.r)"}]
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: replicas-warn}
        spec:
          policyName: replicas
          validationActions: [Warn, Audit]
        """);
    ValidatingPolicy p = set.policies().get(0);

    assertThat(p.failurePolicy()).isEqualTo(FailurePolicy.IGNORE);
    assertThat(p.matchConstraints().resourceRules().get(0).anyOperation()).isTrue();
    assertThat(p.matchConstraints().resourceRules().get(0).scope()).isEqualTo("Namespaced");
    assertThat(p.matchConditions()).containsExactly(new NamedExpression("big", "object.spec.replicas > 1"));
    assertThat(p.validations().get(0).reason()).isEqualTo("Forbidden");
    assertThat(p.auditAnnotations()).containsExactly(new NamedExpression("replicas", "string(variables.r)"));
    assertThat(set.bindings().get(0).validationActions()).containsExactlyInAnyOrder(ValidationAction.WARN,
        ValidationAction.AUDIT);
    Decision d = PolicyEngine.builder().policies(set).build().evaluate(AdmissionRequest.builder(Operation.CREATE)
        .object(PolicyTester.documents("{apiVersion: apps/v1, kind: Deployment, metadata: {name: d, namespace: n}, spec: {replicas: 9}}")
            .get(0)).build());
    assertThat(d.allowed()).isTrue();
    assertThat(d.warnings()).singleElement().asString().contains("too many");
    assertThat(d.auditAnnotations()).containsEntry("replicas/replicas", "9");
  }

  @Test
  void loaderErrorsNameTheDocument() {
    assertThatThrownBy(() -> PolicyLoader.load("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: b}
        spec: {policyName: p, validationActions: [Reject]}
        """)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("document 0 (ValidatingAdmissionPolicyBinding b)").hasMessageContaining("Reject");
    assertThatThrownBy(() -> PolicyLoader.load("a: [")).hasMessageContaining("line");
  }

  @Test
  void aListOrObjectWhereAPolicyHoldsAValueIsAnErrorNamingTheDocumentAndField() {
    String vap = """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: p}
        spec:
          failurePolicy: %s
          matchConstraints:
            namespaceSelector: {matchLabels: {env: %s}}
            resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [%s], resources: [deployments]}]
          validations: [{expression: "true"}]
        """;
    Map<String, String> fieldOf = Map.of(
        vap.formatted("[Fail]", "prod", "CREATE"), "spec.failurePolicy must be a string, got a list",
        vap.formatted("Fail", "{a: b}", "CREATE"), "spec.matchConstraints.namespaceSelector.matchLabels.env must be a string, got an object",
        vap.formatted("Fail", "prod", "[CREATE]"), "spec.matchConstraints.resourceRules[0].operations[0] must be a string, got a list",
        """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: p}
        spec: {policyName: p, validationActions: [{Deny: true}]}
        """, "spec.validationActions[0] must be a string, got an object",
        """
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata: {name: p}
        spec: {rules: {name: r}}
        """, "spec.rules must be a list",
        """
        apiVersion: templates.gatekeeper.sh/v1
        kind: ConstraintTemplate
        metadata: {name: k8srequiredlabels}
        spec:
          crd: {spec: {names: {kind: K8sRequiredLabels}}}
          targets:
          - target: admission.k8s.gatekeeper.sh
            code: [{engine: K8sNativeValidation, source: {validations: [{expression: "true"}]}}]
        ---
        apiVersion: constraints.gatekeeper.sh/v1beta1
        kind: K8sRequiredLabels
        metadata: {name: c}
        spec: {match: {kinds: [{apiGroups: [""], kinds: [[Namespace]]}]}}
        """, "spec.match.kinds[0].kinds[0] must be a string, got a list");
    fieldOf.forEach((yaml, message) -> assertThatThrownBy(() -> PolicyLoader.load(yaml)).as(message)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("document ").hasMessageEndingWith(message));
    // a mutation's patchType, named within its mutation
    assertThatThrownBy(() -> PolicyLoader.load("""
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: MutatingAdmissionPolicy
        metadata: {name: m}
        spec:
          reinvocationPolicy: Never
          mutations: [{patchType: [JSONPatch]}]
        """)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("document 0 (MutatingAdmissionPolicy m): spec.mutations[0].patchType: patchType must be a string, got a list");
  }

  @Test
  void kyvernoExcludedSubjectsAndGatekeeperWarnActionsAreHonoured() {
    PolicySet kyverno = PolicyLoader.load("""
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata: {name: no-configmaps}
        spec:
          validationFailureAction: Enforce
          rules:
          - name: deny
            match: {any: [{resources: {kinds: [v1/ConfigMap]}}]}
            exclude: {any: [{subjects: [{kind: User, name: robot}]}]}
            validate: {cel: {expressions: [{expression: "false", message: no configmaps}]}}
        """);
    PolicySet gatekeeper = PolicyLoader.load(GATEKEEPER.replace("enforcementAction: deny", "enforcementAction: warn"));
    PolicyEngine engine = PolicyEngine.builder().policies(kyverno.plus(gatekeeper)).build();
    var cm = PolicyTester.documents("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: a}}").get(0);

    Decision admin = engine.evaluate(AdmissionRequest.builder(Operation.CREATE).object(cm).build());
    Decision robot = engine.evaluate(AdmissionRequest.builder(Operation.CREATE).object(cm)
        .userInfo(new UserInfo("robot", null, List.of(), null)).build());

    assertThat(admin.denials()).extracting(Violation::message).containsExactly("no configmaps");
    assertThat(admin.warnings()).singleElement().asString().contains("missing required label");
    assertThat(robot.allowed()).isTrue();
    assertThat(robot.warnings()).hasSize(1);
  }

  @Test
  void kyvernoValidatingPolicyAutogenCanBeDisabledPerPolicy() {
    PolicySet set = PolicyLoader.load("""
        apiVersion: policies.kyverno.io/v1alpha1
        kind: ValidatingPolicy
        metadata: {name: no-privileged}
        spec:
          autogen: {podControllers: {controllers: []}}
          matchConstraints:
            resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
          validations: [{expression: "false", message: no}]
        """);

    assertThat(set.policies().get(0).autogenControllers()).isEmpty();
    assertThat(set.bindings().get(0).validationActions()).isEqualTo(Set.of(ValidationAction.DENY));
  }

  @Test
  void aSuiteFileNamesPoliciesResourcesAndExpectedVerdicts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Files.writeString(dir.resolve("policy.yaml"), """
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata: {name: disallow-latest}
        spec:
          validationFailureAction: Audit
          rules:
          - name: tag
            match: {any: [{resources: {kinds: [Pod]}}]}
            validate:
              cel:
                expressions:
                - {expression: "object.spec.containers.all(c, !c.image.endsWith(':latest'))", message: no latest}
        """);
    java.nio.file.Files.writeString(dir.resolve("good.yaml"), """
        {apiVersion: v1, kind: Pod, metadata: {name: ok, namespace: a}, spec: {containers: [{name: c, image: 'nginx:1.27'}]}}
        """);
    java.nio.file.Files.writeString(dir.resolve("bad.yaml"), """
        {apiVersion: apps/v1, kind: Deployment, metadata: {name: bad, namespace: a},
         spec: {template: {spec: {containers: [{name: c, image: 'nginx:latest'}]}}}}
        ---
        {apiVersion: v1, kind: Pod, metadata: {name: fine, namespace: a}, spec: {containers: [{name: c, image: 'nginx:1'}]}}
        """);
    java.nio.file.Files.writeString(dir.resolve("suite.yaml"), """
        policies: [policy.yaml]
        options: {autogen: true, forceDeny: true}
        cases:
        - {resources: good.yaml, expect: allow}
        - {resources: bad.yaml, expect: deny, policy: disallow-latest/tag}
        """);

    PolicyTester.Report report = PolicyTester.runSuite(dir.resolve("suite.yaml"));

    assertThat(report.passedCount()).isEqualTo(2);
    assertThat(report.failures()).singleElement().satisfies(f -> {
      assertThat(f.testCase().name()).isEqualTo("bad.yaml#1 (Pod fine)");
      assertThat(f.reason()).isEqualTo("expected DENY but allowed");
    });
    java.nio.file.Files.writeString(dir.resolve("broken.yaml"), "policies: [policy.yaml]\ncases: [{resources: good.yaml, expect: maybe}]\n");
    assertThatThrownBy(() -> PolicyTester.runSuite(dir.resolve("broken.yaml")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cases[0].expect").hasMessageContaining("maybe");
  }

  @Test
  void kyvernoNameAndNamespaceWildcardsBecomeMatchConditions() {
    PolicySet set = PolicyLoader.load("""
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata: {name: web-only}
        spec:
          validationFailureAction: Enforce
          rules:
          - name: deny
            match: {any: [{resources: {kinds: [Pod], names: ["web-*"]}}]}
            exclude: {any: [{resources: {namespaces: ["kube-*", "team.?"]}}]}
            validate: {cel: {expressions: [{expression: "false", message: denied}]}}
        """);
    PolicyEngine engine = PolicyEngine.builder().policies(set).build();
    String pod = "{apiVersion: v1, kind: Pod, metadata: {name: %s, namespace: %s}}";

    PolicyTester.Report report = PolicyTester.of(engine).run(List.of(
        PolicyTester.TestCase.create("web in apps", PolicyTester.documents(pod.formatted("web-1", "apps")).get(0),
            PolicyTester.Verdict.DENY),
        PolicyTester.TestCase.create("api in apps", PolicyTester.documents(pod.formatted("api-1", "apps")).get(0),
            PolicyTester.Verdict.ALLOW),
        PolicyTester.TestCase.create("web in kube-system", PolicyTester.documents(pod.formatted("web-1", "kube-system"))
            .get(0), PolicyTester.Verdict.ALLOW),
        PolicyTester.TestCase.create("web in team.a", PolicyTester.documents(pod.formatted("web-1", "team.a")).get(0),
            PolicyTester.Verdict.ALLOW),
        PolicyTester.TestCase.create("web in teamXa", PolicyTester.documents(pod.formatted("web-1", "teamXa")).get(0),
            PolicyTester.Verdict.DENY)));

    report.assertAllPassed();
    assertThat(set.policies().get(0).matchConditions()).extracting(NamedExpression::expression)
        .contains("(request.name.matches(\"^web-.*$\"))");
  }

  /**
   * Kubernetes: a binding whose policy "does not exist ... is considered invalid and will be
   * ignored". So here: the engine builds, the dangling bindings (validating and mutating) do
   * nothing, and the bound policy still denies.
   */
  @Test
  void aBindingOfAPolicyThatIsNotLoadedIsIgnoredAsKubernetesIgnoresIt() {
    PolicySet set = PolicyLoader.load("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: no-mode-x}
        spec:
          matchConstraints:
            resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]
          validations: [{expression: "object.data.mode != 'x'", message: "mode x is not allowed"}]
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: bound}
        spec: {policyName: no-mode-x, validationActions: [Deny]}
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: dangling}
        spec: {policyName: created-later, validationActions: [Deny]}
        ---
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: MutatingAdmissionPolicyBinding
        metadata: {name: dangling-mutation}
        spec: {policyName: also-missing}
        """);
    PolicyEngine engine = PolicyEngine.builder().policies(set).build();

    AdmissionRequest x = AdmissionRequest.builder(Operation.CREATE).object(PolicyTester.documents(
        "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: d}, data: {mode: x}}").get(0)).build();
    AdmissionRequest y = AdmissionRequest.builder(Operation.CREATE).object(PolicyTester.documents(
        "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: d}, data: {mode: y}}").get(0)).build();
    assertThat(engine.evaluate(x).allowed()).as("the bound policy").isFalse();
    assertThat(engine.admit(y).allowed()).isTrue();
    assertThat(engine.admit(y).mutated()).isFalse();
    assertThat(PolicyEngine.builder().policies(set.withBindings(List.of(set.bindings().get(1)))).build().evaluate(x)
        .allowed()).as("the dangling binding alone").isTrue();
  }
}
