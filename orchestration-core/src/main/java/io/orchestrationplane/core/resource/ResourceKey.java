package io.orchestrationplane.core.resource;

import java.util.Comparator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Identifies one object in one cluster: cluster, API group, kind, namespace and name. The
 * namespace is empty for cluster-scoped kinds; the group is empty for the core API group.
 *
 * <pre>{@code
 * ResourceKey key = ResourceKey.of("prod", "apps", "Deployment", "shop", "api");
 * key.display(); // "Deployment shop/api"
 * }</pre>
 */
public record ResourceKey(String cluster, String group, String kind, String namespace, String name)
    implements Comparable<ResourceKey> {

  private static final Comparator<ResourceKey> ORDER = Comparator.comparing(ResourceKey::cluster)
      .thenComparing(ResourceKey::group)
      .thenComparing(ResourceKey::kind)
      .thenComparing(ResourceKey::namespace)
      .thenComparing(ResourceKey::name);

  public ResourceKey {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(namespace, "namespace");
    if (kind == null || kind.isEmpty()) {
      throw new IllegalArgumentException("kind must not be empty");
    }
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
  }

  /** A key; {@code namespace} may be {@code null} for cluster-scoped kinds. */
  public static ResourceKey of(String cluster, String group, String kind, @Nullable String namespace, String name) {
    return new ResourceKey(cluster, group, kind, namespace == null ? "" : namespace, name);
  }

  /** The same object in another cluster. */
  public ResourceKey inCluster(String otherCluster) {
    return new ResourceKey(otherCluster, group, kind, namespace, name);
  }

  /** The group and kind of this key. */
  public GroupKind groupKind() {
    return new GroupKind(group, kind);
  }

  /** {@code namespace/name}, or {@code name} when cluster-scoped. */
  public String namespacedName() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }

  /** How people name the object: {@code Deployment shop/api}. */
  public String display() {
    return kind + " " + namespacedName();
  }

  @Override
  public int compareTo(ResourceKey other) {
    return ORDER.compare(this, other);
  }

  // equals and hashCode written out: a record's generated ones bootstrap method handles at their
  // first call, a noticeable part of a fresh JVM's first plan, where keys are hashed first.
  @Override
  public boolean equals(@Nullable Object o) {
    return this == o || o instanceof ResourceKey k && name.equals(k.name) && namespace.equals(k.namespace)
        && kind.equals(k.kind) && group.equals(k.group) && cluster.equals(k.cluster);
  }

  @Override
  public int hashCode() {
    int h = cluster.hashCode();
    h = 31 * h + group.hashCode();
    h = 31 * h + kind.hashCode();
    h = 31 * h + namespace.hashCode();
    return 31 * h + name.hashCode();
  }

  @Override
  public String toString() {
    return (cluster.isEmpty() ? "" : cluster + ":") + (group.isEmpty() ? "" : group + "/") + display();
  }
}
