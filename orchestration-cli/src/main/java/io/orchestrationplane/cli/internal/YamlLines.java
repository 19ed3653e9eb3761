package io.orchestrationplane.cli.internal;

import io.orchestrationplane.core.resource.Json;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The line each value of a one-document YAML file starts on, by JSON pointer ({@code
 * /tests/0/cases/1}), read with the YAML parser's token locations, so a failed test case can
 * point at its line.
 */
final class YamlLines {
  private final Map<String, Integer> lines;

  private YamlLines(Map<String, Integer> lines) {
    this.lines = lines;
  }

  static YamlLines of(String yaml) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = Json.YAML.createParser(yaml)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.PROPERTY_NAME || t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          continue;
        }
        String pointer = p.streamReadContext().pathAsPointer().toString();
        lines.putIfAbsent(pointer, p.currentTokenLocation().getLineNr());
      }
    } catch (RuntimeException e) {
      // A file the runners could read but this reader cannot: findings fall back to line 1.
    }
    return new YamlLines(lines);
  }

  /** The 1-based line of the value at {@code pointer}; 0 when unknown. */
  int line(String pointer) {
    return lines.getOrDefault(pointer, 0);
  }
}
