package io.orchestrationplane.policy;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Maps a kind (group + Kind) to its resource name and scope, as API discovery would: Pod → pods,
 * namespaced. Built-in kinds are known; add CRDs with {@link #with}. Unknown kinds fall back to the
 * lower-cased plural of the kind, namespaced when the object carries a namespace.
 */
public final class KindMapping {
  /** One entry: the plural resource name and whether objects live in a namespace. */
  public record Entry(String resource, boolean namespaced) {}

  private final Map<String, Entry> entries;

  private KindMapping(Map<String, Entry> entries) {
    this.entries = Map.copyOf(entries);
  }

  /** The built-in Kubernetes kinds. */
  public static KindMapping defaults() {
    Map<String, Entry> m = new HashMap<>();
    String[] namespacedCore = {"Pod:pods", "Service:services", "ConfigMap:configmaps", "Secret:secrets",
        "ServiceAccount:serviceaccounts", "PersistentVolumeClaim:persistentvolumeclaims", "Endpoints:endpoints",
        "Event:events", "LimitRange:limitranges", "ResourceQuota:resourcequotas",
        "ReplicationController:replicationcontrollers", "PodTemplate:podtemplates", "Binding:bindings"};
    String[] clusterCore = {"Namespace:namespaces", "Node:nodes", "PersistentVolume:persistentvolumes",
        "ComponentStatus:componentstatuses"};
    put(m, "", namespacedCore, true);
    put(m, "", clusterCore, false);
    put(m, "apps", new String[] {"Deployment:deployments", "StatefulSet:statefulsets", "DaemonSet:daemonsets",
        "ReplicaSet:replicasets", "ControllerRevision:controllerrevisions"}, true);
    put(m, "batch", new String[] {"Job:jobs", "CronJob:cronjobs"}, true);
    put(m, "autoscaling", new String[] {"HorizontalPodAutoscaler:horizontalpodautoscalers"}, true);
    put(m, "policy", new String[] {"PodDisruptionBudget:poddisruptionbudgets"}, true);
    put(m, "networking.k8s.io", new String[] {"Ingress:ingresses", "NetworkPolicy:networkpolicies"}, true);
    put(m, "networking.k8s.io", new String[] {"IngressClass:ingressclasses"}, false);
    put(m, "rbac.authorization.k8s.io", new String[] {"Role:roles", "RoleBinding:rolebindings"}, true);
    put(m, "rbac.authorization.k8s.io", new String[] {"ClusterRole:clusterroles",
        "ClusterRoleBinding:clusterrolebindings"}, false);
    put(m, "storage.k8s.io", new String[] {"StorageClass:storageclasses", "CSIDriver:csidrivers",
        "VolumeAttachment:volumeattachments"}, false);
    put(m, "scheduling.k8s.io", new String[] {"PriorityClass:priorityclasses"}, false);
    put(m, "node.k8s.io", new String[] {"RuntimeClass:runtimeclasses"}, false);
    put(m, "apiextensions.k8s.io", new String[] {"CustomResourceDefinition:customresourcedefinitions"}, false);
    put(m, "admissionregistration.k8s.io", new String[] {
        "ValidatingWebhookConfiguration:validatingwebhookconfigurations",
        "MutatingWebhookConfiguration:mutatingwebhookconfigurations",
        "ValidatingAdmissionPolicy:validatingadmissionpolicies",
        "ValidatingAdmissionPolicyBinding:validatingadmissionpolicybindings"}, false);
    put(m, "coordination.k8s.io", new String[] {"Lease:leases"}, true);
    put(m, "discovery.k8s.io", new String[] {"EndpointSlice:endpointslices"}, true);
    put(m, "security.openshift.io", new String[] {"SecurityContextConstraints:securitycontextconstraints"}, false);
    return new KindMapping(m);
  }

  private static void put(Map<String, Entry> m, String group, String[] pairs, boolean namespaced) {
    for (String p : pairs) {
      String[] kr = p.split(":");
      m.put(group + "/" + kr[0], new Entry(kr[1], namespaced));
    }
  }

  /** A copy with one more (or a replaced) kind, e.g. {@code with("example.com", "Widget", "widgets", true)}. */
  public KindMapping with(String group, String kind, String resource, boolean namespaced) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(resource, "resource");
    Map<String, Entry> copy = new HashMap<>(entries);
    copy.put((group == null ? "" : group) + "/" + kind, new Entry(resource, namespaced));
    return new KindMapping(copy);
  }

  /** The entry for a kind, or null when unknown. */
  public @Nullable Entry find(String group, String kind) {
    return entries.get((group == null ? "" : group) + "/" + kind);
  }

  /** The resource name of a kind, known or guessed (Ingress → ingresses, Policy → policies). */
  public String resourceOf(String group, String kind) {
    Entry e = find(group, kind);
    return e != null ? e.resource() : pluralise(kind);
  }

  /** Kubernetes' default plural rule for a kind without an entry. */
  public static String pluralise(String kind) {
    String k = kind.toLowerCase(Locale.ROOT);
    if (k.endsWith("s") || k.endsWith("x") || k.endsWith("ch") || k.endsWith("sh")) {
      return k + "es";
    }
    if (k.endsWith("y") && k.length() > 1 && "aeiou".indexOf(k.charAt(k.length() - 2)) < 0) {
      return k.substring(0, k.length() - 1) + "ies";
    }
    return k + "s";
  }

  /** Every group that has a kind of this name, sorted (the core group is ""). */
  public java.util.List<String> groupsOf(String kind) {
    return entries.keySet().stream().filter(k -> k.endsWith("/" + kind))
        .map(k -> k.substring(0, k.length() - kind.length() - 1)).sorted().toList();
  }

  /** The kind for a resource name in a group, or null when no entry has it. */
  public @Nullable String kindOf(String group, String resource) {
    String prefix = (group == null ? "" : group) + "/";
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      if (e.getKey().startsWith(prefix) && e.getKey().indexOf('/', prefix.length()) < 0
          && e.getValue().resource().equals(resource)) {
        return e.getKey().substring(prefix.length());
      }
    }
    return null;
  }
}
