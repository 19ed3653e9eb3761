package io.orchestrationplane.core.model.internal;

import io.orchestrationplane.core.model.SourceMap;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads one JSON or YAML document into a tree while recording where every field starts, keyed
 * by field path ({@code spec.components[0].properties.port}).
 */
public final class LocatedReader {
  /** A tree and the locations of its fields. */
  public record Located(JsonNode tree, SourceMap source) {}

  private LocatedReader() {}

  /** Parses text with the given mapper (JSON or YAML). Syntax errors are rethrown as-is. */
  public static Located read(ObjectMapper mapper, String text) throws JacksonException {
    Map<String, SourceMap.Location> locations = new HashMap<>();
    try (JsonParser p = mapper.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return new Located(JsonNodeFactory.instance.missingNode(), SourceMap.EMPTY);
      }
      JsonNode tree = value(p, "", locations);
      return new Located(tree, new SourceMap(locations));
    }
  }

  private static JsonNode value(JsonParser p, String path,
      Map<String, SourceMap.Location> locations) {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      ObjectNode obj = JsonNodeFactory.instance.objectNode();
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        String child = path.isEmpty() ? field : path + "." + field;
        locations.put(child, location(p.currentTokenLocation()));
        p.nextToken();
        obj.set(field, value(p, child, locations));
      }
      return obj;
    }
    if (t == JsonToken.START_ARRAY) {
      ArrayNode arr = JsonNodeFactory.instance.arrayNode();
      int i = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        String child = path + "[" + i++ + "]";
        locations.put(child, location(p.currentTokenLocation()));
        arr.add(value(p, child, locations));
      }
      return arr;
    }
    return scalar(p, t);
  }

  private static JsonNode scalar(JsonParser p, JsonToken t) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (t) {
      case VALUE_STRING -> f.stringNode(p.getString());
      case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
        case INT -> f.numberNode(p.getIntValue());
        case LONG -> f.numberNode(p.getLongValue());
        default -> f.numberNode(p.getBigIntegerValue());
      };
      case VALUE_NUMBER_FLOAT -> p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
          ? f.numberNode(p.getDecimalValue()) : f.numberNode(p.getDoubleValue());
      case VALUE_TRUE -> f.booleanNode(true);
      case VALUE_FALSE -> f.booleanNode(false);
      case VALUE_NULL -> f.nullNode();
      default -> f.pojoNode(p.getEmbeddedObject());
    };
  }

  private static SourceMap.Location location(TokenStreamLocation l) {
    return new SourceMap.Location(l.getLineNr(), l.getColumnNr());
  }
}
