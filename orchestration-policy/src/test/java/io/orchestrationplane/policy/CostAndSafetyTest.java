package io.orchestrationplane.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.policy.spi.Authorizer;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 12 item 4 through the public API: cost is charged by size as Kubernetes charges it, the API server's limits
 * and messages apply, and no input or expression makes {@link PolicyEngine#evaluate} throw.
 */
class CostAndSafetyTest {
  private static final MatchResources PODS = MatchResources.of(ResourceRule.of("", Set.of(Operation.CREATE), "pods"));
  /** Each replace quadruples the string: 17 of them would build 2 * 4^17 (about 3.4 * 10^10) characters. */
  private static final String REPLACE_CHAIN = "'aa'" + ".replace('a', 'aaaa')".repeat(17) + ".size() > 0";

  private static JsonNode pod() {
    ObjectNode pod = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "Pod");
    pod.putObject("metadata").put("name", "web").put("namespace", "default");
    return pod;
  }

  private static Decision create(PolicyEngine engine, JsonNode object) {
    return engine.evaluate(AdmissionRequest.builder(Operation.CREATE).object(object).build());
  }

  private static ValidatingPolicy policy(String expression, FailurePolicy failurePolicy) {
    return ValidatingPolicy.builder("p").matchConstraints(PODS).failurePolicy(failurePolicy)
        .validation(Validation.of(expression, "m")).build();
  }

  @Test
  void aReplaceChainGrowingAStringToTenToTheTenCharactersIsStoppedByThePerExpressionLimit() {
    Decision fail = create(PolicyEngine.builder().enforce(policy(REPLACE_CHAIN, FailurePolicy.FAIL)).build(), pod());
    Decision ignore = create(PolicyEngine.builder().enforce(policy(REPLACE_CHAIN, FailurePolicy.IGNORE)).build(),
        pod());

    assertThat(fail.allowed()).isFalse();
    assertThat(fail.denials()).singleElement().extracting(Violation::message)
        .isEqualTo("expression '" + REPLACE_CHAIN + "' resulted in error: operation cancelled: actual cost limit exceeded");
    assertThat(ignore.allowed()).isTrue();
    assertThat(ignore.errors()).singleElement().extracting(EvaluationError::message).asString()
        .endsWith("operation cancelled: actual cost limit exceeded");
  }

  @Test
  void theSameChainAgainstTheBindingBudgetReportsTheBudgetAsTheApiServerDoes() {
    Decision d = create(PolicyEngine.builder().enforce(policy(REPLACE_CHAIN, FailurePolicy.FAIL))
        .perExpressionCostLimit(0).build(), pod());

    assertThat(d.denials()).singleElement().extracting(Violation::message)
        .isEqualTo("validation failed due to running out of cost budget, no further validation rules will be run");
  }

  @Test
  void stringOperationsAreChargedByLengthSoAShortChainFitsAndALongerOneDoesNot() {
    String eight = "'aa'" + ".replace('a', 'aaaa')".repeat(8) + ".size() == 131072";
    assertThat(create(PolicyEngine.builder().enforce(policy(eight, FailurePolicy.FAIL)).build(), pod()).allowed())
        .isTrue();
    // 8 replaces cost about 0.2 per character of their receivers: 2*0.2*(4^0+...+4^7) ≈ 8,738; a budget of 5,000
    // stops them, whereas one unit per operation (the old meter) would have counted about 20.
    Decision d = create(PolicyEngine.builder().enforce(policy(eight, FailurePolicy.FAIL)).costBudget(5_000)
        .build(), pod());
    assertThat(d.allowed()).isFalse();
  }

  @Test
  void aListDoubledThroughVariablesIsStoppedBeforeItExhaustsMemory() {
    ValidatingPolicy.Builder b = ValidatingPolicy.builder("doubling").matchConstraints(PODS)
        .variable("v0", "[1, 2, 3, 4, 5, 6, 7, 8]");
    for (int i = 1; i <= 40; i++) {
      b.variable("v" + i, "variables.v" + (i - 1) + " + variables.v" + (i - 1));
    }
    Decision d = create(PolicyEngine.builder().enforce(b.validation(Validation.of("size(variables.v40) > 0", "m"))
        .build()).build(), pod());

    assertThat(d.allowed()).isFalse();
    assertThat(d.denials()).singleElement().extracting(Violation::message).asString().contains("cost");
  }

  @Test
  void anObjectNestedTenThousandLevelsDeepIsAClearErrorUnderTheFailurePolicy() {
    ObjectNode pod = (ObjectNode) pod();
    ObjectNode node = pod.putObject("spec");
    for (int i = 0; i < 10_000; i++) {
      node = node.putObject("a");
    }
    Decision fail = create(PolicyEngine.builder().enforce(policy("true", FailurePolicy.FAIL)).build(), pod);
    Decision ignore = create(PolicyEngine.builder().enforce(policy("true", FailurePolicy.IGNORE)).build(), pod);

    assertThat(fail.allowed()).isFalse();
    assertThat(fail.denials()).singleElement().extracting(Violation::message).asString()
        .contains("nested more than 1000 levels deep at spec.a.a.a");
    assertThat(ignore.allowed()).isTrue();
    assertThat(ignore.errors()).singleElement().extracting(EvaluationError::message).asString()
        .contains("nested more than 1000 levels");
  }

  @Test
  void aStackOverflowDuringOneEvaluationBecomesThatPolicysErrorAndTheEngineCarriesOn() {
    Authorizer recursing = (user, groups, check) -> {
      throw new StackOverflowError();
    };
    PolicyEngine engine = PolicyEngine.builder().authorizer(recursing)
        .enforce(policy("authorizer.path('/x').check('get').allowed()", FailurePolicy.FAIL))
        .enforce(ValidatingPolicy.builder("other").matchConstraints(PODS)
            .validation(Validation.of("object.metadata.name == 'other'", "named other")).build())
        .build();

    Decision d = create(engine, pod());

    assertThat(d.denials()).extracting(Violation::policy).containsExactly("p", "other");
    assertThat(d.denials().get(0).message()).contains("evaluation exceeded the maximum nesting depth");
    assertThat(create(engine, pod()).denials()).hasSize(2);
  }

  @Test
  void anOutOfMemoryErrorDuringOneEvaluationBecomesThatPolicysErrorUnderIgnore() {
    Authorizer exhausting = (user, groups, check) -> {
      throw new OutOfMemoryError("simulated");
    };
    PolicyEngine engine = PolicyEngine.builder().authorizer(exhausting)
        .enforce(policy("authorizer.path('/x').check('get').allowed()", FailurePolicy.IGNORE)).build();

    Decision d = create(engine, pod());

    assertThat(d.allowed()).isTrue();
    assertThat(d.errors()).singleElement().extracting(EvaluationError::message).asString()
        .contains("evaluation ran out of memory");
  }

  @Test
  void aStandaloneExpressionHasTheSameLimitAndMessage() {
    CelExpression e = CelExpression.compile(REPLACE_CHAIN, Set.of());

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> e.evaluate(java.util.Map.of()))
        .isInstanceOf(PolicyEvaluationException.class)
        .hasMessage("operation cancelled: actual cost limit exceeded");
  }

  @Test
  void aVariableThatReadsItselfIsAnErrorNotALoop() {
    ValidatingPolicy p = ValidatingPolicy.builder("cycle").matchConstraints(PODS)
        .variable("a", "variables.b + 1").variable("b", "variables.a + 1")
        .validation(Validation.of("variables.a > 0", "m")).build();

    Decision d = create(PolicyEngine.builder().enforce(p).build(), pod());

    assertThat(d.denials()).singleElement().extracting(Violation::message).asString()
        .contains("variables.a refers to itself");
  }

  @Test
  void aCustomResourceDefinitionWithoutItsNamesIsRefusedNamingTheField() {
    JsonNode crd = PolicyTester.documents("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
        + "spec: {group: example.com, names: {kind: Widget}}\n").get(0);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> KindSchemas.builtIn().withCustomResourceDefinition(crd))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spec.names.plural");
  }
  /**
   * Runtime costs from Kubernetes' cost_test.go (k8s.io/apiserver/pkg/cel/library): each expression runs within a
   * budget of exactly its cost and fails with one unit less.
   */
  @ParameterizedTest(name = "{0} costs {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "sets.contains([], [])|21", "sets.contains([1], [1])|22", "sets.contains([1], [1, 1])|23",
      "sets.contains([1, 2, 3, 4], [2, 3])|29", "sets.contains([[1], [2, 3]], [[2, 3]])|53",
      "!sets.contains([1], [1, 2])|24", "sets.equivalent([], [])|21", "sets.equivalent([1], [1, 1])|25",
      "sets.equivalent([[1], [2, 3]], [[1], [2, 3]])|69", "!sets.equivalent([1], [1, 2])|26",
      "sets.intersects([2, 1], [1])|23", "sets.intersects([[1], [2, 3]], [[1, 2], [2, 3]])|65",
      "!sets.intersects([], [])|22", "[1, 2, 3, 4, 5].sum()|15", "ip.isCanonical('2001:db8:3333:4444:5555:6666:7777:8888')|8",
      "cidr('192.168.0.0/16').containsCIDR(cidr('192.0.0.0/30'))|7", "'abc 123 def 123'.replace('123', '')|3",
      "['aa', 'bb', 'cc', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join(' ')|15",
      "format.named('dns1123Subdomain').value().validate('my-name')|17",
      "{'a': 1, 'b': 2}.transformMapEntry(k, v, v < 5, {k: v + 1})|135", "[1, 2].exists(i, v, v > 0)|20",
      "strings.quote('ABCDEFGHIJ abcdefghij')|3",
      "strings.quote('ABCDEFGHIJ abcdefghij') == strings.quote('ABCDEFGHIJ abcdefghij')|9",
      // cel-go's runtime cost of format: a traversal of the format string (ExtFormatString), plus the list literal
      "'%s and %s and more text here'.format(['a', 'b'])|13",
      // the lists extension's version 3 cost trackers (cel-go ext/lists.go), which Kubernetes 1.34 enables
      "[1, 2, 3, 4].slice(1, 3)|23", "lists.range(4)|15", "[1, 2, 3].reverse()|24", "[[1], [2, 3]].flatten()|43",
      "[[1], [2, 3]].flatten(2)|45", "[1, 2, 2].distinct()|39", "['b', 'a'].sort()|29", "[3, 1, 2].sort()|39"})
  void runtimeCostsAreKubernetes(String expression, long cost) {
    assertThat(CelExpression.compile(expression, Set.of(), cost).evaluate(Map.of())).isNotNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> CelExpression.compile(expression, Set.of(), cost - 1).evaluate(Map.of()))
        .isInstanceOf(PolicyEvaluationException.class).hasMessageContaining("cost");
  }
}
