package io.orchestrationplane.testkit.assertions.internal;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.Map;
import java.util.Optional;

/**
 * Turns what a test writes ({@code "Deployment"}, {@code "apps/Deployment"}, {@code "shop/api"})
 * into group, kind, namespace and name. Well-known kinds need no group.
 */
public final class KindNames {
  private static final Map<String, String> GROUPS = Map.ofEntries(
      Map.entry("Deployment", "apps"), Map.entry("StatefulSet", "apps"), Map.entry("DaemonSet", "apps"),
      Map.entry("ReplicaSet", "apps"), Map.entry("Job", "batch"), Map.entry("CronJob", "batch"),
      Map.entry("Ingress", "networking.k8s.io"), Map.entry("NetworkPolicy", "networking.k8s.io"),
      Map.entry("IngressClass", "networking.k8s.io"), Map.entry("HorizontalPodAutoscaler", "autoscaling"),
      Map.entry("PodDisruptionBudget", "policy"), Map.entry("Role", "rbac.authorization.k8s.io"),
      Map.entry("RoleBinding", "rbac.authorization.k8s.io"), Map.entry("ClusterRole", "rbac.authorization.k8s.io"),
      Map.entry("ClusterRoleBinding", "rbac.authorization.k8s.io"),
      Map.entry("CustomResourceDefinition", "apiextensions.k8s.io"), Map.entry("StorageClass", "storage.k8s.io"),
      Map.entry("Service", ""), Map.entry("ConfigMap", ""), Map.entry("Secret", ""), Map.entry("Pod", ""),
      Map.entry("PersistentVolumeClaim", ""), Map.entry("PersistentVolume", ""), Map.entry("Namespace", ""),
      Map.entry("ServiceAccount", ""), Map.entry("ResourceQuota", ""), Map.entry("LimitRange", ""),
      Map.entry("Endpoints", ""), Map.entry("Node", ""));

  private KindNames() {}

  /** The group and kind; empty when the kind is not well known and has no {@code group/} prefix. */
  public static Optional<GroupKind> groupKind(String kind) {
    if (kind == null || kind.isBlank()) {
      throw new IllegalArgumentException("kind must not be blank");
    }
    int slash = kind.lastIndexOf('/');
    if (slash >= 0) {
      return Optional.of(new GroupKind(kind.substring(0, slash), kind.substring(slash + 1)));
    }
    String group = GROUPS.get(kind);
    return group == null ? Optional.empty() : Optional.of(new GroupKind(group, kind));
  }

  /** The key of {@code namespace/name} (or {@code name} for cluster-scoped objects) in a cluster. */
  public static ResourceKey key(String cluster, GroupKind kind, String namespacedName) {
    if (namespacedName == null || namespacedName.isBlank()) {
      throw new IllegalArgumentException("name must not be blank; write \"namespace/name\" or \"name\"");
    }
    int slash = namespacedName.indexOf('/');
    String ns = slash < 0 ? "" : namespacedName.substring(0, slash);
    String name = slash < 0 ? namespacedName : namespacedName.substring(slash + 1);
    return ResourceKey.of(cluster, kind.group(), kind.kind(), ns, name);
  }

  /** True when {@code kind} as a test writes it names {@code key}'s kind. */
  public static boolean sameKind(String kind, ResourceKey key) {
    int slash = kind.lastIndexOf('/');
    return slash < 0 ? kind.equals(key.kind())
        : kind.substring(slash + 1).equals(key.kind()) && kind.substring(0, slash).equals(key.group());
  }
}
