package io.orchestrationplane.policy.internal;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Multi-document YAML reading for the loaders (the mapper is immutable and thread-safe). */
public final class Yaml {
  private static final YAMLMapper MAPPER = YAMLMapper.builder().build();

  private Yaml() {}

  /** Every non-empty document of a YAML stream; throws {@link IllegalArgumentException} with line and column. */
  public static List<JsonNode> readAll(String text) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNextValue()) {
        JsonNode n = it.nextValue();
        if (n != null && !n.isNull() && !n.isMissingNode() && !(n.isObject() && n.isEmpty())) {
          docs.add(n);
        }
      }
    } catch (JacksonException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr();
      throw new IllegalArgumentException("invalid YAML" + where + ": " + e.getOriginalMessage(), e);
    }
    return docs;
  }
}
