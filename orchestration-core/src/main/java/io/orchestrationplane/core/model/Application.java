package io.orchestrationplane.core.model;

import io.orchestrationplane.core.resource.internal.StringDedup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The typed desired state of one application: its name and namespace, labels, the components
 * it is made of, and the environments it is deployed to. Values are immutable; build them in
 * Java or decode them from YAML/JSON with {@link ApplicationCodec}.
 *
 * <pre>{@code
 * Application shop = Application.builder("shop")
 *     .namespace("shop")
 *     .component(Component.builder("api", "webservice").property("image", "acme/api:1.4").build())
 *     .environment(Environment.builder("prod").clusters("prod").build())
 *     .build();
 * }</pre>
 *
 * <p>Structural rules that need no registry (unique names, known dependencies, no cycles, valid
 * Kubernetes names) are checked by {@code validate}, which reports every problem at once; the
 * constructor only rejects nulls and blanks.
 */
public record Application(String name, String namespace, Map<String, String> labels,
    List<Component> components, List<Environment> environments, List<IgnoreDifferences> ignoreDifferences) {

  /** The apiVersion of the YAML/JSON envelope. */
  public static final String API_VERSION = "orchestrationplane.io/v1alpha1";
  /** The kind of the YAML/JSON envelope. */
  public static final String KIND = "Application";
  /** Recent ids: a bounded, lossy set, so that an application's id is one string, not one per caller. */
  private static final StringDedup IDS = new StringDedup(8192);

  public Application {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("application name must not be blank");
    }
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException("application '" + name + "': namespace must not be blank");
    }
    labels = Map.copyOf(labels == null ? Map.of() : labels);
    components = List.copyOf(components == null ? List.of() : components);
    environments = List.copyOf(environments == null ? List.of() : environments);
    ignoreDifferences = List.copyOf(ignoreDifferences == null ? List.of() : ignoreDifferences);
  }

  /** An application without ignore rules. */
  public Application(String name, String namespace, Map<String, String> labels, List<Component> components,
      List<Environment> environments) {
    this(name, namespace, labels, components, environments, List.of());
  }

  /**
   * True when {@code other} is equal to this application and every map in it (component
   * properties, overrides) lists its entries in the same order. {@link #equals} follows
   * {@link Map#equals} and ignores that order, but rendering does not (a map of environment
   * variables becomes an ordered list), so a plane decides by this whether an application
   * changed.
   */
  public boolean sameAs(Application other) {
    // an application is immutable: the very same instance is the same, order included
    return other == this || other != null && equals(other) && Values.sameOrder(this, other);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** {@code <namespace>.<name>}: the value of the ownership label on everything it owns. */
  public String id() {
    // one string for the many maps a plane keys by it (rendered, submitted, statuses, queues...)
    return IDS.dedup(namespace, '.', name);
  }

  public Optional<Component> component(String componentName) {
    return components.stream().filter(c -> c.name().equals(componentName)).findFirst();
  }

  public Optional<Environment> environment(String environmentName) {
    return environments.stream().filter(e -> e.name().equals(environmentName)).findFirst();
  }

  /** A builder holding this application's values, for edits. */
  public Builder toBuilder() {
    Builder b = new Builder(name).namespace(namespace).labels(labels);
    components.forEach(b::component);
    environments.forEach(b::environment);
    ignoreDifferences.forEach(b::ignoreDifferences);
    return b;
  }

  /** Builds an {@link Application}. */
  public static final class Builder {
    private final String name;
    private String namespace = "default";
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<Component> components = new ArrayList<>();
    private final List<Environment> environments = new ArrayList<>();
    private final List<IgnoreDifferences> ignoreDifferences = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    /** The application's namespace (default {@code default}); also its environments' default. */
    public Builder namespace(String value) {
      this.namespace = value;
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    public Builder labels(Map<String, String> values) {
      labels.putAll(values);
      return this;
    }

    /** Adds a component, or replaces the one with the same name in place. */
    public Builder component(Component component) {
      Objects.requireNonNull(component, "component");
      for (int i = 0; i < components.size(); i++) {
        if (components.get(i).name().equals(component.name())) {
          components.set(i, component);
          return this;
        }
      }
      components.add(component);
      return this;
    }

    /** Removes the component of that name. */
    public Builder removeComponent(String componentName) {
      components.removeIf(c -> c.name().equals(componentName));
      return this;
    }

    /** Adds an environment, or replaces the one with the same name in place. */
    public Builder environment(Environment environment) {
      Objects.requireNonNull(environment, "environment");
      for (int i = 0; i < environments.size(); i++) {
        if (environments.get(i).name().equals(environment.name())) {
          environments.set(i, environment);
          return this;
        }
      }
      environments.add(environment);
      return this;
    }

    /**
     * Differences the planner does not count for this application's objects (Argo CD's
     * {@code ignoreDifferences}), besides the plane's own rules.
     */
    public Builder ignoreDifferences(IgnoreDifferences rule) {
      ignoreDifferences.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    public Application build() {
      return new Application(name, namespace, labels, components, environments, ignoreDifferences);
    }
  }
}
