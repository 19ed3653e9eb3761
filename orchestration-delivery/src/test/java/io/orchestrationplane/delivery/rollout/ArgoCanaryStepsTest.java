package io.orchestrationplane.delivery.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.resource.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Canary analysis steps written as in Argo Rollouts (docs/features/analysis.md, "Inline
 * Analysis": {@code analysis: {templates: [{templateName}], args: [{name, value}]}}) read as the
 * plane's own form.
 */
class ArgoCanaryStepsTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String text) {
    return (Map<String, Object>) Json.JSON.convertValue(Json.readYaml(text), Map.class);
  }

  private static RolloutSpec parse(String analysis, List<String[]> problems) {
    return RolloutSpec.parse("api", yaml("""
        environment: prod
        canary:
          steps:
            - setWeight: 20
            - analysis: %s
        """.formatted(analysis)), problems);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // Argo's form, from the docs' inline analysis example
      "{templates: [{templateName: success-rate}], args: [{name: service-name, value: guestbook-svc}]} | success-rate | {service-name=guestbook-svc}",
      "{templates: [{templateName: success-rate}]}                                                   | success-rate | {}",
      // the plane's own form
      "{templateName: success-rate, args: {service-name: guestbook-svc}}                             | success-rate | {service-name=guestbook-svc}",
  })
  void argoAndPlaneFormsReadTheSame(String analysis, String template, String args) {
    List<String[]> problems = new ArrayList<>();
    RolloutSpec spec = parse(analysis, problems);
    assertThat(problems).isEmpty();
    RolloutSpec.Canary c = (RolloutSpec.Canary) spec.strategy();
    RolloutSpec.AnalysisSpec a = ((RolloutSpec.Analysis) c.steps().get(1)).analysis();
    assertThat(a.templateName()).isEqualTo(template);
    assertThat(a.args().toString()).isEqualTo(args);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{templates: [{templateName: a}, {templateName: b}]}            | canary.steps[1].analysis.templates | exactly one",
      "{templates: [{templateName: a, clusterScope: true}]}           | canary.steps[1].analysis.templates[0].clusterScope | unknown field",
      "{templates: [{}]}                                              | canary.steps[1].analysis.templates[0].templateName | required",
      "{templateName: a, templates: [{templateName: a}]}              | canary.steps[1].analysis.templates | not both",
      "{templateName: a, args: [{name: x}]}                           | canary.steps[1].analysis.args[0].value | required",
      "{templateName: a, args: [{name: x, valueFrom: {podTemplateHashValue: Latest}}]} | canary.steps[1].analysis.args[0].valueFrom | unknown field",
      "{templateName: a, args: [{name: x, value: 1}, {name: x, value: 2}]} | canary.steps[1].analysis.args[1].name | given twice",
  })
  void whatCannotBeReadIsRefusedWithItsPath(String analysis, String path, String message) {
    List<String[]> problems = new ArrayList<>();
    assertThat(parse(analysis, problems)).isNull();
    assertThat(problems).anySatisfy(p -> {
      assertThat(p[0]).endsWith(path);
      assertThat(p[1]).contains(message);
    });
  }
}
