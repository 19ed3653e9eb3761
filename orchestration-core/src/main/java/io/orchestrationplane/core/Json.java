package io.orchestrationplane.core;

import tools.jackson.core.JacksonException;
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

  /** Parses JSON text; throws {@link IllegalArgumentException} naming the line and column. */
  public static JsonNode readJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage()
          + location(e), e);
    }
  }

  /** Parses one YAML document; throws {@link IllegalArgumentException} naming the line and column. */
  public static JsonNode readYaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("invalid YAML: " + e.getOriginalMessage()
          + location(e), e);
    }
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

  private static String location(JacksonException e) {
    var loc = e.getLocation();
    return loc == null || loc.getLineNr() < 0 ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }
}
