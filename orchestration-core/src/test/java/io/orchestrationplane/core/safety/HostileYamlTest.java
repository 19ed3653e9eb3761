package io.orchestrationplane.core.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Application files an outside test suite throws at {@code plane.load}: every one is a
 * {@link ValidationException} whose problems name the field path and the line and column, never a
 * bare exception or a problem placed at the start of the file.
 */
class HostileYamlTest {
  private final OrchestrationPlane plane = OrchestrationPlane.builder().cluster(InMemoryCluster.create("prod")).build();

  private static final String HEAD = "apiVersion: orchestrationplane.io/v1alpha1\nkind: Application\n";
  private static final String META = HEAD + "metadata: {name: shop, namespace: shop}\n";

  private Problem onlyProblem(String yaml) {
    Throwable t = catchThrowable(() -> plane.load(yaml));
    assertThat(t).as(yaml).isInstanceOf(ValidationException.class);
    List<Problem> problems = ((ValidationException) t).problems();
    assertThat(problems).as(yaml).hasSize(1);
    return problems.get(0);
  }

  @Test
  void emptyNamesAreProblemsAtTheirField() {
    Problem name = onlyProblem(HEAD + "metadata: {name: '', namespace: shop}\nspec: {components: []}\n");
    assertThat(name.path()).isEqualTo("metadata.name");
    assertThat(name.message()).isEqualTo("must not be empty");
    assertThat(name.line()).isEqualTo(3);

    Problem namespace = onlyProblem(HEAD + "metadata: {name: shop, namespace: ' '}\nspec: {components: []}\n");
    assertThat(namespace.path()).isEqualTo("metadata.namespace");
    assertThat(namespace.line()).isEqualTo(3);

    Problem component = onlyProblem(META + "spec:\n  components:\n    - {name: '', type: worker, properties: {image: x}}\n");
    assertThat(component.path()).isEqualTo("spec.components[0].name");
    assertThat(component.line()).isEqualTo(6);

    Problem type = onlyProblem(META + "spec:\n  components:\n    - {name: api, type: '', properties: {image: x}}\n");
    assertThat(type.path()).isEqualTo("spec.components[0].type");

    Problem trait = onlyProblem(META + "spec:\n  components:\n    - name: api\n      type: worker\n"
        + "      properties: {image: x}\n      traits: [{type: ''}]\n");
    assertThat(trait.path()).isEqualTo("spec.components[0].traits[0].type");
    assertThat(trait.line()).isEqualTo(9);

    Problem environment = onlyProblem(META + "spec:\n  components: []\n  environments:\n    - {name: ''}\n");
    assertThat(environment.path()).isEqualTo("spec.environments[0].name");
    assertThat(environment.line()).isEqualTo(7);
  }

  @Test
  void valuesTheModelRefusesAreProblemsAtTheirComponent() {
    Problem binary = onlyProblem(META + "spec:\n  components:\n    - name: api\n      type: worker\n"
        + "      properties: {image: !!binary aGVsbG8=}\n");
    assertThat(binary.path()).isEqualTo("spec.components[0]");
    assertThat(binary.line()).isEqualTo(6);
    assertThat(binary.message()).contains("api.image").contains("unsupported value type");

    // deeper than the model's 100 levels, within the reader's 200
    Problem deep = onlyProblem(META + "spec:\n  components:\n    - name: api\n      type: worker\n"
        + "      properties:\n        image: x\n        extra: " + "[".repeat(150) + "]".repeat(150) + "\n");
    assertThat(deep.path()).isEqualTo("spec.components[0]");
    assertThat(deep.line()).isEqualTo(6);
    assertThat(deep.message()).contains("more than 100 levels deep");
  }

  @Test
  void aCharacterYamlDoesNotAllowOrANumberTooLongIsPlacedWhereItIs() {
    for (String bad : List.of("\u0000", "\u0007", "\uD800", "\uFFFF")) {
      Problem p = onlyProblem(META + "spec:\n  components:\n    - name: api\n      type: worker\n"
          + "      properties: {image: \"ab" + bad + "c\"}\n");
      assertThat(p.line()).as("U+%04X", (int) bad.charAt(0)).isEqualTo(8);
      assertThat(p.column()).as("U+%04X", (int) bad.charAt(0)).isEqualTo(30);
      assertThat(p.message()).contains("at line 8, column 30").contains("special characters are not allowed");
    }
    Problem number = onlyProblem(META + "spec:\n  components:\n    - name: api\n      type: worker\n"
        + "      properties: {image: x, replicas: " + "9".repeat(5_000) + "}\n");
    assertThat(number.line()).isEqualTo(8);
    assertThat(number.message()).contains("at line 8").contains("Number value length (5000) exceeds");
    Throwable json = catchThrowable(() -> plane.load("{\"apiVersion\": " + "1".repeat(5_000) + "}"));
    assertThat(((ValidationException) json).problems().get(0).line()).isEqualTo(1);
  }

  @Test
  void aTagTheReaderWouldDropIsRefusedNamingIt() {
    Problem vault = onlyProblem(META + "spec:\n  components:\n    - name: api\n      type: worker\n"
        + "      properties: {image: !vault secret/api}\n");
    assertThat(vault.line()).isEqualTo(8);
    assertThat(vault.message()).contains("YAML tag '!vault' is not supported");
    Problem java = onlyProblem(META + "spec:\n  components:\n    - name: api\n      type: worker\n"
        + "      properties: {image: !!java.lang.Runtime x}\n");
    assertThat(java.message()).contains("YAML tag 'tag:yaml.org,2002:java.lang.Runtime' is not supported");
    // the standard tags are honoured
    tools.jackson.databind.JsonNode read = io.orchestrationplane.core.resource.Json.readYaml("a: !!str 123\nb: !!int \"5\"\nc: ! x\n");
    assertThat(read.get("a").isString()).isTrue();
    assertThat(read.get("b").asInt()).isEqualTo(5);
    assertThat(read.get("c").asString()).isEqualTo("x");
  }

  @Test
  void aByteOrderMarkIsReadAsNothing() {
    assertThat(plane.load("\uFEFF" + META + "spec:\n  components:\n    - {name: api, type: worker, properties: {image: x}}\n")
        .name()).isEqualTo("shop");
  }
  @Test
  void aManifestWithAListOrObjectWhereMetadataHoldsAStringIsAProblemNamingTheField() {
    for (String metadata : List.of("{name: c, labels: {app: [x]}}", "{name: c, annotations: {note: {a: b}}}",
        "{name: c, namespace: [x]}", "{name: c, resourceVersion: {a: 1}}", "{name: c, uid: [1]}")) {
      String yaml = META + "spec:\n  components:\n    - name: objs\n      type: k8s-objects\n      properties:\n"
          + "        objects:\n          - {apiVersion: v1, kind: ConfigMap, metadata: " + metadata + "}\n";
      Throwable t = catchThrowable(() -> plane.plan(plane.load(yaml)));
      assertThat(t).as(metadata).isInstanceOf(ValidationException.class);
      Problem p = ((ValidationException) t).problems().get(0);
      assertThat(p.path()).as(metadata).isEqualTo("spec.components[0].properties");
      assertThat(p.message()).as(metadata).contains("ConfigMap c: metadata.").contains("must be");
    }
    assertThat(catchThrowable(() -> io.orchestrationplane.core.resource.Resource.fromYaml(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, labels: {app: {x: 1}}}\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ConfigMap c: metadata.labels.app must be a string, got an object");
  }
}
