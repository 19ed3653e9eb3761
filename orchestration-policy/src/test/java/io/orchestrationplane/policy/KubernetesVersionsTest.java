package io.orchestrationplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An engine pinned to a Kubernetes version offers exactly that API server's functions: each library and language
 * feature is rejected at compile time before the version that introduced it and accepted from it on.
 */
class KubernetesVersionsTest {
  private static final MatchResources PODS = MatchResources.of(ResourceRule.of("", Set.of(Operation.CREATE), "pods"));

  private static final tools.jackson.databind.JsonNode POD = PolicyTester.documents(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: default}\n").get(0);

  private static PolicyEngine engine(String version, String expression) {
    return PolicyEngine.builder().kubernetesVersion(version).enforce(ValidatingPolicy.builder("p")
        .matchConstraints(PODS).validation(Validation.of(expression, "m")).build()).build();
  }

  @ParameterizedTest(name = "{0}: rejected by {1}, accepted from {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "authorizer.path('/healthz').check('get').reason() != ''|1.26|1.27",
      // a decision's errored() and error() came a version later (library_compatibility_test.go)
      "!authorizer.path('/healthz').check('get').errored() && authorizer.path('/x').check('get').error() == ''|1.27|1.28",
      "quantity('1Gi').isGreaterThan(quantity('1Mi'))|1.27|1.28",
      "optional.of(1).hasValue()|1.27|1.28",
      "{'a': 1}.?b.orValue(0) == 0|1.27|1.28",
      "1 < 1.5|1.27|1.28",
      "sets.contains([1, 2], [1])|1.28|1.29",
      "'%s'.format(['x']) == 'x'|1.28|1.29",
      "strings.quote('a') == '\"a\"'|1.28|1.29",
      "isIP('10.0.0.1')|1.29|1.30",
      "cidr('10.0.0.0/8').containsIP('10.1.2.3')|1.29|1.30",
      "type(ip('10.0.0.1')) == net.IP|1.29|1.30",
      "!format.dns1123Label().validate('ok').hasValue()|1.30|1.31",
      "[1, 2].all(i, v, v > i)|1.31|1.32",
      "semver('1.2.3').isLessThan(semver('1.10.0'))|1.32|1.33",
      "isSemver('v1.2', true)|1.32|1.33",
      "[3, 1, 2].sort() == [1, 2, 3]|1.33|1.34",
      "lists.range(3) == [0, 1, 2]|1.33|1.34",
      "[[1], [2]].flatten() == [1, 2]|1.33|1.34"})
  void eachFunctionAppearsAtTheVersionThatIntroducedIt(String expression, String before, String from) {
    assertThatThrownBy(() -> engine(before, expression)).isInstanceOf(PolicyCompileException.class);
    PolicyEngine e = engine(from, expression);
    Decision d = e.evaluate(AdmissionRequest.builder(Operation.CREATE).object(POD).build());
    assertThat(d.errors()).isEmpty();
    assertThat(d.allowed()).isTrue();
  }

  @Test
  void theDefaultIsTheNewestSupportedVersion() {
    assertThat(PolicyEngine.builder().build().kubernetesVersion()).isEqualTo(KubernetesVersion.LATEST)
        .isEqualTo(KubernetesVersion.of(1, 35));
    assertThat(CelExpression.compile("[2, 1].sort() == [1, 2]", Set.of()).evaluateBoolean(Map.of())).isTrue();
  }

  @Test
  void librariesKubernetesDoesNotEnableAreRejectedUnlessAskedFor() {
    for (String e : new String[] {"cel.bind(x, 1, x == 1)", "math.greatest(1, 2) == 2", "base64.encode(b'hi') == 'aGk='",
        "'abc'.reverse() == 'cba'"}) {
      assertThatThrownBy(() -> CelExpression.compile(e, Set.of())).as(e).isInstanceOf(PolicyCompileException.class);
    }
    CelExpression.Compiler kyvernoLike = CelExpression.compiler(Set.of(), 0, KubernetesVersion.LATEST,
        Set.of(CelExtension.BINDINGS, CelExtension.MATH, CelExtension.ENCODERS));
    assertThat(kyvernoLike.compile("cel.bind(x, 1, x == 1) && math.greatest(1, 2) == 2 && base64.encode(b'hi') == 'aGk='")
        .evaluateBoolean(Map.of())).isTrue();
    assertThat(PolicyEngine.builder().celExtensions(CelExtension.BINDINGS).enforce(ValidatingPolicy.builder("b")
        .matchConstraints(PODS).validation(Validation.of("cel.bind(n, object.metadata.name, n == 'web')", "m")).build())
        .build().policies()).hasSize(1);
  }

  @Test
  void versionsOutsideTheSupportedRangeAreRefusedWithTheRange() {
    assertThatThrownBy(() -> KubernetesVersion.parse("1.36")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.26 to 1.35");
    assertThatThrownBy(() -> KubernetesVersion.parse("one")).hasMessageContaining("not a Kubernetes version");
    assertThat(KubernetesVersion.parse("v1.31.4")).isEqualTo(KubernetesVersion.of(1, 31));
  }
}
