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
      StringWriter value = new StringWriter();
      try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), value)) {
        g.writeString(String.valueOf(c));
      }
      // a property name is escaped like a string value; asked too, so that the direct writer below
      // copies a name only when the generator would
      StringWriter name = new StringWriter();
      try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), name)) {
        g.writeStartObject();
        g.writeName(String.valueOf(c));
        g.writeNumber(1);
        g.writeEndObject();
      }
      VERBATIM[c] = value.toString().equals("\"" + c + "\"") && name.toString().equals("{\"" + c + "\":1}");
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
    if (node.isContainer()) {
      // most trees (a skeleton, a rendered object) hold only what the generator writes as is:
      // written directly, without building a generator for each
      StringBuilder direct = new StringBuilder(256);
      if (direct(direct, node)) {
        return direct.toString();
      }
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

  /**
   * Appends the compact JSON of {@code node} when it holds only objects, arrays, ints, longs,
   * booleans, nulls and strings (and names) of {@link #VERBATIM} characters, which the generator
   * writes as their characters; false (with {@code out} half-written) at anything else.
   */
  private static boolean direct(StringBuilder out, JsonNode node) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          if (!verbatim(out, e.getKey())) {
            return false;
          }
          out.append(':');
          if (!direct(out, e.getValue())) {
            return false;
          }
        }
        out.append('}');
        return true;
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0, size = node.size(); i < size; i++) {
          if (i > 0) {
            out.append(',');
          }
          if (!direct(out, node.get(i))) {
            return false;
          }
        }
        out.append(']');
        return true;
      }
      case STRING -> {
        return verbatim(out, node.stringValue());
      }
      case BOOLEAN -> {
        out.append(node.booleanValue() ? "true" : "false");
        return true;
      }
      case NULL -> {
        out.append("null");
        return true;
      }
      case NUMBER -> {
        if (node.isInt() || node.isLong()) {
          out.append(node.longValue());
          return true;
        }
        return false;
      }
      default -> {
        return false;
      }
    }
  }

  /** Appends {@code s} between quotes when every character of it is {@link #VERBATIM}. */
  private static boolean verbatim(StringBuilder out, String s) {
    for (int i = 0, len = s.length(); i < len; i++) {
      char c = s.charAt(i);
      if (c >= 128 || !VERBATIM[c]) {
        return false;
      }
    }
    out.append('"').append(s).append('"');
    return true;
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
