package io.orchestrationplane.jdbc.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL schema name checked once, so that it can be written into SQL text: a lower-case
 * unquoted identifier of at most 63 characters ({@code NAMEDATALEN - 1}), which PostgreSQL folds to
 * itself. Absent means "the connection's {@code search_path}".
 */
public final class SqlNames {
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final @Nullable String schema;

  private SqlNames(@Nullable String schema) {
    this.schema = schema;
  }

  /** Unqualified names, resolved through the connection's {@code search_path}. */
  public static SqlNames unqualified() {
    return new SqlNames(null);
  }

  /**
   * Names qualified by {@code schema}.
   *
   * @throws IllegalArgumentException unless {@code schema} is 1-63 of {@code a-z}, {@code 0-9} and
   *     {@code _}, not starting with a digit
   */
  public static SqlNames inSchema(String schema) {
    Objects.requireNonNull(schema, "schema");
    if (!IDENTIFIER.matcher(schema).matches()) {
      throw new IllegalArgumentException("schema '" + (schema.length() > 70 ? schema.substring(0, 67) + "..." : schema)
          + "' is not valid: use 1-63 lower-case letters, digits and '_', not starting with a digit (an unquoted "
          + "PostgreSQL identifier)");
    }
    return new SqlNames(schema);
  }

  /** The schema, empty for unqualified names. */
  public Optional<String> schema() {
    return Optional.ofNullable(schema);
  }

  /** {@code table} qualified by the schema: {@code plane.state}, or {@code state}. */
  public String qualify(String table) {
    return schema == null ? table : schema + "." + table;
  }
}
