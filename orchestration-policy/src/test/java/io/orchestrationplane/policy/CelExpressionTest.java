package io.orchestrationplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CelExpressionTest {
  private static final JsonNode DEPLOYMENT = PolicyTester.documents(
      "{kind: Deployment, spec: {replicas: 3}, status: {readyReplicas: 3, conditions: [{type: Available, status: 'True'}]}}")
      .get(0);

  @Test
  void evaluatesAgainstJsonTreesWithIntegersAsLongs() {
    CelExpression ready = CelExpression.compile("object.status.readyReplicas >= object.spec.replicas && "
        + "object.status.conditions.exists(c, c.type == 'Available' && c.status == 'True')", Set.of("object"));

    assertThat(ready.evaluateBoolean(Map.of("object", DEPLOYMENT))).isTrue();
    assertThat(CelExpression.compile("object.spec.replicas * 2", Set.of("object")).evaluate(Map.of("object", DEPLOYMENT)))
        .isEqualTo(6L);
  }

  @Test
  void resultsComeBackAsPlainJavaValues() {
    CelExpression e = CelExpression.compile(
        "{'names': dyn(['a', 'b']), 'none': dyn(null), 'ratio': dyn(0.5), 'opt': dyn(optional.none())}", Set.of());

    java.util.Map<String, Object> expected = new java.util.HashMap<>();
    expected.put("names", List.of("a", "b"));
    expected.put("none", null);
    expected.put("ratio", 0.5);
    expected.put("opt", java.util.Optional.empty());
    assertThat(e.evaluate(Map.of())).isEqualTo(expected);
  }

  @Test
  void javaValuesAndMissingVariablesAreAccepted() {
    CelExpression e = CelExpression.compile("size(items) == count && missing == null", Set.of("items", "count", "missing"));

    assertThat(e.evaluateBoolean(Map.of("items", List.of(1, 2), "count", 2))).isTrue();
  }

  @Test
  void compileErrorsCarryLineAndColumn() {
    assertThatThrownBy(() -> CelExpression.compile("object.ready &&\n  object.x ==", Set.of("object")))
        .isInstanceOf(PolicyCompileException.class)
        .satisfies(e -> assertThat(((PolicyCompileException) e).problems().get(0).line()).isEqualTo(2))
        .hasMessageContaining("line 2, column");
    assertThatThrownBy(() -> CelExpression.compile("unknown.field", Set.of("object")))
        .isInstanceOf(PolicyCompileException.class)
        .satisfies(e -> {
          PolicyCompileException.Problem p = ((PolicyCompileException) e).problems().get(0);
          assertThat(p.column()).isEqualTo(1);
          assertThat(p.message()).contains("undeclared reference to 'unknown'");
        });
  }

  @Test
  void runtimeErrorsCarryThePositionOfTheFailingSubExpression() {
    CelExpression e = CelExpression.compile("object.spec.replicas > 0 &&\n  object.status.missing > 0", Set.of("object"));

    assertThatThrownBy(() -> e.evaluate(Map.of("object", DEPLOYMENT)))
        .isInstanceOf(PolicyEvaluationException.class)
        .hasMessageContaining("missing")
        .satisfies(ex -> {
          PolicyEvaluationException pe = (PolicyEvaluationException) ex;
          assertThat(pe.line()).isEqualTo(2);
          assertThat(pe.column()).isEqualTo(16);
          assertThat(pe.expression()).startsWith("object.spec.replicas");
        });
  }

  @Test
  void evaluateBooleanRejectsNonBoolResults() {
    assertThatThrownBy(() -> CelExpression.compile("'yes'", Set.of()).evaluateBoolean(Map.of()))
        .isInstanceOf(PolicyEvaluationException.class).hasMessageContaining("expected a bool result, got String");
  }

  @Test
  void undeclaredVariablesInTheInputAreRejected() {
    assertThatThrownBy(() -> CelExpression.compile("true", Set.of("object")).evaluate(Map.of("other", 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'other' is not declared");
  }

  @Test
  void theCostBudgetBoundsEachEvaluation() {
    CelExpression e = CelExpression.compile("[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, a + b > 0))",
        Set.of(), 50);

    assertThatThrownBy(() -> e.evaluate(Map.of())).isInstanceOf(PolicyEvaluationException.class)
        .hasMessage("operation cancelled: actual cost limit exceeded");
  }

  @Test
  void aCompiledExpressionIsSafeToShareBetweenThreads() throws Exception {
    CelExpression e = CelExpression.compile("object.spec.replicas == n", Set.of("object", "n"));
    List<Thread> threads = new java.util.ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
    for (int t = 0; t < 4; t++) {
      int n = t;
      threads.add(new Thread(() -> {
        for (int i = 0; i < 500; i++) {
          if (e.evaluateBoolean(Map.of("object", DEPLOYMENT, "n", n)) != (n == 3)) {
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

  @Test
  void oneCompilerServesManyExpressionsOverTheSameVariables() {
    CelExpression.Compiler compiler = CelExpression.compiler(Set.of("object"), 0);

    assertThat(compiler.compile("object.spec.replicas").evaluate(Map.of("object", DEPLOYMENT))).isEqualTo(3L);
    assertThat(compiler.compile("object.kind").evaluate(Map.of("object", DEPLOYMENT))).isEqualTo("Deployment");
    assertThatThrownBy(() -> CelExpression.compiler(Set.of("not-valid"), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'not-valid'");
  }

  @Test
  void aCachedCompilerReturnsWhatItCompiledForTheSameTextAndStaysBounded() {
    CelExpression.Compiler plain = CelExpression.compiler(Set.of("object"), 0);
    CelExpression.Compiler cached = plain.cached(2);

    CelExpression replicas = cached.compile("object.spec.replicas");
    assertThat(cached.compile("object.spec.replicas")).isSameAs(replicas);
    assertThat(plain.compile("object.spec.replicas")).isNotSameAs(plain.compile("object.spec.replicas"));
    assertThat(replicas.evaluate(Map.of("object", DEPLOYMENT))).isEqualTo(3L);

    // a text that does not compile is not kept: it fails the same way every time
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> cached.compile("object.spec.replicas +"))
          .isInstanceOf(PolicyCompileException.class);
    }
    assertThat(cached.compile("object.spec.replicas")).isSameAs(replicas);

    // full at two: a third text starts the cache again, so the first is compiled anew
    cached.compile("object.kind");
    cached.compile("object.metadata.name");
    assertThat(cached.compile("object.spec.replicas")).isNotSameAs(replicas);
    assertThatThrownBy(() -> plain.cached(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
