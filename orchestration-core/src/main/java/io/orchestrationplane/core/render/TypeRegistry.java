package io.orchestrationplane.core.render;

import io.orchestrationplane.core.render.internal.AutoscalerTrait;
import io.orchestrationplane.core.render.internal.CronJobType;
import io.orchestrationplane.core.render.internal.EnvTrait;
import io.orchestrationplane.core.render.internal.IstioTrait;
import io.orchestrationplane.core.render.internal.LinkerdTrait;
import io.orchestrationplane.core.render.internal.ServiceAccountTrait;
import io.orchestrationplane.core.render.internal.IngressTrait;
import io.orchestrationplane.core.render.internal.JobType;
import io.orchestrationplane.core.render.internal.K8sObjectsType;
import io.orchestrationplane.core.render.internal.LabelsTrait;
import io.orchestrationplane.core.render.internal.NetworkPolicyTrait;
import io.orchestrationplane.core.render.internal.ResourcesTrait;
import io.orchestrationplane.core.render.internal.ScalerTrait;
import io.orchestrationplane.core.render.internal.StorageTrait;
import io.orchestrationplane.core.render.internal.WebserviceType;
import io.orchestrationplane.core.render.internal.WorkerType;
import io.orchestrationplane.core.resource.GroupKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The component types and trait types an application is rendered with. Starts from
 * the built-ins; users add their own or replace a built-in by registering the same name.
 *
 * <pre>{@code
 * TypeRegistry types = TypeRegistry.builder().component(new RedisType()).build();
 * }</pre>
 */
public final class TypeRegistry {
  private static final java.util.Comparator<GroupKind> BY_NAME = java.util.Comparator.comparing(GroupKind::toString);
  private final Map<String, ComponentType> components;
  private final Map<String, TraitType> traits;

  private TypeRegistry(Builder b) {
    this.components = Collections.unmodifiableMap(new LinkedHashMap<>(b.components));
    this.traits = Collections.unmodifiableMap(new LinkedHashMap<>(b.traits));
  }

  /** The built-in types only. */
  public static TypeRegistry builtIns() {
    return builder().build();
  }

  /** A builder that starts from the built-ins. */
  public static Builder builder() {
    return new Builder(true);
  }

  /** A builder with no types at all. */
  public static Builder empty() {
    return new Builder(false);
  }

  public Optional<ComponentType> component(String name) {
    return Optional.ofNullable(components.get(name));
  }

  public Optional<TraitType> trait(String name) {
    return Optional.ofNullable(traits.get(name));
  }

  /** Every component type, in registration order. */
  public List<ComponentType> componentTypes() {
    return List.copyOf(components.values());
  }

  /** Every trait type, in registration order. */
  public List<TraitType> traitTypes() {
    return List.copyOf(traits.values());
  }

  /** Every kind a registered type declares it renders ({@link ComponentType#kinds()}), in registration order. */
  public Set<GroupKind> renderedKinds() {
    Set<GroupKind> out = new LinkedHashSet<>();
    // each type's kinds sorted: a type may declare them with Set.of, whose order changes between JVM runs
    components.values().forEach(t -> t.kinds().stream().sorted(BY_NAME).forEach(out::add));
    traits.values().forEach(t -> t.kinds().stream().sorted(BY_NAME).forEach(out::add));
    return Collections.unmodifiableSet(out);
  }

  /** Builds a {@link TypeRegistry}. */
  public static final class Builder {
    private final Map<String, ComponentType> components = new LinkedHashMap<>();
    private final Map<String, TraitType> traits = new LinkedHashMap<>();

    private Builder(boolean builtIns) {
      if (builtIns) {
        List.of(new WebserviceType(), new WorkerType(), new JobType(), new CronJobType(), new K8sObjectsType())
            .forEach(this::component);
        List.of(new ScalerTrait(), new EnvTrait(), new ResourcesTrait(), new LabelsTrait(), new IngressTrait(),
            new AutoscalerTrait(), new StorageTrait(), new NetworkPolicyTrait(), new ServiceAccountTrait(), new IstioTrait(),
            new LinkerdTrait()).forEach(this::trait);
      }
    }

    /** Registers a component type, replacing any with the same name. */
    public Builder component(ComponentType type) {
      components.put(requireName(Objects.requireNonNull(type, "type").name()), type);
      return this;
    }

    /** Registers a trait type, replacing any with the same name. */
    public Builder trait(TraitType type) {
      traits.put(requireName(Objects.requireNonNull(type, "type").name()), type);
      return this;
    }

    public TypeRegistry build() {
      return new TypeRegistry(this);
    }

    private static String requireName(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a type needs a non-blank name");
      }
      return name;
    }
  }
}
