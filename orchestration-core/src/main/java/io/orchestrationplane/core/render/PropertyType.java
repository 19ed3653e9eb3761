package io.orchestrationplane.core.render;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** The type of a component or trait property, checked before rendering. */
public enum PropertyType {
  STRING("a string"),
  INTEGER("an integer"),
  NUMBER("a number"),
  BOOLEAN("a boolean"),
  STRING_LIST("a list of strings"),
  INTEGER_LIST("a list of integers"),
  STRING_MAP("a map of strings to strings"),
  OBJECT("an object"),
  LIST("a list"),
  ANY("any value");

  private final String description;

  PropertyType(String description) {
    this.description = description;
  }

  /** How the type reads in an error message: "a list of strings". */
  public String description() {
    return description;
  }

  /** True when the (canonical) value has this type. */
  public boolean accepts(Object value) {
    return switch (this) {
      case STRING -> value instanceof String;
      case INTEGER -> value instanceof Long;
      case NUMBER -> value instanceof Long || value instanceof Double || value instanceof BigDecimal;
      case BOOLEAN -> value instanceof Boolean;
      case STRING_LIST -> value instanceof List<?> l && l.stream().allMatch(String.class::isInstance);
      case INTEGER_LIST -> value instanceof List<?> l && l.stream().allMatch(Long.class::isInstance);
      case STRING_MAP -> value instanceof Map<?, ?> m && m.values().stream().allMatch(String.class::isInstance);
      case OBJECT -> value instanceof Map<?, ?>;
      case LIST -> value instanceof List<?>;
      case ANY -> true;
    };
  }
}
