package io.orchestrationplane.core.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 6: YAML and JSON are read strictly and within bounds: a repeated key names both
 * lines, a second document is an error where one is expected, aliases are refused, and size,
 * depth, value length and entry count are limited, with errors naming line and column and
 * reading staying linear in the input.
 */
class StrictInputTest {
  private final OrchestrationPlane plane = OrchestrationPlane.builder().cluster(InMemoryCluster.create("prod")).build();

  private static final String HEADER = """
      apiVersion: orchestrationplane.io/v1alpha1
      kind: Application
      metadata: {name: shop, namespace: shop}
      """;

  @Test
  void aKeyGivenTwiceNamesBothLines() {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> plane.load(HEADER + """
        spec:
          components:
            - name: api
              type: webservice
              properties:
                image: acme/api:1
                image: acme/api:2
        """));
    Problem p = e.problems().get(0);
    assertThat(p.message()).contains("key 'image' appears twice in one mapping (line 9 and line 10)");
    assertThat(p.line()).isEqualTo(10);
  }

  @Test
  void aSecondDocumentIsAnErrorUnlessManyAreAskedFor() {
    assertThatThrownBy(() -> Resource.fromYaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n"
        + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 5").hasMessageContaining("a second document");
    assertThat(Json.readYamlDocuments("a: 1\n---\nb: 2\n---\n")).hasSize(2);
  }

  @Test
  void aliasesAreRefusedNotReadAsTheirName() {
    assertThatThrownBy(() -> Json.readYaml("base: &b {cpu: 1}\ncopy: *b\n"))
        .hasMessageContaining("line 2").hasMessageContaining("aliases");
  }

  @Test
  void depthValueLengthAndSizeAreBounded() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    assertThatThrownBy(() -> Json.readJson(deep)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 1").hasMessageContaining("deep");
    assertThatThrownBy(() -> Json.readYaml("k: " + "x".repeat(1024 * 1024 + 1)))
        .hasMessageContaining("longer than the limit");
    String big = "a: '" + "x".repeat(50 * 1024 * 1024) + "'";
    assertThatThrownBy(() -> Json.readYaml(big)).hasMessageContaining("larger than the limit");
    StringBuilder wide = new StringBuilder("{");
    for (int i = 0; i <= 100_000; i++) {
      wide.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
    }
    assertThatThrownBy(() -> Json.readJson(wide.append('}').toString())).hasMessageContaining("more than 100000 entries");
  }

  @Test
  void syntaxErrorsNameLineAndColumnButNeverQuoteTheInput() {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> plane.load(HEADER + """
        spec:
          components:
            - {name: db, type: worker, properties: {image: "s3cr3t-t0ken
        """));
    assertThat(e.problems().get(0).line()).isPositive();
    assertThat(e.getMessage()).contains("invalid YAML at line").doesNotContain("s3cr3t");
    assertThatThrownBy(() -> Json.readJson("{\"password\": s3cr3t-t0ken}"))
        .hasMessageContaining("line 1").hasMessageNotContaining("s3cr3t");
  }

  @Test
  void aDeeplyNestedDocumentOrModelIsAClearErrorNotACrash() {
    String nested = HEADER + "spec:\n  components:\n    - name: api\n      type: worker\n      properties:\n"
        + "        image: x\n        extra: " + "[".repeat(5_000) + "]".repeat(5_000) + "\n";
    assertThatThrownBy(() -> plane.load(nested)).isInstanceOf(ValidationException.class).hasMessageContaining("line 10");
    Object value = "leaf";
    for (int i = 0; i < 10_000; i++) {
      value = java.util.Map.of("k", value);
    }
    Object deepValue = value;
    assertThatThrownBy(() -> io.orchestrationplane.core.model.Component.builder("api", "worker")
        .property("extra", deepValue).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nest more than 100 levels deep");
    tools.jackson.databind.node.ObjectNode tree = Json.object();
    tools.jackson.databind.node.ObjectNode at = tree;
    for (int i = 0; i < 10_000; i++) {
      at = at.putObject("x");
    }
    tree.put("apiVersion", "v1").put("kind", "ConfigMap").putObject("metadata").put("name", "a");
    assertThatThrownBy(() -> Resource.of(tree)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than " + Resource.MAX_DEPTH + " levels deep");
  }

  @Test
  void aDocumentOfManyItemsIsReadWhole() {
    StringBuilder yaml = new StringBuilder("items:\n");
    for (int i = 0; i < 50_000; i++) {
      yaml.append("  - {name: item-").append(i).append(", value: ").append(i).append("}\n");
    }
    assertThat(Json.readYaml(yaml.toString()).get("items")).hasSize(50_000);
  }
}
