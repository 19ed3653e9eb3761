package io.orchestrationplane.core.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.resource.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/components.md} in step with the code: every built-in type and property is
 * documented, each property table equals the type's schema, and every YAML example validates and
 * renders.
 */
class BuiltInDocsTest {
  private static final TypeRegistry BUILT_INS = TypeRegistry.builtIns();
  private static List<String> lines;

  @BeforeAll
  static void readDoc() throws IOException {
    lines = Files.readAllLines(repositoryRoot().resolve("docs/components.md"));
  }

  /** The folder holding the root pom.xml (the one listing the modules), found from user.dir upwards. */
  private static Path repositoryRoot() throws IOException {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path pom = dir.resolve("pom.xml");
      if (Files.isRegularFile(pom) && Files.readString(pom).contains("<modules>")) {
        return dir;
      }
    }
    return fail("no root pom.xml above " + System.getProperty("user.dir"));
  }

  private static Map<String, PropertySchema> builtInSchemas() {
    Map<String, PropertySchema> out = new LinkedHashMap<>();
    BUILT_INS.componentTypes().forEach(t -> out.put(t.name(), t.schema()));
    BUILT_INS.traitTypes().forEach(t -> out.put(t.name(), t.schema()));
    return out;
  }

  @Test
  void everyBuiltInTypeNameAndPropertyNameAppearsInTheDoc() {
    String doc = String.join("\n", lines);

    builtInSchemas().forEach((type, schema) -> {
      assertThat(doc).as("heading of type %s", type).contains("### " + type + "\n");
      schema.properties().forEach(p -> assertThat(doc).as("property %s of %s", p.name(), type).contains("`" + p.name() + "`"));
    });
  }

  @Test
  void theDocDescribesExactlyTheBuiltInsInRegistrationOrder() {
    assertThat(headings("## Component types"))
        .containsExactlyElementsOf(BUILT_INS.componentTypes().stream().map(ComponentType::name).toList());
    assertThat(headings("## Traits"))
        .containsExactlyElementsOf(BUILT_INS.traitTypes().stream().map(TraitType::name).toList());
  }

  @Test
  void eachPropertyTableEqualsItsTypesSchema() {
    builtInSchemas().forEach((type, schema) -> assertThat(table(section(type)))
        .as("property table of %s in docs/components.md (name, type, required, default, minimum, description)", type)
        .containsExactlyElementsOf(schema.properties().stream().map(BuiltInDocsTest::row).toList()));
  }

  @Test
  void everyTypeAndTraitHasAnExampleThatUsesIt() {
    builtInSchemas().keySet().forEach(type -> assertThat(yamlBlocks(section(type)))
        .as("YAML example of %s", type)
        .anySatisfy(yaml -> assertThat(yaml).contains("type: " + type + "\n")));
  }

  @Test
  void everyYamlExampleValidatesAndRenders() {
    List<String> examples = yamlBlocks(lines);
    assertThat(examples).hasSizeGreaterThan(builtInSchemas().size());
    try (OrchestrationPlane plane = OrchestrationPlane.builder().cluster(InMemoryCluster.create("docs")).build()) {
      for (String yaml : examples) {
        String envelope = yaml.startsWith("apiVersion:") ? yaml : wrap(yaml);
        Map<String, List<Resource>> rendered;
        try {
          rendered = plane.render(plane.load(envelope));
        } catch (RuntimeException e) {
          throw new AssertionError("example does not validate or render:\n" + envelope, e);
        }
        assertThat(rendered.values()).as("resources of example\n%s", yaml).allSatisfy(r -> assertThat(r).isNotEmpty());
      }
    }
  }

  @Test
  void theSampleErrorIsWhatValidationReports() {
    Application app = Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "webservice").property("image", "ghcr.io/acme/api:1.4.2")
            .property("replicas", "3")
            .trait("scaler", Map.of("replicas", 1)).trait("autoscaler", Map.of("max", 0)).build())
        .build();
    try (OrchestrationPlane plane = OrchestrationPlane.builder().cluster(InMemoryCluster.create("docs")).build()) {
      ValidationException e = catchThrowableOfType(ValidationException.class, () -> plane.validate(app));

      assertThat(blocks(lines, "```text")).containsExactly(e.getMessage() + "\n");
    }
  }

  /** How a property reads in the doc's tables. */
  private static String row(PropertySpec p) {
    return "| `" + p.name() + "` | " + p.type().description().replaceFirst("^an? ", "") + " | "
        + (p.required() ? "yes" : "no") + " | "
        + (p.defaultValue() == null ? "" : "`" + p.defaultValue() + "`") + " | "
        + (p.minimum() == null ? "" : p.minimum()) + " | " + p.description() + " |";
  }

  /** A list of components as an application envelope. */
  private static String wrap(String components) {
    return "apiVersion: orchestrationplane.io/v1alpha1\nkind: Application\nmetadata: {name: docs, namespace: docs}\n"
        + "spec:\n  components:\n" + components.lines().map(l -> "    " + l).collect(Collectors.joining("\n")) + "\n";
  }

  /** The {@code ###} headings under a {@code ##} heading. */
  private static List<String> headings(String chapter) {
    List<String> out = new ArrayList<>();
    boolean inside = false;
    for (String line : lines) {
      if (line.startsWith("## ")) {
        inside = line.equals(chapter);
      } else if (inside && line.startsWith("### ")) {
        out.add(line.substring(4).trim());
      }
    }
    return out;
  }

  /** The lines of the {@code ### name} section. */
  private static List<String> section(String name) {
    int start = lines.indexOf("### " + name);
    assertThat(start).as("section ### %s", name).isNotNegative();
    int end = start + 1;
    while (end < lines.size() && !lines.get(end).startsWith("## ") && !lines.get(end).startsWith("### ")) {
      end++;
    }
    return lines.subList(start + 1, end);
  }

  /** The rows of the first table of a section, without header and separator. */
  private static List<String> table(List<String> section) {
    List<String> rows = new ArrayList<>();
    for (String line : section) {
      if (line.startsWith("|")) {
        rows.add(line.trim());
      } else if (!rows.isEmpty()) {
        break;
      }
    }
    assertThat(rows).as("a table with a header and a separator").hasSizeGreaterThanOrEqualTo(2);
    return rows.subList(2, rows.size());
  }

  private static List<String> yamlBlocks(List<String> text) {
    return blocks(text, "```yaml");
  }

  private static List<String> blocks(List<String> text, String fence) {
    List<String> blocks = new ArrayList<>();
    StringBuilder current = null;
    for (String line : text) {
      if (current == null && line.equals(fence)) {
        current = new StringBuilder();
      } else if (current != null && line.equals("```")) {
        blocks.add(current.toString());
        current = null;
      } else if (current != null) {
        current.append(line).append('\n');
      }
    }
    return blocks;
  }
}
