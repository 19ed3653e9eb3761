package io.orchestrationplane.core.render;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One declared property of a component or trait type: name, type, whether it is required, its
 * default, a one-line description (used in docs and error messages), an optional lower bound
 * for numbers, and whether its value is sensitive: validation messages then name its type, never
 * its value. (Rendered secret material belongs in a Secret, whose data plans show only as digests.)
 */
public record PropertySpec(String name, PropertyType type, boolean required, @Nullable Object defaultValue,
    String description, @Nullable Long minimum, boolean sensitive) {

  public PropertySpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("property name must not be blank");
    }
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    if (required && defaultValue != null) {
      throw new IllegalArgumentException("property '" + name + "' is required, so it cannot have a default");
    }
    if (defaultValue instanceof Integer i) {
      defaultValue = i.longValue();
    }
    if (defaultValue != null && !type.accepts(defaultValue)) {
      throw new IllegalArgumentException("default of property '" + name + "' is not " + type.description());
    }
  }
}
