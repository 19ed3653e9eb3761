package io.orchestrationplane.core.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One deployable part of an application: a name, a registered {@code ComponentType} such as
 * {@code webservice}, the type's properties, traits, and the components it depends on (which
 * are applied first).
 *
 * <pre>{@code
 * Component api = Component.builder("api", "webservice")
 *     .property("image", "ghcr.io/acme/api:1.4.2")
 *     .property("port", 8080)
 *     .trait(Trait.of("scaler", Map.of("replicas", 3)))
 *     .dependsOn("db")
 *     .build();
 * }</pre>
 */
public record Component(String name, String type, Map<String, Object> properties, List<Trait> traits,
    List<String> dependsOn) {

  public Component {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("component name must not be blank");
    }
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("component '" + name + "': type must not be blank");
    }
    properties = Values.canonicalMap(properties, "component " + name);
    traits = List.copyOf(traits == null ? List.of() : traits);
    dependsOn = List.copyOf(dependsOn == null ? List.of() : dependsOn);
  }

  public static Builder builder(String name, String type) {
    return new Builder(name, type);
  }

  /** A builder holding this component's values. */
  public Builder toBuilder() {
    Builder b = new Builder(name, type);
    b.properties.putAll(properties);
    b.traits.addAll(traits);
    b.dependsOn.addAll(dependsOn);
    return b;
  }

  /** A property value, or {@code null}. */
  public @Nullable Object property(String key) {
    return properties.get(Objects.requireNonNull(key, "key"));
  }

  /** Builds a {@link Component}. */
  public static final class Builder {
    private final String name;
    private final String type;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final List<Trait> traits = new ArrayList<>();
    private final List<String> dependsOn = new ArrayList<>();

    private Builder(String name, String type) {
      this.name = name;
      this.type = type;
    }

    public Builder property(String key, Object value) {
      properties.put(Objects.requireNonNull(key, "key"), value);
      return this;
    }

    public Builder properties(Map<String, ?> values) {
      properties.putAll(values);
      return this;
    }

    public Builder trait(Trait trait) {
      traits.add(Objects.requireNonNull(trait, "trait"));
      return this;
    }

    public Builder trait(String type, Map<String, ?> traitProperties) {
      return trait(Trait.of(type, traitProperties));
    }

    /** Removes the traits of that type. */
    public Builder withoutTrait(String traitType) {
      traits.removeIf(t -> t.type().equals(traitType));
      return this;
    }

    public Builder dependsOn(String... components) {
      dependsOn.addAll(List.of(components));
      return this;
    }

    public Component build() {
      return new Component(name, type, properties, traits, dependsOn);
    }
  }
}
