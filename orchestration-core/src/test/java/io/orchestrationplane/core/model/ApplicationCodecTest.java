package io.orchestrationplane.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplicationCodecTest {

  static Application shop() {
    return Application.builder("shop")
        .namespace("shop")
        .label("team", "payments")
        .component(Component.builder("api", "webservice")
            .property("image", "acme/api:1.4")
            .property("port", 8080)
            .property("cmd", List.of("/api", "--serve"))
            .trait(Trait.of("scaler", Map.of("replicas", 2)))
            .trait(Trait.of("env", Map.of("env", Map.of("MODE", "fast"))))
            .build())
        .component(Component.builder("worker", "worker")
            .property("image", "acme/worker:1.4")
            .property("ratio", 0.5)
            .dependsOn("api")
            .build())
        .environment(Environment.builder("prod")
            .namespace("shop-prod")
            .placement(new Placement(List.of("eu"), Map.of("tier", "prod")))
            .override("api", Map.of("replicas", 3))
            .build())
        .environment(Environment.builder("dev").build())
        .build();
  }

  @Test
  void yamlRoundTripGivesAnEqualApplication() {
    Application app = shop();
    assertThat(ApplicationCodec.decodeYaml(ApplicationCodec.encodeYaml(app))).isEqualTo(app);
  }

  @Test
  void jsonRoundTripGivesAnEqualApplication() {
    Application app = shop();
    assertThat(ApplicationCodec.decodeJson(ApplicationCodec.encodeJson(app))).isEqualTo(app);
  }

  @Test
  void javaIntegersAndYamlNumbersDecodeToEqualModels() {
    Application fromYaml = ApplicationCodec.decodeYaml("""
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Application
        metadata: {name: a}
        spec:
          components:
            - {name: w, type: worker, properties: {image: x, replicas: 2}}
        """);
    Application inJava = Application.builder("a")
        .component(Component.builder("w", "worker").property("image", "x").property("replicas", 2).build())
        .build();
    assertThat(fromYaml).isEqualTo(inJava);
    assertThat(fromYaml.namespace()).isEqualTo("default");
  }

  @Test
  void encodingIsDeterministic() {
    assertThat(ApplicationCodec.encodeYaml(shop())).isEqualTo(ApplicationCodec.encodeYaml(shop()));
  }

  @Test
  void structuralErrorsAreReportedTogetherWithPathsLinesAndColumns() {
    String yaml = """
        apiVersion: orchestrationplane.io/v1beta9
        kind: Application
        metadata:
          name: shop
          colour: blue
        spec:
          components:
            - name: api
              type: webservice
              properties: [1, 2]
            - name: 42
              type: worker
              dependsOn: api
        """;
    assertThatThrownBy(() -> ApplicationCodec.decodeYaml(yaml))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems())
            .extracting(Problem::toString)
            .containsExactlyInAnyOrder(
                "apiVersion (line 1, column 1): must be orchestrationplane.io/v1alpha1, got 'orchestrationplane.io/v1beta9'",
                "metadata.colour (line 5, column 3): unknown field 'colour' (expected one of [annotations, labels, name, namespace])",
                "spec.components[0].properties (line 10, column 7): must be an object, got a list",
                "spec.components[1].name (line 11, column 7): must be a string, got a number (42)",
                "spec.components[1].dependsOn (line 13, column 7): must be a list, got a string"));
  }

  @Test
  void syntaxErrorsNameTheLine() {
    assertThatThrownBy(() -> ApplicationCodec.decodeYaml("kind: Application\nmetadata: {name: [\n"))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.problems()).hasSize(1);
          assertThat(e.problems().get(0).line()).isGreaterThan(0);
          assertThat(e.problems().get(0).message()).startsWith("invalid YAML at line");
        });
  }

  @Test
  void modelRejectsBlankNamesAtConstruction() {
    assertThatThrownBy(() -> Component.builder(" ", "worker").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> Application.builder("a").namespace("").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace");
    assertThatThrownBy(() -> Component.builder("c", "worker").property("x", new Object()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported value type");
  }

  @Test
  void modelValuesAreImmutable() {
    Application app = shop();
    assertThatThrownBy(() -> app.components().add(app.components().get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> app.components().get(0).properties().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
