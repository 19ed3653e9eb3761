package io.orchestrationplane.core.resource;

import io.orchestrationplane.core.resource.internal.StrictReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The project's one JSON and YAML configuration (Jackson 3), shared because Jackson 3 mappers
 * are immutable and thread-safe. Output is deterministic: maps are written in key order and
 * trees in their insertion order.
 *
 * <pre>{@code
 * JsonNode tree = Json.readYaml("kind: ConfigMap\nmetadata: {name: a}");
 * String text = Json.writeYaml(tree);
 * }</pre>
 */
public final class Json {
  /** JSON; {@code Map}s are written with sorted keys so that renderings are byte-identical. */
  public static final JsonMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  /** YAML without document markers and with minimal quoting. */
  public static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
      .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
      .build();

  private Json() {}

  /** A new empty object node. */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /**
   * Parses one JSON document, strictly: a repeated key, trailing content, nesting deeper than 200
   * levels, a value over 1 MiB or an input over 3 MiB is refused. Throws {@link
   * IllegalArgumentException} naming the line and column; the message never quotes the input.
   */
  public static JsonNode readJson(String text) {
    return StrictReader.readOne(JSON, text, StrictReader.Limits.DEFAULT, null);
  }

  /**
   * Parses one YAML document, strictly: as {@link #readJson}, and a second document ({@code ---})
   * or an alias ({@code *name}) is refused. Throws {@link IllegalArgumentException} naming the line
   * and column; the message never quotes the input.
   */
  public static JsonNode readYaml(String text) {
    return StrictReader.readOne(YAML, text, StrictReader.Limits.DEFAULT, null);
  }

  /**
   * Parses a stream of YAML documents separated by {@code ---} (empty ones left out), each as
   * strictly as {@link #readYaml}; the whole stream may be up to 64 MiB.
   */
  public static java.util.List<JsonNode> readYamlDocuments(String text) {
    return StrictReader.readAll(YAML, text, StrictReader.Limits.MANY);
  }

  /** Compact JSON. */
  public static String writeJson(JsonNode node) {
    return JSON.writeValueAsString(node);
  }

  /** Indented JSON. */
  public static String writePrettyJson(JsonNode node) {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
  }

  /** YAML in the tree's own key order (trees built by the plane have a deterministic order). */
  public static String writeYaml(JsonNode node) {
    return YAML.writeValueAsString(node);
  }

}
