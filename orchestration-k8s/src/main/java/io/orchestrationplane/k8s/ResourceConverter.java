package io.orchestrationplane.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * Converts between core {@link Resource} and fabric8 objects, so users can hand the plane the
 * typed objects they already build (fabric8 and this project share Jackson 3).
 *
 * <pre>{@code
 * Deployment d = new DeploymentBuilder().withNewMetadata().withName("api").endMetadata()...build();
 * Resource r = ResourceConverter.create().toResource(d);
 * }</pre>
 */
public final class ResourceConverter {
  private final KubernetesSerialization serialization;

  private ResourceConverter(KubernetesSerialization serialization) {
    this.serialization = Objects.requireNonNull(serialization, "serialization");
  }

  /** A converter with fabric8's default serialization (every built-in model type known). */
  public static ResourceConverter create() {
    return new ResourceConverter(new KubernetesSerialization());
  }

  /** A converter using a client's serialization, so custom types registered there are known. */
  public static ResourceConverter of(KubernetesSerialization serialization) {
    return new ResourceConverter(serialization);
  }

  /**
   * The object as a {@link Resource}. Throws {@link IllegalArgumentException} when apiVersion,
   * kind or metadata.name is missing.
   */
  public Resource toResource(HasMetadata object) {
    Objects.requireNonNull(object, "object");
    JsonNode tree = serialization.convertValue(object, JsonNode.class);
    return Resource.of(tree);
  }

  /** Every object as a {@link Resource}, in order. */
  public List<Resource> toResources(Collection<? extends HasMetadata> objects) {
    List<Resource> out = new ArrayList<>(objects.size());
    for (HasMetadata o : objects) {
      out.add(toResource(o));
    }
    return out;
  }

  /** The resource as fabric8's untyped object. */
  public GenericKubernetesResource toGeneric(Resource resource) {
    Objects.requireNonNull(resource, "resource");
    return serialization.convertValue(resource.json(), GenericKubernetesResource.class);
  }

  /** The resource as a typed fabric8 object, such as {@code Deployment.class}. */
  public <T extends HasMetadata> T toTyped(Resource resource, Class<T> type) {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(type, "type");
    String expectedKind = HasMetadata.getKind(type);
    if (!type.equals(GenericKubernetesResource.class) && expectedKind != null && !expectedKind.equals(resource.kind())) {
      throw new IllegalArgumentException(resource.kind() + " " + resource.name() + " cannot be read as "
          + type.getSimpleName() + " (kind " + expectedKind + ")");
    }
    return serialization.convertValue(resource.json(), type);
  }
}
