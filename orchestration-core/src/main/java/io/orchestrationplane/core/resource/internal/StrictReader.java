package io.orchestrationplane.core.resource.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLParser;

/**
 * Reads JSON and YAML strictly and within limits, in one pass over the tokens (linear in the
 * input): a key given twice is an error naming both lines; a second document is an error unless
 * many were asked for; YAML aliases are refused (Jackson would silently read an alias as its
 * anchor's name); size, nesting depth, scalar length and collection size are bounded. Error
 * messages give the line and column and never quote the input, which may hold secret values.
 */
public final class StrictReader {
  /** The bounds of one read. */
  public record Limits(int maxChars, int maxDepth, int maxScalarChars, int maxEntries) {
    /**
     * Defaults sized for Kubernetes objects: the API server takes requests of up to 3 MiB, etcd
     * stores objects of up to 1.5 MiB; nesting as deep as {@code Resource.MAX_DEPTH}.
     */
    public static final Limits DEFAULT = new Limits(3 * 1024 * 1024, 200, 1024 * 1024, 100_000);
    /** Defaults for a stream of many documents (a directory of manifests, say). */
    public static final Limits MANY = new Limits(64 * 1024 * 1024, 200, 1024 * 1024, 100_000);
  }

  /** Where a field starts: 1-based line and column. */
  public record Position(int line, int column) {}

  /** A read that failed, with where (line 0 when the whole input is at fault). */
  public static final class ReadException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;

    ReadException(String message, int line, int column, @Nullable Throwable cause) {
      super(message, cause);
      this.line = line;
      this.column = column;
    }

    public int line() {
      return line;
    }

    public int column() {
      return column;
    }
  }

  private StrictReader() {}

  /**
   * One document; {@code locations} (may be null) receives where each field starts, by field path
   * ({@code spec.components[0].name}). An empty input reads as a missing node.
   */
  public static JsonNode readOne(ObjectMapper mapper, String text, Limits limits, @Nullable Map<String, Position> locations) {
    String kind = kind(mapper);
    checkSize(text, limits, kind);
    try (JsonParser p = mapper.createParser(text)) {
      try {
        JsonToken t = p.nextToken();
        if (t == null) {
          return JsonNodeFactory.instance.missingNode();
        }
        JsonNode tree = new Walk(p, limits, locations, kind).value("", 1);
        JsonToken after = p.nextToken();
        if (after != null) {
          TokenStreamLocation l = p.currentTokenLocation();
          throw new ReadException("invalid " + kind + " at line " + l.getLineNr() + ", column " + l.getColumnNr()
              + ": a second document, where one was expected (read it as a stream of documents, or split it)",
              l.getLineNr(), l.getColumnNr(), null);
        }
        return tree;
      } catch (JacksonException e) {
        throw located(fromJackson(kind, e), kind, text, p);
      }
    } catch (JacksonException e) {
      throw fromJackson(kind, e);
    }
  }

  /** Every document of a stream ({@code ---} between YAML documents), empty ones left out. */
  public static List<JsonNode> readAll(ObjectMapper mapper, String text, Limits limits) {
    String kind = kind(mapper);
    checkSize(text, limits, kind);
    List<JsonNode> docs = new ArrayList<>();
    try (JsonParser p = mapper.createParser(text)) {
      try {
        JsonToken t;
        while ((t = p.nextToken()) != null) {
          JsonNode doc = new Walk(p, limits, null, kind).value("", 1);
          if (!doc.isNull() && !doc.isMissingNode() && !(doc.isObject() && doc.isEmpty())) {
            docs.add(doc);
          }
        }
        return docs;
      } catch (JacksonException e) {
        throw located(fromJackson(kind, e), kind, text, p);
      }
    } catch (JacksonException e) {
      throw fromJackson(kind, e);
    }
  }

  /**
   * The failure at the place in the input it is about, where the parser could not say: a
   * character YAML does not allow (SnakeYAML checks the input ahead of the tokens and reports the
   * start of the stream) is found in the text, and a failure without a location (a number longer
   * than the limit) takes the parser's position.
   */
  private static ReadException located(ReadException e, String kind, String text, JsonParser p) {
    int line = e.line();
    int column = e.column();
    if (kind.equals("YAML") && e.getMessage().contains("special characters are not allowed")) {
      Position at = firstUnprintable(text);
      if (at == null) {
        return e;
      }
      line = at.line();
      column = at.column();
    } else if (line <= 0) {
      TokenStreamLocation l = p.currentLocation();
      if (l == null || l.getLineNr() <= 0) {
        return e;
      }
      line = l.getLineNr();
      column = l.getColumnNr();
    } else {
      return e;
    }
    String message = e.getMessage();
    String problem = message.substring(message.indexOf(": ") + 2);
    return new ReadException("invalid " + kind + " at line " + line + ", column " + column + ": " + problem,
        line, column, null);
  }

  /** Where the first character YAML 1.1 does not allow in a stream is, or null when there is none. */
  private static @Nullable Position firstUnprintable(String text) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0x7E) || c == 0x85
          || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
      if (!allowed) {
        return new Position(line, column);
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

  private static String kind(ObjectMapper mapper) {
    return mapper.tokenStreamFactory().getFormatName().toUpperCase(java.util.Locale.ROOT).contains("YAML") ? "YAML" : "JSON";
  }

  private static void checkSize(String text, Limits limits, String kind) {
    if (text == null) {
      throw new ReadException("no " + kind + " given (null)", 0, 0, null);
    }
    if (text.length() > limits.maxChars()) {
      throw new ReadException(kind + " input of " + text.length() + " characters is larger than the limit of "
          + limits.maxChars(), 0, 0, null);
    }
  }

  /** One document's walk over the tokens. */
  private static final class Walk {
    final JsonParser p;
    final Limits limits;
    final @Nullable Map<String, Position> locations;
    final String kind;

    Walk(JsonParser p, Limits limits, @Nullable Map<String, Position> locations, String kind) {
      this.p = p;
      this.limits = limits;
      this.locations = locations;
      this.kind = kind;
    }

    JsonNode value(@Nullable String path, int depth) {
      JsonToken t = p.currentToken();
      if (depth > limits.maxDepth()) {
        throw at("values nest more than " + limits.maxDepth() + " levels deep");
      }
      if (p instanceof YAMLParser y && y.isCurrentAlias()) {
        throw at("YAML aliases (*name) are not supported: write the value out");
      }
      if (p instanceof YAMLParser y) {
        String tag = y.getTypeId();
        if (tag != null && !STANDARD_TAGS.contains(tag)) {
          throw at("YAML tag '" + shown(tag.startsWith("tag:") || tag.startsWith("!") ? tag : "!" + tag) + "' is not supported (only the standard ones, such as !!str, are):"
              + " remove it, or the value would be read as if it had none");
        }
      }
      if (t == JsonToken.START_OBJECT) {
        ObjectNode obj = JsonNodeFactory.instance.objectNode();
        Map<String, Position> seen = new HashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
          String field = p.currentName();
          TokenStreamLocation l = p.currentTokenLocation();
          Position here = new Position(l.getLineNr(), l.getColumnNr());
          Position first = seen.putIfAbsent(field, here);
          if (first != null) {
            throw at("key '" + shown(field) + "' appears twice in one mapping (line " + first.line() + " and line "
                + here.line() + ")");
          }
          if (seen.size() > limits.maxEntries()) {
            throw at("a mapping has more than " + limits.maxEntries() + " entries");
          }
          String child = locations == null ? null : path.isEmpty() ? field : path + "." + field;
          if (locations != null) {
            locations.put(child, here);
          }
          p.nextToken();
          obj.set(field, value(child, depth + 1));
        }
        return obj;
      }
      if (t == JsonToken.START_ARRAY) {
        ArrayNode arr = JsonNodeFactory.instance.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          if (i >= limits.maxEntries()) {
            throw at("a list has more than " + limits.maxEntries() + " items");
          }
          String child = locations == null ? null : path + "[" + i + "]";
          if (locations != null) {
            TokenStreamLocation l = p.currentTokenLocation();
            locations.put(child, new Position(l.getLineNr(), l.getColumnNr()));
          }
          i++;
          arr.add(value(child, depth + 1));
        }
        return arr;
      }
      return scalar(t);
    }

    private JsonNode scalar(JsonToken t) {
      JsonNodeFactory f = JsonNodeFactory.instance;
      return switch (t) {
        case VALUE_STRING -> {
          String s = p.getString();
          if (s.length() > limits.maxScalarChars()) {
            throw at("a value of " + s.length() + " characters is longer than the limit of " + limits.maxScalarChars());
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
          Object o = p.getEmbeddedObject();
          if (o instanceof byte[] bytes) { // !!binary
            yield f.binaryNode(bytes);
          }
          throw at("unsupported value");
        }
        default -> throw at("unexpected " + t);
      };
    }

    private ReadException at(String problem) {
      TokenStreamLocation l = p.currentTokenLocation();
      return new ReadException("invalid " + kind + " at line " + l.getLineNr() + ", column " + l.getColumnNr() + ": "
          + problem, l.getLineNr(), l.getColumnNr(), null);
    }
  }

  /**
   * The tags a YAML reader here honours, in every spelling the parser reports: the core schema's
   * and binary and timestamp. Any other (an application's own, such as {@code !vault}) would be
   * dropped silently and its value read as plain text, so it is refused.
   */
  private static final java.util.Set<String> STANDARD_TAGS = standardTags();

  private static java.util.Set<String> standardTags() {
    java.util.Set<String> out = new java.util.HashSet<>(java.util.Set.of("", "!")); // '!' alone: a plain string
    for (String t : List.of("str", "int", "float", "bool", "null", "map", "seq", "binary", "timestamp")) {
      out.add("tag:yaml.org,2002:" + t);
      out.add("!!" + t);
    }
    return java.util.Set.copyOf(out);
  }

  // Keys are shown (they name fields, not values), shortened: a huge key is an attack, not a name.
  private static String shown(String key) {
    return key.length() > 80 ? key.substring(0, 77) + "..." : key;
  }

  private static final Pattern QUOTED = Pattern.compile("'[^'\\n]*'|\"[^\"\\n]*\"|\\(code \\d+\\)");
  /** Quoted text that comes from the grammar, not the input: punctuation, and token names such as {@code <block end>}. */
  private static final Pattern GRAMMAR = Pattern.compile("['\"]([\\[\\]{}:,\\-?|>#&*!%@`]{1,3}|<[a-z ]+>)['\"]");

  /**
   * A Jackson or SnakeYAML failure as a message with its line and column and the nature of the
   * problem, without the parser's snippet of the input (it may quote a secret value) or quoted
   * tokens.
   */
  static ReadException fromJackson(String kind, JacksonException e) {
    if (e.getCause() instanceof ReadException re) {
      return re;
    }
    TokenStreamLocation loc = e.getLocation();
    int line = loc == null ? 0 : loc.getLineNr();
    int column = loc == null ? 0 : loc.getColumnNr();
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    List<String> kept = new ArrayList<>();
    for (String l : original.split("\n")) {
      String trimmed = l.strip();
      // SnakeYAML's message: problem lines, each followed by " in reader, line N, column M:" and
      // a copy of the input line with a caret under it. Only the problem lines are kept.
      if (trimmed.isEmpty() || l.startsWith(" ") || trimmed.equals("^") || trimmed.startsWith("in reader")) {
        continue;
      }
      kept.add(QUOTED.matcher(trimmed).replaceAll(m -> GRAMMAR.matcher(m.group()).matches()
          ? java.util.regex.Matcher.quoteReplacement(m.group()) : "'…'"));
    }
    String problem = kept.isEmpty() ? "not valid " + kind : String.join("; ", kept);
    if (problem.length() > 300) {
      problem = problem.substring(0, 297) + "...";
    }
    return new ReadException("invalid " + kind + (line > 0 ? " at line " + line + ", column " + column : "") + ": "
        + problem, line, column, null); // the cause is dropped: its message quotes the input
  }
}
