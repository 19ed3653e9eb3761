package io.orchestrationplane.core.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Where each field of a decoded document was written: field path (as in {@link Problem}) to
 * 1-based line and column. Lets validation point at the YAML line of a problem.
 */
public record SourceMap(Map<String, Location> locations) {
  /** A 1-based line and column. */
  public record Location(int line, int column) {}

  /** A map with no locations (for models built in Java). */
  public static final SourceMap EMPTY = new SourceMap(Map.of());

  public SourceMap {
    locations = Map.copyOf(locations);
  }

  /** The location of the path, or of its nearest ancestor that has one. */
  public Optional<Location> locate(String path) {
    String p = path;
    while (!p.isEmpty()) {
      Location l = locations.get(p);
      if (l != null) {
        return Optional.of(l);
      }
      p = parent(p);
    }
    return Optional.empty();
  }

  /** A problem at the path, with its location when known. */
  public Problem problem(String path, String message) {
    return locate(path).map(l -> new Problem(path, message, l.line(), l.column()))
        .orElseGet(() -> Problem.at(path, message));
  }

  private static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut <= 0 ? "" : path.substring(0, cut);
  }

  /** A parsed document and where each of its fields was written. */
  public record Located(JsonNode tree, SourceMap source) {}

  /**
   * Parses one YAML (or JSON) document strictly, as the application loader does (a repeated key,
   * a second document or input beyond the limits is refused), recording the line and column of
   * every field by path, so that other documents (delivery workflows, say) report problems the
   * way applications do. A syntax error is a {@link ValidationException} naming {@code what},
   * with the line and column.
   */
  public static Located readYaml(String what, String yamlOrJson) {
    try {
      io.orchestrationplane.core.model.internal.LocatedReader.Located located =
          io.orchestrationplane.core.model.internal.LocatedReader.read(io.orchestrationplane.core.resource.Json.YAML, yamlOrJson);
      return new Located(located.tree(), located.source());
    } catch (io.orchestrationplane.core.resource.internal.StrictReader.ReadException e) {
      throw new ValidationException(what, List.of(new Problem("", e.getMessage(), e.line(), e.column())));
    }
  }
}
