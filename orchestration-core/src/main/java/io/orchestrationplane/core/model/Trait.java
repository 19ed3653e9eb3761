package io.orchestrationplane.core.model;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An operational behaviour attached to a component, such as {@code scaler} or {@code ingress}:
 * a registered {@code TraitType} and its properties.
 *
 * <pre>{@code
 * Trait ingress = Trait.of("ingress", Map.of("host", "shop.example.com"));
 * }</pre>
 */
public record Trait(String type, Map<String, Object> properties) {
  public Trait {
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("trait type must not be blank");
    }
    properties = Values.canonicalMap(properties, "trait " + type);
  }

  public static Trait of(String type, Map<String, ?> properties) {
    return new Trait(type, Values.canonicalMap(properties, "trait " + type));
  }

  public static Trait of(String type) {
    return new Trait(type, Map.of());
  }

  /** A property value, or {@code null}. */
  public @Nullable Object property(String name) {
    return properties.get(Objects.requireNonNull(name, "name"));
  }
}
