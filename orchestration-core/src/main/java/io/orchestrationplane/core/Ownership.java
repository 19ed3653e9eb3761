package io.orchestrationplane.core;

/**
 * The labels and annotation the plane puts on everything it applies. Prune deletes only objects
 * carrying {@link #MANAGED_BY_LABEL} = {@link #MANAGER} and this application's
 * {@link #APPLICATION_LABEL}; nothing else is ever deleted.
 */
public final class Ownership {
  /** {@code app.kubernetes.io/managed-by}. */
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  /** The managed-by value, also the field manager name on Kubernetes. */
  public static final String MANAGER = "orchestration-plane";
  /** {@code orchestrationplane.io/application}: {@code <namespace>.<name>} of the owning application. */
  public static final String APPLICATION_LABEL = "orchestrationplane.io/application";
  /** {@code orchestrationplane.io/component}: the component that rendered the object. */
  public static final String COMPONENT_LABEL = "orchestrationplane.io/component";
  /** {@code orchestrationplane.io/environment}: the environment the object belongs to. */
  public static final String ENVIRONMENT_LABEL = "orchestrationplane.io/environment";
  /** {@code orchestrationplane.io/content-hash}: SHA-256 of the desired content. */
  public static final String CONTENT_HASH_ANNOTATION = "orchestrationplane.io/content-hash";

  private Ownership() {}

  /** True when the plane manages the object on behalf of the given application id. */
  public static boolean isOwnedBy(Resource resource, String applicationId) {
    return MANAGER.equals(resource.label(MANAGED_BY_LABEL))
        && applicationId.equals(resource.label(APPLICATION_LABEL));
  }

  /** The owning application id, or {@code null} when the plane does not manage the object. */
  public static String owner(Resource resource) {
    return MANAGER.equals(resource.label(MANAGED_BY_LABEL)) ? resource.label(APPLICATION_LABEL) : null;
  }
}
