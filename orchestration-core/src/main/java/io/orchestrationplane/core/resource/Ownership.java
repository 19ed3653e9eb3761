package io.orchestrationplane.core.resource;

import org.jspecify.annotations.Nullable;

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
  /**
   * {@code orchestrationplane.io/content-hash}: SHA-256 of the desired content, secret values left
   * out (a Secret's data keys count, its values do not), so the annotation reveals nothing.
   */
  public static final String CONTENT_HASH_ANNOTATION = "orchestrationplane.io/content-hash";
  /**
   * {@code orchestrationplane.io/applied-fields}: the fields the plane set, without values (objects
   * of field names, {@code 1} for a value, list elements merged by key under their key), so that a
   * field the plane stops setting is named as removed and removed by client-side apply.
   */
  public static final String APPLIED_FIELDS_ANNOTATION = "orchestrationplane.io/applied-fields";
  /**
   * {@code orchestrationplane.io/keep-on-remove}: {@code "true"} on an object the plane must leave
   * in place when the application is removed or stops rendering it (a Namespace others share, a
   * PersistentVolumeClaim with data). The plane stops managing it and lists it as kept.
   */
  public static final String KEEP_ON_REMOVE_ANNOTATION = "orchestrationplane.io/keep-on-remove";

  private Ownership() {}

  /** True when the plane manages the object on behalf of the given application id. */
  public static boolean isOwnedBy(Resource resource, String applicationId) {
    return MANAGER.equals(resource.label(MANAGED_BY_LABEL))
        && applicationId.equals(resource.label(APPLICATION_LABEL));
  }

  /** True when the object is marked to stay when its application no longer wants it. */
  public static boolean keepOnRemove(Resource resource) {
    return "true".equalsIgnoreCase(resource.annotation(KEEP_ON_REMOVE_ANNOTATION));
  }

  /**
   * The applied-fields skeleton of an object (see {@link #APPLIED_FIELDS_ANNOTATION}), as compact
   * JSON: status, server metadata and the plane's own derived annotations left out.
   */
  public static String appliedFields(Resource resource) {
    return io.orchestrationplane.core.resource.internal.Skeleton.appliedFields(resource.json(), resource.groupKind());
  }

  /** The owning application id, or {@code null} when the plane does not manage the object. */
  public static @Nullable String owner(Resource resource) {
    return MANAGER.equals(resource.label(MANAGED_BY_LABEL)) ? resource.label(APPLICATION_LABEL) : null;
  }
}
