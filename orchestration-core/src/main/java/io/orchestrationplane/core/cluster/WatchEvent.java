package io.orchestrationplane.core.cluster;

import io.orchestrationplane.core.resource.Resource;
import java.util.Objects;

/**
 * A change seen on a cluster: the object as it is after the change (before it, for DELETED).
 */
public record WatchEvent(String cluster, Type type, Resource resource) {
  /** What happened to the object. */
  public enum Type { ADDED, MODIFIED, DELETED }

  public WatchEvent {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(resource, "resource");
  }
}
