package io.orchestrationplane.core.resource;

import java.util.Objects;

/**
 * An API group and kind, independent of version: {@code apps/Deployment}, or {@code /Pod} for
 * the core group.
 */
public record GroupKind(String group, String kind) {
  public GroupKind {
    Objects.requireNonNull(group, "group");
    if (kind == null || kind.isEmpty()) {
      throw new IllegalArgumentException("kind must not be empty");
    }
  }

  /** The group and kind named by an {@code apiVersion} such as {@code apps/v1} and a kind. */
  public static GroupKind of(String apiVersion, String kind) {
    return new GroupKind(Resource.groupOf(apiVersion), kind);
  }

  // Written out (instead of the record's generated ones): hashed and compared on every listing.
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof GroupKind other && kind.equals(other.kind) && group.equals(other.group);
  }

  @Override
  public int hashCode() {
    return 31 * group.hashCode() + kind.hashCode();
  }

  @Override
  public String toString() {
    return group.isEmpty() ? kind : kind + "." + group;
  }
}
