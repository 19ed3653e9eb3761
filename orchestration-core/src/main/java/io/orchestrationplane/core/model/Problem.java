package io.orchestrationplane.core.model;

import java.util.Objects;

/**
 * One thing wrong with an application: the field path in the envelope (such as
 * {@code spec.components[2].traits[0].properties.port}), what is wrong, and, for YAML or JSON
 * input, the line and column (1-based; 0 when unknown).
 */
public record Problem(String path, String message, int line, int column) {
  public Problem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  public static Problem at(String path, String message) {
    return new Problem(path, message, 0, 0);
  }

  /** True when the problem carries a source position. */
  public boolean hasLocation() {
    return line > 0;
  }

  @Override
  public String toString() {
    return path + (hasLocation() ? " (line " + line + ", column " + column + ")" : "") + ": " + message;
  }
}
