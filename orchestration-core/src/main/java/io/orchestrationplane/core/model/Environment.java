package io.orchestrationplane.core.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A stage an application is deployed to, such as {@code staging} or {@code prod}: the
 * namespace its resources go to (the application's namespace when not set), its placement on
 * clusters, and per-component property overrides merged over the components' own properties
 * before rendering.
 *
 * <pre>{@code
 * Environment prod = Environment.builder("prod")
 *     .namespace("shop-prod")
 *     .clusterSelector(Map.of("tier", "prod"))   // every registered cluster labelled tier=prod
 *     .override("api", Map.of("replicas", 3))
 *     .build();
 * Environment canary = prod.toBuilder().name("prod-canary").clusters("prod-eu-1").build();
 * }</pre>
 */
public record Environment(String name, @Nullable String namespace, Placement placement,
    Map<String, Map<String, Object>> overrides) {

  public Environment {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("environment name must not be blank");
    }
    placement = placement == null ? Placement.everywhere() : placement;
    overrides = Values.canonicalOverrides(overrides == null ? Map.of() : overrides, "environment " + name);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * A builder holding this environment's name, namespace, placement and overrides, to derive a
   * changed copy; the environment itself is immutable.
   */
  public Builder toBuilder() {
    Builder b = new Builder(name).placement(placement);
    b.namespace = namespace;
    overrides.forEach(b::override);
    return b;
  }

  /** The overrides for one component (empty when none). */
  public Map<String, Object> overridesFor(String component) {
    return overrides.getOrDefault(component, Map.of());
  }

  /** Builds an {@link Environment}. */
  public static final class Builder {
    private String name;
    private @Nullable String namespace;
    private Placement placement = Placement.everywhere();
    private final Map<String, Map<String, Object>> overrides = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = name;
    }

    /** Renames the environment (for a copy made with {@link Environment#toBuilder()}). */
    public Builder name(String value) {
      this.name = Objects.requireNonNull(value, "name");
      return this;
    }

    /** The namespace for this environment's resources; defaults to the application's. */
    public Builder namespace(String value) {
      this.namespace = value;
      return this;
    }

    public Builder placement(Placement value) {
      this.placement = Objects.requireNonNull(value, "placement");
      return this;
    }

    /** Shorthand for {@code placement(Placement.clusters(names))}. */
    public Builder clusters(String... names) {
      return placement(Placement.clusters(names));
    }

    /**
     * Shorthand for {@code placement(Placement.selector(labels))}: every registered cluster whose
     * labels include all of these (the labels given to {@code OrchestrationPlane.Builder.cluster(driver,
     * labels)}); replaces the placement so far.
     */
    public Builder clusterSelector(Map<String, String> labels) {
      return placement(Placement.selector(Objects.requireNonNull(labels, "labels")));
    }

    /** Property overrides for one component, merged over (and replacing) its own properties. */
    public Builder override(String component, Map<String, ?> properties) {
      overrides.computeIfAbsent(component, c -> new LinkedHashMap<>()).putAll(properties);
      return this;
    }

    public Environment build() {
      return new Environment(name, namespace, placement, overrides);
    }
  }
}
