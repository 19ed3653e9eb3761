package io.orchestrationplane.policy.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLParser;

/**
 * Multi-document YAML reading for the loaders (the mapper is immutable and thread-safe), strictly,
 * in one pass over the tokens: a key given twice in one mapping, an alias ({@code *name}, which
 * Jackson would read as the anchor's name) and a tag other than the standard ones (which Jackson
 * would drop, reading the value as if it had none) are refused, and nesting depth, scalar length
 * and collection size are bounded. Policies and the objects of policy tests (Secrets among them)
 * are read here, so error messages give the line and column and never quote the input.
 */
public final class Yaml {
  private static final YAMLMapper MAPPER = YAMLMapper.builder().build();
  /** Nesting deeper than this is refused (Kubernetes objects and policies nest far less). */
  static final int MAX_DEPTH = 200;
  /** A scalar longer than this is refused. */
  static final int MAX_SCALAR_CHARS = 1024 * 1024;
  /** A mapping or list with more entries than this is refused. */
  static final int MAX_ENTRIES = 100_000;

  private Yaml() {}

  /**
   * Every non-empty document of a YAML stream; throws {@link IllegalArgumentException} with line
   * and column, whose message never quotes the input.
   */
  public static List<JsonNode> readAll(String text) {
    if (text == null) {
      throw new IllegalArgumentException("no YAML given (null)");
    }
    List<JsonNode> docs = new ArrayList<>();
    try (JsonParser p = MAPPER.createParser(text)) {
      while (p.nextToken() != null) {
        JsonNode n = value(p, 1);
        if (!n.isNull() && !n.isMissingNode() && !(n.isObject() && n.isEmpty())) {
          docs.add(n);
        }
      }
    } catch (JacksonException e) {
      throw fromJackson(e, text);
    }
    return docs;
  }

  /**
   * {@link #readAll} of a file's text (UTF-8); any failure to read or parse it is an {@link
   * IllegalArgumentException} whose message starts with the file, then the line and column.
   */
  public static List<JsonNode> readFile(java.nio.file.Path file) {
    java.util.Objects.requireNonNull(file, "file");
    String text;
    try {
      text = java.nio.file.Files.readString(file);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalArgumentException(file + ": not UTF-8 text", e);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      return readAll(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode value(JsonParser p, int depth) {
    if (depth > MAX_DEPTH) {
      throw at(p, "values nest more than " + MAX_DEPTH + " levels deep");
    }
    if (p instanceof YAMLParser y) {
      if (y.isCurrentAlias()) {
        throw at(p, "YAML aliases (*name) are not supported: write the value out");
      }
      String tag = y.getTypeId();
      if (tag != null && !STANDARD_TAGS.contains(tag)) {
        throw at(p, "YAML tag '" + shown(tag.startsWith("tag:") || tag.startsWith("!") ? tag : "!" + tag)
            + "' is not supported (only the standard ones, such as !!str, are): remove it, or the value would be"
            + " read as if it had none");
      }
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      ObjectNode obj = f.objectNode();
      Map<String, Integer> seen = new HashMap<>();
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        int line = p.currentTokenLocation().getLineNr();
        Integer first = seen.putIfAbsent(field, line);
        if (first != null) {
          throw at(p, "key '" + shown(field) + "' appears twice in one mapping (line " + first + " and line " + line
              + ")");
        }
        if (seen.size() > MAX_ENTRIES) {
          throw at(p, "a mapping has more than " + MAX_ENTRIES + " entries");
        }
        p.nextToken();
        obj.set(field, value(p, depth + 1));
      }
      return obj;
    }
    if (t == JsonToken.START_ARRAY) {
      ArrayNode arr = f.arrayNode();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (arr.size() >= MAX_ENTRIES) {
          throw at(p, "a list has more than " + MAX_ENTRIES + " items");
        }
        arr.add(value(p, depth + 1));
      }
      return arr;
    }
    return switch (t) {
      case VALUE_STRING -> {
        String s = p.getString();
        if (s.length() > MAX_SCALAR_CHARS) {
          throw at(p, "a value of " + s.length() + " characters is longer than the limit of " + MAX_SCALAR_CHARS);
        }
        yield f.stringNode(s);
      }
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
      case VALUE_EMBEDDED_OBJECT -> {
        if (p.getEmbeddedObject() instanceof byte[] bytes) { // !!binary
          yield f.binaryNode(bytes);
        }
        throw at(p, "unsupported value");
      }
      default -> throw at(p, "unexpected " + t);
    };
  }

  private static IllegalArgumentException at(JsonParser p, String problem) {
    TokenStreamLocation l = p.currentTokenLocation();
    return new IllegalArgumentException("invalid YAML at line " + l.getLineNr() + ", column " + l.getColumnNr() + ": "
        + problem);
  }

  /** The standard tags in every spelling the parser reports ({@code !} alone: a plain string). */
  private static final Set<String> STANDARD_TAGS = standardTags();

  private static Set<String> standardTags() {
    Set<String> out = new HashSet<>(Set.of("", "!"));
    for (String t : List.of("str", "int", "float", "bool", "null", "map", "seq", "binary", "timestamp")) {
      out.add("tag:yaml.org,2002:" + t);
      out.add("!!" + t);
    }
    return Set.copyOf(out);
  }

  // Keys and tags are shown (they name fields, not values), shortened: a huge key is an attack, not a name.
  private static String shown(String key) {
    return key.length() > 80 ? key.substring(0, 77) + "..." : key;
  }

  private static final Pattern QUOTED = Pattern.compile("'[^'\\n]*'|\"[^\"\\n]*\"|\\(code \\d+\\)");
  /** Quoted text from the grammar, not the input: punctuation, and token names such as {@code <block end>}. */
  private static final Pattern GRAMMAR = Pattern.compile("['\"]([\\[\\]{}:,\\-?|>#&*!%@`]{1,3}|<[a-z ]+>)['\"]");

  /**
   * A Jackson or SnakeYAML failure as a message with its line and column and the nature of the
   * problem, without SnakeYAML's copy of the input line or quoted tokens (either may be a secret
   * value); the cause is dropped for the same reason.
   */
  private static IllegalArgumentException fromJackson(JacksonException e, String text) {
    TokenStreamLocation loc = e.getLocation();
    int line = loc == null ? 0 : loc.getLineNr();
    int column = loc == null ? 0 : loc.getColumnNr();
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    List<String> kept = new ArrayList<>();
    for (String l : original.split("\n")) {
      String trimmed = l.strip();
      if (trimmed.isEmpty() || l.startsWith(" ") || trimmed.equals("^") || trimmed.startsWith("in reader")) {
        continue;
      }
      kept.add(QUOTED.matcher(trimmed).replaceAll(m -> GRAMMAR.matcher(m.group()).matches()
          ? Matcher.quoteReplacement(m.group()) : "'…'"));
    }
    String problem = kept.isEmpty() ? "not valid YAML" : String.join("; ", kept);
    if (problem.length() > 300) {
      problem = problem.substring(0, 297) + "...";
    }
    if (problem.contains("special characters are not allowed")) {
      // SnakeYAML checks the characters ahead of the tokens and reports the start of the stream
      int[] at = firstUnprintable(text);
      if (at != null) {
        line = at[0];
        column = at[1];
      }
    }
    return new IllegalArgumentException("invalid YAML" + (line > 0 ? " at line " + line + ", column " + column : "")
        + ": " + problem);
  }

  /** Line and column of the first character YAML 1.1 does not allow in a stream, or null when there is none. */
  private static int @org.jspecify.annotations.Nullable [] firstUnprintable(String text) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0x7E) || c == 0x85
          || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
      if (!allowed) {
        return new int[] {line, column};
      }
      if (c == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
      i += Character.charCount(c);
    }
    return null;
  }
}
