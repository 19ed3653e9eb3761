package io.orchestrationplane.core.kind;

import io.orchestrationplane.core.health.HealthAssessor;
import io.orchestrationplane.core.health.HealthAssessors;
import io.orchestrationplane.core.resource.GroupKind;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The one table of what the plane knows about kinds, keyed by group/kind: scope, apply order,
 * health assessor, and whether the kind is watched and searched for leftovers. Every stage asks
 * it: the renderer for scope, the planner for order, status for health, continuous mode for what
 * to watch and prune. Immutable and thread-safe.
 *
 * <p>Apply order follows DESIGN.md: Namespace, CRD, ServiceAccount and RBAC, quotas and
 * policies, ConfigMap/Secret, volumes, Service, workloads, Ingress/HPA, then every kind the
 * catalogue does not know. The plane derives the watched and pruned kinds from the component
 * and trait types it is built with ({@code ComponentType.kinds()}): nobody lists them by hand.
 *
 * <pre>{@code
 * KindCatalog kinds = KindCatalog.builder()
 *     .clusterScoped(new GroupKind("example.com", "Tenant"))
 *     .applyWith(new GroupKind("example.com", "Widget"), new GroupKind("apps", "Deployment"))
 *     .manage(new GroupKind("example.com", "Widget"))      // watched and pruned
 *     .build();
 * }</pre>
 */
public final class KindCatalog {
  private static final List<List<GroupKind>> ORDER = List.of(
      List.of(core("Namespace")),
      List.of(new GroupKind("apiextensions.k8s.io", "CustomResourceDefinition")),
      List.of(core("ServiceAccount"), rbac("Role"), rbac("ClusterRole"), rbac("RoleBinding"), rbac("ClusterRoleBinding")),
      List.of(core("ResourceQuota"), core("LimitRange"), new GroupKind("scheduling.k8s.io", "PriorityClass"),
          new GroupKind("storage.k8s.io", "StorageClass"), new GroupKind("networking.k8s.io", "NetworkPolicy"),
          new GroupKind("policy", "PodDisruptionBudget"), new GroupKind("security.istio.io", "PeerAuthentication")),
      List.of(core("ConfigMap"), core("Secret")),
      List.of(core("PersistentVolume"), core("PersistentVolumeClaim")),
      List.of(core("Service"), new GroupKind("networking.istio.io", "DestinationRule")),
      List.of(apps("Deployment"), apps("StatefulSet"), apps("DaemonSet"), apps("ReplicaSet"),
          core("ReplicationController"), core("Pod"), new GroupKind("batch", "Job"), new GroupKind("batch", "CronJob")),
      List.of(new GroupKind("networking.k8s.io", "Ingress"), new GroupKind("autoscaling", "HorizontalPodAutoscaler")));

  /** The rank of every kind the catalogue does not know: after all known ones. */
  public static final int UNKNOWN_RANK = ORDER.size();

  private static final List<GroupKind> CLUSTER_SCOPED = List.of(
      core("Namespace"), core("Node"), core("PersistentVolume"), new GroupKind("storage.k8s.io", "StorageClass"),
      rbac("ClusterRole"), rbac("ClusterRoleBinding"), new GroupKind("apiextensions.k8s.io", "CustomResourceDefinition"),
      new GroupKind("apiregistration.k8s.io", "APIService"), new GroupKind("scheduling.k8s.io", "PriorityClass"),
      new GroupKind("node.k8s.io", "RuntimeClass"), new GroupKind("networking.k8s.io", "IngressClass"),
      admission("ValidatingWebhookConfiguration"), admission("MutatingWebhookConfiguration"),
      admission("ValidatingAdmissionPolicy"), admission("ValidatingAdmissionPolicyBinding"),
      admission("MutatingAdmissionPolicy"), admission("MutatingAdmissionPolicyBinding"),
      new GroupKind("storage.k8s.io", "CSIDriver"), new GroupKind("storage.k8s.io", "CSINode"),
      new GroupKind("storage.k8s.io", "VolumeAttachment"), new GroupKind("certificates.k8s.io", "CertificateSigningRequest"),
      new GroupKind("flowcontrol.apiserver.k8s.io", "FlowSchema"),
      new GroupKind("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
      new GroupKind("gateway.networking.k8s.io", "GatewayClass"), new GroupKind("cert-manager.io", "ClusterIssuer"),
      new GroupKind("snapshot.storage.k8s.io", "VolumeSnapshotClass"));

  private final Map<GroupKind, KindInfo> known;
  private final HealthAssessors health;
  private final Set<GroupKind> watched;
  private final Set<GroupKind> pruned;

  private KindCatalog(Builder b) {
    this.known = Collections.unmodifiableMap(new LinkedHashMap<>(b.known));
    this.health = b.health;
    Set<GroupKind> w = new LinkedHashSet<>();
    Set<GroupKind> p = new LinkedHashSet<>();
    known.values().forEach(k -> {
      if (k.watched()) {
        w.add(k.kind());
      }
      if (k.pruned()) {
        p.add(k.kind());
      }
    });
    this.watched = Collections.unmodifiableSet(w);
    this.pruned = Collections.unmodifiableSet(p);
  }

  /** The built-in table: Kubernetes' kinds, the built-in health assessors, Namespaces watched and pruned. */
  public static KindCatalog defaults() {
    return builder().build();
  }

  /** A builder that starts from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this catalogue. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.known.clear();
    b.known.putAll(known);
    b.health = health;
    return b;
  }

  /** What the catalogue says about {@code kind}: a kind it does not know is namespaced, ranked last, neither watched nor pruned. */
  public KindInfo info(GroupKind kind) {
    KindInfo k = known.get(Objects.requireNonNull(kind, "kind"));
    return k != null ? k : new KindInfo(kind, false, UNKNOWN_RANK, false, false);
  }

  /** The kinds the catalogue knows something about, in the order they were added. */
  public Set<GroupKind> kinds() {
    return known.keySet();
  }

  /** True when objects of {@code kind} have no namespace. */
  public boolean isClusterScoped(GroupKind kind) {
    return info(kind).clusterScoped();
  }

  /** The kind's place in apply order; unknown kinds come after every known one. */
  public int applyRank(GroupKind kind) {
    return info(kind).applyRank();
  }

  /** The assessors of objects' health (every kind: one without an assessor is healthy once it exists). */
  public HealthAssessors health() {
    return health;
  }

  /** The assessor of {@code kind}'s health, if it has one. */
  public Optional<HealthAssessor> assessor(GroupKind kind) {
    return health.assessorFor(kind);
  }

  /** Kinds watched on every cluster from the start of continuous mode, in a stable order. */
  public Set<GroupKind> watched() {
    return watched;
  }

  /** Kinds every plan searches for an application's leftovers, in a stable order. */
  public Set<GroupKind> pruned() {
    return pruned;
  }

  @Override
  public String toString() {
    return "KindCatalog[" + known.size() + " kinds, watched " + watched + "]";
  }

  /** Builds a {@link KindCatalog}; the last statement about a kind wins. */
  public static final class Builder {
    private final Map<GroupKind, KindInfo> known = new LinkedHashMap<>();
    private HealthAssessors health = HealthAssessors.defaults();

    private Builder() {
      for (int i = 0; i < ORDER.size(); i++) {
        for (GroupKind k : ORDER.get(i)) {
          known.put(k, new KindInfo(k, false, i, false, false));
        }
      }
      CLUSTER_SCOPED.forEach(this::clusterScoped);
      manage(core("Namespace"));
    }

    /** Adds or replaces everything known about one kind. */
    public Builder kind(KindInfo info) {
      known.put(Objects.requireNonNull(info, "info").kind(), info);
      return this;
    }

    /** Declares a cluster-scoped kind (a custom resource, say). */
    public Builder clusterScoped(GroupKind kind) {
      KindInfo k = current(kind);
      return kind(new KindInfo(kind, true, k.applyRank(), k.watched(), k.pruned()));
    }

    /** Applies {@code kind} in the same wave as {@code sameAs}, a kind the catalogue knows. */
    public Builder applyWith(GroupKind kind, GroupKind sameAs) {
      KindInfo other = known.get(Objects.requireNonNull(sameAs, "sameAs"));
      if (other == null) {
        throw new IllegalArgumentException("unknown kind " + sameAs + " to order " + kind + " with");
      }
      KindInfo k = current(kind);
      return kind(new KindInfo(kind, k.clusterScoped(), other.applyRank(), k.watched(), k.pruned()));
    }

    /** Watches {@code kind} in continuous mode and searches it for leftovers on every plan. */
    public Builder manage(GroupKind kind) {
      KindInfo k = current(kind);
      return kind(new KindInfo(kind, k.clusterScoped(), k.applyRank(), true, true));
    }

    /** {@link #manage(GroupKind)} for each of {@code kinds}. */
    public Builder manage(Collection<GroupKind> kinds) {
      kinds.forEach(this::manage);
      return this;
    }

    /** The health assessors (default: the built-ins). */
    public Builder health(HealthAssessors value) {
      this.health = Objects.requireNonNull(value, "health");
      return this;
    }

    public KindCatalog build() {
      return new KindCatalog(this);
    }

    private KindInfo current(GroupKind kind) {
      KindInfo k = known.get(Objects.requireNonNull(kind, "kind"));
      return k != null ? k : new KindInfo(kind, false, UNKNOWN_RANK, false, false);
    }
  }

  private static GroupKind core(String kind) {
    return new GroupKind("", kind);
  }

  private static GroupKind apps(String kind) {
    return new GroupKind("apps", kind);
  }

  private static GroupKind rbac(String kind) {
    return new GroupKind("rbac.authorization.k8s.io", kind);
  }

  private static GroupKind admission(String kind) {
    return new GroupKind("admissionregistration.k8s.io", kind);
  }
}
