package io.orchestrationplane.cli.internal;

import io.orchestrationplane.core.resource.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;

/**
 * The line each value of a YAML file starts on, by document and JSON pointer ({@code
 * /tests/0/cases/1}), read with the YAML parser's token locations, so a failed test case or a
 * policy field can point at its line. Documents are counted from 0 in stream order.
 */
final class YamlLines {
  private final List<Map<String, Integer>> documents;
  private final List<String> names;

  private YamlLines(List<Map<String, Integer>> documents, List<String> names) {
    this.documents = documents;
    this.names = names;
  }

  static YamlLines of(String yaml) {
    List<Map<String, Integer>> documents = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try (JsonParser p = Json.YAML.createParser(yaml)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.PROPERTY_NAME || t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          continue;
        }
        TokenStreamContext context = p.streamReadContext();
        boolean documentStart = context.inRoot()
            || (t.isStructStart() && context.getParent() != null && context.getParent().inRoot());
        if (documentStart) {
          documents.add(new HashMap<>());
          names.add("");
        }
        if (documents.isEmpty()) {
          continue;
        }
        String pointer = context.pathAsPointer().toString();
        int doc = documents.size() - 1;
        documents.get(doc).putIfAbsent(pointer, p.currentTokenLocation().getLineNr());
        if (t == JsonToken.VALUE_STRING && pointer.equals("/metadata/name")) {
          names.set(doc, p.getString());
        }
      }
    } catch (RuntimeException e) {
      // A file the runners could read but this reader cannot: findings fall back to line 1.
    }
    return new YamlLines(documents, names);
  }

  /** The 1-based line of the value at {@code pointer} in the first document; 0 when unknown. */
  int line(String pointer) {
    return documents.isEmpty() ? 0 : documents.get(0).getOrDefault(pointer, 0);
  }

  /**
   * The line of the value at {@code pointer} in the first document named {@code name}
   * ({@code metadata.name}) that has it; 0 when none does.
   */
  int line(String name, String pointer) {
    for (int i = 0; i < documents.size(); i++) {
      if (names.get(i).equals(name) && documents.get(i).containsKey(pointer)) {
        return documents.get(i).get(pointer);
      }
    }
    return 0;
  }

  /** {@code spec.validations[0].expression} → {@code /spec/validations/0/expression}. */
  static String pointer(String fieldPath) {
    if (fieldPath.isEmpty()) {
      return "";
    }
    return "/" + fieldPath.replaceAll("\\[(\\d+)]", ".$1").replace("~", "~0").replace("/", "~1").replace('.', '/');
  }
}
