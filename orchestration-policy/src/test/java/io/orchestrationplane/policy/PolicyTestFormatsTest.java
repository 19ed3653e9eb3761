package io.orchestrationplane.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kyverno-test.yaml files and PolicyTester's counts and messages. */
class PolicyTestFormatsTest {
  private static Path resource(String name) throws URISyntaxException {
    return Path.of(PolicyTestFormatsTest.class.getClassLoader().getResource(name).toURI());
  }

  @Test
  void aKyvernoTestFileChecksPassFailSkipAndWarnPerRuleAndResource() throws URISyntaxException {
    KyvernoTest.Result r = KyvernoTest.run(resource("kyverno-test/latest-tag/kyverno-test.yaml"));

    assertThat(r.failures()).isEmpty();
    assertThat(r.checks()).extracting(KyvernoTest.Check::resource, KyvernoTest.Check::actual).containsExactly(
        org.assertj.core.groups.Tuple.tuple("tagged", "pass"), org.assertj.core.groups.Tuple.tuple("dev-pod", "pass"),
        org.assertj.core.groups.Tuple.tuple("prod/latest", "fail"),
        org.assertj.core.groups.Tuple.tuple("latest-deploy", "fail"), org.assertj.core.groups.Tuple.tuple("tagged", "pass"),
        org.assertj.core.groups.Tuple.tuple("latest", "warn"), org.assertj.core.groups.Tuple.tuple("dev-pod", "skip"));
    assertThat(KyvernoTest.runAll(resource("kyverno-test"))).singleElement().satisfies(x -> assertThat(x.passed()).isTrue());
  }

  @Test
  void aWrongExpectationOrAnUnsupportedFieldIsAFailedCheckNotAnException(@TempDir Path dir) throws IOException,
      URISyntaxException {
    Path src = resource("kyverno-test/latest-tag");
    for (String f : List.of("policy.yaml", "resources.yaml", "values.yaml")) {
      Files.copy(src.resolve(f), dir.resolve(f));
    }
    Files.writeString(dir.resolve("kyverno-test.yaml"), """
        apiVersion: cli.kyverno.io/v1alpha1
        kind: Test
        metadata: {name: wrong}
        policies: [policy.yaml]
        resources: [resources.yaml]
        checks: [{match: {resource: {name: tagged}}, assert: {}}]
        results:
        - {policy: disallow-latest-tag, rule: require-image-tag, kind: Pod, resources: [latest], result: pass}
        - {policy: disallow-latest-tag, rule: no-such-rule, kind: Pod, resources: [latest], result: pass}
        - {policy: disallow-latest-tag, rule: require-image-tag, kind: Pod, resources: [absent], result: pass}
        """);

    KyvernoTest.Result r = KyvernoTest.run(dir.resolve("kyverno-test.yaml"));

    assertThat(r.summary()).startsWith("0 passed, 4 failed");
    assertThat(r.failures()).extracting(KyvernoTest.Check::reason).containsExactly(
        "'checks' is not supported by this engine",
        "[An image tag other than latest is required.]",
        "no policy disallow-latest-tag/no-such-rule was loaded",
        "no resource Pod absent in resources");
  }

  @Test
  void aTestFileOfTheWrongShapeIsAnIllegalArgumentNamingTheFileNeverARawException(@TempDir Path dir) throws Exception {
    Path src = resource("kyverno-test/latest-tag");
    for (String f : List.of("policy.yaml", "resources.yaml")) {
      Files.copy(src.resolve(f), dir.resolve(f));
    }
    Files.writeString(dir.resolve("empty.yaml"), "");
    String test = """
        apiVersion: cli.kyverno.io/v1alpha1
        kind: Test
        metadata: {name: wrong}
        policies: [%s]
        resources: [resources.yaml]
        %s
        results:
        - {policy: disallow-latest-tag, rule: require-image-tag, kind: Pod, resources: %s, result: pass}
        """;
    for (String[] variant : new String[][] {{"[policy.yaml]", "", "[tagged]"}, {"policy.yaml", "", "[[tagged]]"},
        {"policy.yaml", "variables: empty.yaml", "[tagged]"}}) {
      Files.writeString(dir.resolve("kyverno-test.yaml"), test.formatted((Object[]) variant));
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> KyvernoTest.run(dir.resolve("kyverno-test.yaml"))))
          .as(String.join(" ", variant)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(variant[1].isEmpty() ? "kyverno-test.yaml: a list or an object where a single value"
              : "empty.yaml holds no YAML document");
    }
    Files.writeString(dir.resolve("suite.yaml"), "policies: [[policy.yaml]]\ncases: []\n");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> PolicyTester.runSuite(dir.resolve("suite.yaml"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("suite.yaml: a list or an object where a single value (a file name, a name, a number) belongs");
    Files.writeString(dir.resolve("gator.yaml"), """
        apiVersion: test.gatekeeper.sh/v1alpha1
        kind: Suite
        metadata: {name: s}
        tests: {name: t}
        """);
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> GatorSuite.run(dir.resolve("gator.yaml"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith("gator.yaml: tests must be a list");
  }

  @Test
  void aPolicySelectorNeverFailsOnAnObjectWhoseLabelValueIsAList() {
    PolicyEngine engine = PolicyEngine.builder().policies(PolicyLoader.load("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: p}
        spec:
          matchConstraints:
            objectSelector: {matchLabels: {app: web}}
            resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]
          validations: [{expression: "false", message: "no"}]
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: p}
        spec: {policyName: p, validationActions: [Deny]}
        """)).build();
    var object = PolicyTester.documents("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, labels: {app: [web]}}}").get(0);

    Admission a = engine.admit(AdmissionRequest.builder(Operation.CREATE).object(object).build());

    assertThat(a.allowed()).isTrue(); // a list is no label value: the selector does not match it
  }

  @Test
  void policyTesterChecksViolationCountsAndMessages() {
    PolicyEngine engine = PolicyEngine.builder().policies(PolicyLoader.load("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: images}
        spec:
          matchConstraints:
            resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
          validations:
          - {expression: "object.spec.containers.all(c, !c.image.endsWith(':latest'))", message: "no latest tag"}
          - {expression: "object.spec.containers.all(c, c.image.contains('/'))", message: "name a registry"}
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: images}
        spec: {policyName: images, validationActions: [Deny]}
        """)).build();
    var pod = PolicyTester.documents("{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: n},"
        + " spec: {containers: [{name: c, image: 'nginx:latest'}]}}").get(0);
    PolicyTester.TestCase denied = PolicyTester.TestCase.create("both", pod, PolicyTester.Verdict.DENY);

    PolicyTester.Report report = PolicyTester.of(engine).run(List.of(denied.expectingViolations(2, null),
        denied.expectingViolations(1, "^no latest"), denied.expectingViolations(1, null),
        denied.expectingViolations(0, "registry")));

    assertThat(report.results().get(0).messages()).containsExactly("no latest tag", "name a registry");
    assertThat(report.results().get(0).violationCount()).isEqualTo(2);
    assertThat(report.passedCount()).isEqualTo(2);
    assertThat(report.failedCount()).isEqualTo(2);
    assertThat(report.failures()).extracting(PolicyTester.CaseResult::reason).containsExactly(
        "expected exactly 1 violations but got 2; messages [no latest tag, name a registry]",
        "expected exactly 0 violations with a message matching 'registry' but got 1; messages [no latest tag,"
            + " name a registry]");
  }
}
