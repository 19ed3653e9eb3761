package io.orchestrationplane.core.resource;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the plane knows about kinds without asking a cluster: which are cluster-scoped (so they
 * get no namespace) and the order they are applied in (DESIGN.md: Namespace, CRD,
 * ServiceAccount/RBAC, ConfigMap/Secret, PVC, Service, workloads, Ingress/HPA, then the rest).
 * Extend it with {@link Builder} for custom resources.
 */
public final class Kinds {
  private static final List<List<String>> ORDER = List.of(
      List.of("Namespace"),
      List.of("CustomResourceDefinition"),
      List.of("ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
      List.of("ResourceQuota", "LimitRange", "PriorityClass", "StorageClass", "NetworkPolicy",
          "PodDisruptionBudget"),
      List.of("ConfigMap", "Secret"),
      List.of("PersistentVolume", "PersistentVolumeClaim"),
      List.of("Service"),
      List.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Pod", "Job",
          "CronJob"),
      List.of("Ingress", "HorizontalPodAutoscaler"));

  private static final Set<String> CLUSTER_SCOPED = Set.of(
      "Namespace", "Node", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding",
      "CustomResourceDefinition", "APIService", "PriorityClass", "RuntimeClass", "IngressClass",
      "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "ValidatingAdmissionPolicy",
      "ValidatingAdmissionPolicyBinding", "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
      "CSIDriver", "CSINode", "VolumeAttachment", "CertificateSigningRequest", "FlowSchema",
      "PriorityLevelConfiguration", "GatewayClass", "ClusterIssuer", "VolumeSnapshotClass");

  private final Map<String, Integer> rank;
  private final Set<String> clusterScoped;

  private Kinds(Map<String, Integer> rank, Set<String> clusterScoped) {
    this.rank = Map.copyOf(rank);
    this.clusterScoped = Set.copyOf(clusterScoped);
  }

  /** The built-in table. */
  public static Kinds defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** True when objects of this kind have no namespace. */
  public boolean isClusterScoped(String kind) {
    return clusterScoped.contains(kind);
  }

  /** The kind's place in apply order; unknown kinds come after every known one. */
  public int applyRank(String kind) {
    return rank.getOrDefault(kind, ORDER.size());
  }

  /** Builds a {@link Kinds} table from the defaults plus custom kinds. */
  public static final class Builder {
    private final Map<String, Integer> rank = new HashMap<>();
    private final Set<String> clusterScoped = new HashSet<>(CLUSTER_SCOPED);

    private Builder() {
      for (int i = 0; i < ORDER.size(); i++) {
        for (String k : ORDER.get(i)) {
          rank.put(k, i);
        }
      }
    }

    /** Declares a cluster-scoped kind (a custom resource, say). */
    public Builder clusterScoped(String kind) {
      clusterScoped.add(kind);
      return this;
    }

    /** Applies {@code kind} in the same wave as {@code sameAs} (e.g. a CRD's objects with workloads). */
    public Builder applyWith(String kind, String sameAs) {
      Integer r = rank.get(sameAs);
      if (r == null) {
        throw new IllegalArgumentException("unknown kind '" + sameAs + "' to order '" + kind + "' with");
      }
      rank.put(kind, r);
      return this;
    }

    public Kinds build() {
      return new Kinds(rank, clusterScoped);
    }
  }
}
