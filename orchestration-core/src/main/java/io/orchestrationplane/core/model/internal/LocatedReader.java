package io.orchestrationplane.core.model.internal;

import io.orchestrationplane.core.model.SourceMap;
import io.orchestrationplane.core.resource.internal.StrictReader;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads one JSON or YAML document into a tree, strictly and within limits (see
 * {@link StrictReader}), while recording where every field starts, keyed by field path
 * ({@code spec.components[0].properties.port}).
 */
public final class LocatedReader {
  /** A tree and the locations of its fields. */
  public record Located(JsonNode tree, SourceMap source) {}

  private LocatedReader() {}

  /**
   * Parses text with the given mapper (JSON or YAML). Throws {@link StrictReader.ReadException}
   * with the line and column of a syntax error, a repeated key, a second document or an input
   * beyond the limits.
   */
  public static Located read(ObjectMapper mapper, String text) {
    Map<String, StrictReader.Position> positions = new HashMap<>();
    JsonNode tree = StrictReader.readOne(mapper, text, StrictReader.Limits.DEFAULT, positions);
    Map<String, SourceMap.Location> locations = new HashMap<>(positions.size() * 2);
    positions.forEach((path, p) -> locations.put(path, new SourceMap.Location(p.line(), p.column())));
    return new Located(tree, new SourceMap(locations));
  }
}
