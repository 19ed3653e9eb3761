package io.orchestrationplane.samples.testing;

import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThat;
import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.admit.AdmissionDeniedException;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.policy.AdmissionRequest;
import io.orchestrationplane.policy.Decision;
import io.orchestrationplane.policy.Operation;
import io.orchestrationplane.policy.PolicyEngine;
import io.orchestrationplane.policy.PolicyTester.Verdict;
import io.orchestrationplane.policy.PolicyTester;
import io.orchestrationplane.testkit.junit.OrchestrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The guardrails ({@code src/main/resources/policies/guardrails.yaml}) three ways: one object
 * against the engine, a file of cases through {@link PolicyTester}, and a whole application
 * through the plane's admit step.
 */
@OrchestrationTest(configure = Platform.class, startPlane = false)
class GuardrailPolicyTest {
  private final PolicyEngine guardrails = Guardrails.engine();

  private Decision create(String yaml) {
    return guardrails.evaluate(AdmissionRequest.builder(Operation.CREATE).object(Json.readYaml(yaml)).build());
  }

  @Test
  void aDeploymentWithoutLimitsOnLatestIsDeniedByBothPolicies() {
    Decision d = create("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop, labels: {team: shop}}
        spec:
          template:
            spec:
              containers: [{name: api, image: "acme/api:latest"}]
        """);

    assertThat(d)
        .isDeniedBy("require-resource-limits")
        .isDeniedBy("disallow-latest-tag")
        .hasViolationMessage("Deployment api: every container needs CPU and memory limits")
        .hasViolationMessage("Deployment api: images must be pinned");
  }

  @Test
  void aCompliantDeploymentIsAllowedAndAMissingTeamLabelOnlyWarns() {
    Decision d = create("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop}
        spec:
          template:
            spec:
              containers: [{name: api, image: "acme/api:1.4.2", resources: {limits: {cpu: "1", memory: 512Mi}}}]
        """);

    assertThat(d).isAllowed().hasViolationCount(1).hasWarning("Deployment api should carry a team label");
  }

  @Test
  void everyCaseFileGetsTheExpectedVerdict() throws IOException {
    PolicyTester tester = PolicyTester.of(guardrails);
    List<PolicyTester.TestCase> cases = new ArrayList<>();
    cases.addAll(PolicyTester.cases(read("guardrails/good.yaml"), Verdict.ALLOW));
    cases.addAll(PolicyTester.cases(read("guardrails/bad.yaml"), Verdict.DENY));

    PolicyTester.Report report = tester.run(cases);

    report.assertAllPassed();  // on failure: every failing case and why
    assertThat(report.results()).hasSize(5);
    // each case keeps its Decision: bad.yaml's second document is denied for its tag alone
    assertThat(report.results().get(3).decision()).isDeniedBy("disallow-latest-tag").hasViolationCount(1);
  }

  @Test
  void thePlaneRefusesASloppyApplicationAndWritesNothing(OrchestrationPlane plane, InMemoryCluster dev) {
    assertThatThrownBy(() -> plane.apply(Platform.sloppyShop()))
        .isInstanceOf(AdmissionDeniedException.class)
        .hasMessageContaining("application shop.shop is denied by admission policy (2 violations)")
        .hasMessageContaining("require-resource-limits: Deployment api: every container needs CPU and memory limits")
        .hasMessageContaining("disallow-latest-tag: Deployment api: images must be pinned");
    assertThat(dev).doesNotHave("Deployment", "shop/api").doesNotHave("Service", "shop/api");
  }

  @Test
  void thePlaneAdmitsACompliantApplication(OrchestrationPlane plane, InMemoryCluster dev) {
    assertThat(plane.apply(Platform.compliantShop())).succeeded();
    assertThat(dev).hasResource("Deployment", "shop/api")
        .withField("spec.template.spec.containers[0].resources.limits.memory", "512Mi");
  }

  @Test
  void ourOwnPostgresTypeSatisfiesOurOwnGuardrails(OrchestrationPlane plane) {
    Resource statefulSet = plane.render(Platform.orders(1)).get("default").stream()
        .filter(r -> r.kind().equals("StatefulSet")).findFirst().orElseThrow();

    assertThat(guardrails.evaluate(AdmissionRequest.builder(Operation.CREATE).object(statefulSet.json()).build()))
        .isAllowed().hasNoViolations();
  }

  private static String read(String resource) throws IOException {
    return Files.readString(Path.of("src/test/resources").resolve(resource));
  }
}
