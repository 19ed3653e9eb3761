package io.orchestrationplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MatchingTest {
  private static ResourceRule rule(String... resources) {
    return new ResourceRule(List.of("apps"), List.of("v1"), List.of(resources), Set.of(Operation.CREATE), false,
        List.of(), "*");
  }

  @Test
  void resourceRulesFollowKubernetesWildcardsForResourcesAndSubresources() {
    assertThat(rule("deployments").matches("apps", "v1", "deployments", "", Operation.CREATE, "d", true)).isTrue();
    assertThat(rule("deployments").matches("apps", "v1", "deployments", "scale", Operation.CREATE, "d", true)).isFalse();
    assertThat(rule("*").matches("apps", "v1", "statefulsets", null, Operation.CREATE, "d", true)).isTrue();
    assertThat(rule("*").matches("apps", "v1", "statefulsets", "status", Operation.CREATE, "d", true)).isFalse();
    assertThat(rule("*/*").matches("apps", "v1", "statefulsets", "status", Operation.CREATE, "d", true)).isTrue();
    assertThat(rule("deployments/*").matches("apps", "v1", "deployments", "scale", Operation.CREATE, "d", true)).isTrue();
    assertThat(rule("*/scale").matches("apps", "v1", "replicasets", "scale", Operation.CREATE, "d", true)).isTrue();
    assertThat(rule("deployments/scale").matches("apps", "v1", "deployments", "scale", Operation.CREATE, "d", true)).isTrue();
  }

  @Test
  void resourceRulesCheckGroupVersionOperationNameAndScope() {
    ResourceRule named = new ResourceRule(List.of(""), List.of("*"), List.of("configmaps"), Set.of(), true,
        List.of("settings"), "Namespaced");

    assertThat(rule("deployments").matches("", "v1", "deployments", "", Operation.CREATE, "d", true)).isFalse();
    assertThat(rule("deployments").matches("apps", "v2", "deployments", "", Operation.CREATE, "d", true)).isFalse();
    assertThat(rule("deployments").matches("apps", "v1", "deployments", "", Operation.DELETE, "d", true)).isFalse();
    assertThat(named.matches("", "v1", "configmaps", "", Operation.DELETE, "settings", true)).isTrue();
    assertThat(named.matches("", "v1", "configmaps", "", Operation.DELETE, "other", true)).isFalse();
    assertThat(named.matches("", "v1", "configmaps", "", Operation.DELETE, "settings", false)).isFalse();
    assertThatThrownBy(() -> new ResourceRule(null, null, List.of("x"), null, true, null, "Global"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Global");
  }

  @Test
  void labelSelectorsSupportEveryOperator() {
    LabelSelector s = new LabelSelector(Map.of("app", "web"), List.of(
        new LabelSelector.Requirement("tier", "In", List.of("front", "back")),
        new LabelSelector.Requirement("env", "NotIn", List.of("dev")),
        new LabelSelector.Requirement("owner", "Exists", null),
        new LabelSelector.Requirement("legacy", "DoesNotExist", null)));

    assertThat(s.matches(Map.of("app", "web", "tier", "front", "owner", "me"))).isTrue();
    assertThat(s.matches(Map.of("app", "web", "tier", "front", "owner", "me", "env", "dev"))).isFalse();
    assertThat(s.matches(Map.of("app", "web", "tier", "middle", "owner", "me"))).isFalse();
    assertThat(s.matches(Map.of("app", "web", "tier", "front"))).isFalse();
    assertThat(s.matches(Map.of("app", "web", "tier", "front", "owner", "me", "legacy", "1"))).isFalse();
    assertThat(LabelSelector.EVERYTHING.matches(Map.of())).isTrue();
    assertThatThrownBy(() -> new LabelSelector.Requirement("k", "Gt", List.of("1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Gt'");
  }

  @Test
  void matchPolicyEquivalentAcceptsOtherVersionsOfTheSameResourceAndExactDoesNot() {
    ResourceRule v1Only = rule("deployments");
    Validation deny = Validation.of("false", "denied");
    ValidatingPolicy equivalent = ValidatingPolicy.builder("eq").matchConstraints(MatchResources.of(v1Only))
        .validation(deny).build();
    ValidatingPolicy exact = ValidatingPolicy.builder("exact")
        .matchConstraints(new MatchResources(null, null, List.of(v1Only), List.of(), "Exact")).validation(deny).build();
    var beta = PolicyTester.documents(
        "{apiVersion: apps/v1beta2, kind: Deployment, metadata: {name: d, namespace: n}}").get(0);
    AdmissionRequest request = AdmissionRequest.builder(Operation.CREATE).object(beta).build();

    assertThat(PolicyEngine.builder().enforce(equivalent).build().evaluate(request).allowed()).isFalse();
    assertThat(PolicyEngine.builder().enforce(exact).build().evaluate(request).allowed()).isTrue();
    assertThatThrownBy(() -> new MatchResources(null, null, List.of(), List.of(), "Loose"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Loose");
  }

  @Test
  void bindingsRejectDenyTogetherWithWarn() {
    assertThatThrownBy(() -> new PolicyBinding("b", "p", null, null, Set.of(ValidationAction.DENY, ValidationAction.WARN)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Deny and Warn");
  }

  @Test
  void oneEngineServesConcurrentRequestsWithIndependentResults() throws Exception {
    ValidatingPolicy p = ValidatingPolicy.builder("replicas")
        .matchConstraints(MatchResources.of(ResourceRule.of("apps", Set.of(Operation.CREATE), "deployments")))
        .variable("r", "object.spec.replicas")
        .validation(new Validation("variables.r <= 5", null, "'replicas ' + string(variables.r)", null)).build();
    PolicyEngine engine = PolicyEngine.builder().enforce(p).build();
    java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> threads = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int replicas = 3 + t;
      threads.add(new Thread(() -> {
        var object = PolicyTester.documents("{apiVersion: apps/v1, kind: Deployment, "
            + "metadata: {name: d, namespace: n}, spec: {replicas: " + replicas + "}}").get(0);
        for (int i = 0; i < 300; i++) {
          Decision d = engine.evaluate(AdmissionRequest.builder(Operation.CREATE).object(object).build());
          boolean expectedDenied = replicas > 5;
          if (d.allowed() == expectedDenied
              || expectedDenied && !d.violations().get(0).message().equals("replicas " + replicas)) {
            wrong.incrementAndGet();
          }
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(wrong).hasValue(0);
  }
}
