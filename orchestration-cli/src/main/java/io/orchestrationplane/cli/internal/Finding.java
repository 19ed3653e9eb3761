package io.orchestrationplane.cli.internal;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One thing to report against a file: a policy violation or warning, a validation problem, a
 * failed policy test. Becomes a SARIF result, a JSON object or a {@code file:line:column} line.
 *
 * @param rule the SARIF rule id: the policy's name, or {@code orchestrate/...} for the tool's own checks
 * @param level {@code error}, {@code warning} or {@code note} (SARIF levels)
 * @param message what is wrong
 * @param file the file the finding points into; null when none is known
 * @param line 1-based; 0 when unknown
 * @param column 1-based; 0 when unknown
 * @param field the field path or object concerned (may be empty)
 */
record Finding(String rule, String level, String message, @Nullable Path file, int line, int column, String field) {
  static final String ERROR = "error";
  static final String WARNING = "warning";
  static final String NOTE = "note";

  Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(field, "field");
    if (!level.equals(ERROR) && !level.equals(WARNING) && !level.equals(NOTE)) {
      throw new IllegalArgumentException("level must be error, warning or note, got " + level);
    }
  }

  /** {@code shop.yaml:12:7: spec.components[0].properties.port: must be at least 1}, compiler style. */
  String toText() {
    StringBuilder sb = new StringBuilder();
    if (file != null) {
      sb.append(Paths.display(file));
      if (line > 0) {
        sb.append(':').append(line);
        if (column > 0) {
          sb.append(':').append(column);
        }
      }
      sb.append(": ");
    }
    sb.append(level).append(": ");
    if (!field.isEmpty()) {
      sb.append(field).append(": ");
    }
    if (!rule.startsWith(Failures.TOOL_RULE_PREFIX)) {
      sb.append(rule).append(": ");
    }
    return sb.append(message).toString();
  }
}
