package io.orchestrationplane.delivery.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.ValidationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Argo-like YAML form of analysis templates. */
class AnalysisTemplateYamlTest {
  private static final String YAML = """
      apiVersion: orchestrationplane.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: success-rate}
      spec:
        args:
          - name: service
          - {name: window, value: 5m}
        metrics:
          - name: success-rate
            interval: 1m
            initialDelay: 30s
            count: 5
            successCondition: result[0] >= 0.95
            failureLimit: 1
            provider:
              prometheus:
                query: sum(rate(ok{service="{{args.service}}"}[{{args.window}}])) / sum(rate(all{service="{{args.service}}"}[{{args.window}}]))
          - name: errors
            interval: 2m
            failureCondition: result.errorRate > 0.01
            inconclusiveLimit: 2
            consecutiveErrorLimit: "6"
            provider:
              prometheus: {query: errors, range: 10m, step: 1m}
      """;

  @Test
  void readsTheArgoShape() {
    AnalysisTemplate t = AnalysisTemplate.fromYaml(YAML);
    assertThat(t.name()).isEqualTo("success-rate");
    assertThat(t.args()).containsExactly(new AnalysisTemplate.Argument("service", null),
        new AnalysisTemplate.Argument("window", "5m"));
    Metric sr = t.metric("success-rate").orElseThrow();
    assertThat(sr.provider()).isEqualTo("prometheus");
    assertThat(sr.interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(sr.initialDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(sr.count()).isEqualTo(5);
    assertThat(sr.failureLimit()).isEqualTo(1);
    assertThat(sr.inconclusiveLimit()).isZero();
    assertThat(sr.consecutiveErrorLimit()).isEqualTo(4);
    Metric errors = t.metric("errors").orElseThrow();
    assertThat(errors.effectiveCount()).as("an interval without count runs until terminated").isNull();
    assertThat(errors.options()).containsEntry("range", "10m").containsEntry("step", "1m");
    assertThat(errors.consecutiveErrorLimit()).isEqualTo(6);
    assertThat(AnalysisTemplate.fromYaml(t.toYaml())).isEqualTo(t);
    assertThat(AnalysisTemplate.fromJson(t.toJson())).isEqualTo(t);
  }

  @Test
  void aConditionThatDoesNotCompileNamesTheFieldPathLineExpressionAndColumn() {
    String bad = YAML.replace("successCondition: result[0] >= 0.95", "successCondition: result[0] >= ");
    assertThatThrownBy(() -> AnalysisTemplate.fromYaml(bad)).isInstanceOfSatisfying(ValidationException.class, e -> {
      Problem p = e.problems().get(0);
      assertThat(p.path()).isEqualTo("spec.metrics[0].successCondition");
      assertThat(p.line()).isEqualTo(13);
      assertThat(p.message()).contains("'result[0] >='", "column 13");
    });
  }

  @Test
  void everyProblemIsNamedByItsPath() {
    String bad = YAML.replace("count: 5", "count: five").replace("interval: 2m", "intervl: 2m")
        .replace("{{args.window}}]))", "{{args.windows}}]))").replace("prometheus: {query: errors", "prometheus: {qery: errors");
    assertThatThrownBy(() -> AnalysisTemplate.fromYaml(bad)).isInstanceOfSatisfying(ValidationException.class, e ->
        assertThat(e.problems()).extracting(Problem::path).contains("spec.metrics[0].count", "spec.metrics[1].intervl",
            "spec.metrics[1].provider.prometheus.query"));
    String undeclared = YAML.replace("{{args.window}}]))", "{{args.windows}}]))");
    assertThatThrownBy(() -> AnalysisTemplate.fromYaml(undeclared)).isInstanceOfSatisfying(ValidationException.class, e ->
        assertThat(e.problems()).extracting(Problem::path).containsExactly("spec.metrics[0].query"));
  }

  @Test
  void anIntervalOrDelayOverAHundredYearsIsAProblemAtItsField() {
    assertThatThrownBy(() -> AnalysisTemplate.fromYaml(YAML.replace("interval: 1m", "interval: PT2562047788015215H")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems())
            .extracting(Problem::path).containsExactly("spec.metrics[0].interval"));
    assertThatThrownBy(() -> Metric.builder("m", "prometheus", "up").initialDelay(Duration.ofSeconds(Long.MAX_VALUE)).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).extracting(Problem::path,
            Problem::message).singleElement().asString().contains("initialDelay").contains("at most 100 years"));
  }
}
