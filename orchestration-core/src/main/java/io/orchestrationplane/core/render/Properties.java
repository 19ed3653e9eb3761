package io.orchestrationplane.core.render;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Validated property values with defaults applied, with typed getters for renderers. Values
 * are canonical: integers are {@code Long}, maps and lists unmodifiable.
 */
public record Properties(Map<String, Object> values) {
  public Properties {
    values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
  }

  public boolean has(String name) {
    return values.get(name) != null;
  }

  public @Nullable Object get(String name) {
    return values.get(Objects.requireNonNull(name, "name"));
  }

  /** A string property, or {@code null}. */
  public @Nullable String string(String name) {
    return (String) values.get(name);
  }

  /** An integer property, or {@code fallback} when absent. */
  public long integer(String name, long fallback) {
    Object v = values.get(name);
    return v == null ? fallback : ((Number) v).longValue();
  }

  public boolean bool(String name, boolean fallback) {
    Object v = values.get(name);
    return v == null ? fallback : (Boolean) v;
  }

  @SuppressWarnings("unchecked")
  public List<String> strings(String name) {
    Object v = values.get(name);
    return v == null ? List.of() : (List<String>) v;
  }

  @SuppressWarnings("unchecked")
  public List<Long> integers(String name) {
    Object v = values.get(name);
    return v == null ? List.of() : (List<Long>) v;
  }

  @SuppressWarnings("unchecked")
  public Map<String, String> stringMap(String name) {
    Object v = values.get(name);
    return v == null ? Map.of() : (Map<String, String>) v;
  }

  @SuppressWarnings("unchecked")
  public List<Object> list(String name) {
    Object v = values.get(name);
    return v == null ? List.of() : (List<Object>) v;
  }
}
