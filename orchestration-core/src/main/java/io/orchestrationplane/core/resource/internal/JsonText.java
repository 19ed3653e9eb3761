package io.orchestrationplane.core.resource.internal;

import java.io.StringWriter;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;

/**
 * Compact JSON text of a tree of plain JSON values, written with Jackson's streaming generator
 * alone: byte for byte what {@code JsonMapper.writeValueAsString(node)} and {@code
 * JsonNode.toString()} write for such trees (objects in insertion order, every property kept),
 * without building an {@code ObjectMapper}, which is most of the first plan's cost in a fresh
 * JVM. Trees holding other node kinds (POJO, binary, missing) are left to the caller's mapper.
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonText {
  /** The factory a default {@code JsonMapper} builds: the same generator features. */
  private static final JsonFactory FACTORY = new JsonFactory();

  /**
   * The ASCII characters the generator writes as themselves inside a string, found by asking it
   * once: a string of only these is written as its characters between quotes, without building a
   * generator (the content hash writes every scalar of every rendered object this way).
   */
  private static final boolean[] VERBATIM = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      StringWriter out = new StringWriter();
      try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
        g.writeString(String.valueOf(c));
      }
      VERBATIM[c] = out.toString().equals("\"" + c + "\"");
    }
  }

  private JsonText() {}

  /** The compact JSON of {@code node}, or {@code null} when it holds a node that is not a plain JSON value. */
  public static @Nullable String of(JsonNode node) {
    if (node.isString()) {
      String verbatim = verbatim(node.stringValue());
      if (verbatim != null) {
        return verbatim;
      }
    } else if (node.isInt() || node.isLong()) {
      return Long.toString(node.longValue());
    }
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
      if (!write(g, node)) {
        return null;
      }
    }
    return out.toString();
  }

  /** {@code s} between quotes when the generator would write every character of it as itself, else null. */
  private static @Nullable String verbatim(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 128 || !VERBATIM[c]) {
        return null;
      }
    }
    return "\"" + s + "\"";
  }

  private static boolean write(JsonGenerator g, JsonNode node) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          g.writeName(e.getKey());
          if (!write(g, e.getValue())) {
            return false;
          }
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (JsonNode e : node) {
          if (!write(g, e)) {
            return false;
          }
        }
        g.writeEndArray();
      }
      case STRING -> g.writeString(node.stringValue());
      case BOOLEAN -> g.writeBoolean(node.booleanValue());
      case NULL -> g.writeNull();
      case NUMBER -> {
        switch (node.numberType()) {
          case INT -> g.writeNumber(node.intValue());
          case LONG -> g.writeNumber(node.longValue());
          case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
          case FLOAT -> g.writeNumber(node.floatValue());
          case DOUBLE -> g.writeNumber(node.doubleValue());
          case BIG_DECIMAL -> g.writeNumber(node.decimalValue());
          default -> {
            return false;
          }
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }
}
