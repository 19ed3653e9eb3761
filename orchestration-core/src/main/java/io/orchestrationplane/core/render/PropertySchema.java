package io.orchestrationplane.core.render;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The properties a component or trait type accepts. Validation reports unknown, mistyped,
 * out-of-range and missing required properties; {@link #resolve} fills in defaults.
 *
 * <pre>{@code
 * PropertySchema schema = PropertySchema.builder()
 *     .required("image", PropertyType.STRING, "Container image")
 *     .optional("port", PropertyType.INTEGER, 80, "Port the container listens on")
 *     .build();
 * }</pre>
 */
public final class PropertySchema {
  /** A schema that accepts no properties. */
  public static final PropertySchema EMPTY = builder().build();

  private final Map<String, PropertySpec> specs;
  private final boolean open;

  private PropertySchema(Map<String, PropertySpec> specs, boolean open) {
    this.specs = Collections.unmodifiableMap(new LinkedHashMap<>(specs));
    this.open = open;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The declared properties, in declaration order. */
  public List<PropertySpec> properties() {
    return List.copyOf(specs.values());
  }

  /** True when undeclared properties are accepted (and passed through unchecked). */
  public boolean isOpen() {
    return open;
  }

  /** The spec of a property, or {@code null}. */
  public @Nullable PropertySpec spec(String name) {
    return specs.get(name);
  }

  /**
   * Problems with the given (canonical) values, each as {@code [property, message]}; empty when
   * they are valid.
   */
  public List<String[]> check(Map<String, Object> values) {
    List<String[]> problems = new ArrayList<>();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      PropertySpec spec = specs.get(e.getKey());
      if (spec == null) {
        if (!open) {
          problems.add(new String[] {e.getKey(), "unknown property '" + e.getKey() + "'"
              + (specs.isEmpty() ? " (this type takes no properties)" : " (known: " + String.join(", ", specs.keySet()) + ")")});
        }
        continue;
      }
      Object v = e.getValue();
      if (v == null) {
        if (spec.required()) {
          problems.add(new String[] {e.getKey(), "is required and must not be null"});
        }
        continue;
      }
      if (!spec.type().accepts(v)) {
        problems.add(new String[] {e.getKey(), "must be " + spec.type().description() + ", got "
            + (spec.sensitive() ? kindOf(v) + " (value hidden: sensitive)" : describe(v))});
      } else if (spec.minimum() != null && v instanceof Number n && n.doubleValue() < spec.minimum()) {
        problems.add(new String[] {e.getKey(), "must be at least " + spec.minimum()
            + (spec.sensitive() ? " (value hidden: sensitive)" : ", got " + v)});
      }
    }
    for (PropertySpec spec : specs.values()) {
      if (spec.required() && !values.containsKey(spec.name())) {
        problems.add(new String[] {spec.name(), "required property '" + spec.name() + "' is missing ("
            + spec.description() + ")"});
      }
    }
    return problems;
  }

  /** The values with defaults filled in for absent properties. */
  public Properties resolve(Map<String, Object> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (PropertySpec spec : specs.values()) {
      if (spec.defaultValue() != null) {
        out.put(spec.name(), spec.defaultValue());
      }
    }
    values.forEach((k, v) -> {
      if (v != null) {
        out.put(k, v);
      }
    });
    return new Properties(out);
  }

  private static String kindOf(Object v) {
    if (v instanceof String) {
      return "a string";
    }
    if (v instanceof Map<?, ?>) {
      return "an object";
    }
    if (v instanceof List<?>) {
      return "a list";
    }
    return v instanceof Boolean ? "a boolean" : "a number";
  }

  private static String describe(Object v) {
    if (v instanceof String s) {
      return "\"" + s + "\"";
    }
    if (v instanceof Map<?, ?>) {
      return "an object";
    }
    if (v instanceof List<?>) {
      return "a list";
    }
    return v.toString();
  }

  /** Builds a {@link PropertySchema}. */
  public static final class Builder {
    private final Map<String, PropertySpec> specs = new LinkedHashMap<>();
    private boolean open;

    public Builder required(String name, PropertyType type, String description) {
      return add(new PropertySpec(name, type, true, null, description, null, false));
    }

    public Builder optional(String name, PropertyType type, @Nullable Object defaultValue, String description) {
      return add(new PropertySpec(name, type, false, defaultValue, description, null, false));
    }

    public Builder optional(String name, PropertyType type, String description) {
      return optional(name, type, null, description);
    }

    public Builder add(PropertySpec spec) {
      if (specs.putIfAbsent(spec.name(), spec) != null) {
        throw new IllegalArgumentException("property '" + spec.name() + "' is declared twice");
      }
      return this;
    }

    /** Accept undeclared properties too. */
    public Builder open() {
      this.open = true;
      return this;
    }

    public PropertySchema build() {
      return new PropertySchema(specs, open);
    }
  }
}
