package io.orchestrationplane.k8s.internal;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.resource.GroupKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Resolves group/version/kind to the REST plural and scope, and a group/kind to a served
 * version. Answers are cached; a miss asks the server again (so kinds of CRDs created later are
 * found), in this order: the server's discovery documents, the cluster's
 * CustomResourceDefinitions, then fabric8's built-in model (servers such as
 * kubernetes-mock-server serve empty discovery documents for built-in groups). Thread-safe.
 */
public final class ApiDiscovery {
  /** A kind the server serves, and how to address it. */
  public record ApiKind(String group, String version, String kind, String plural, boolean namespaced) {
    public String apiVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    public GroupKind groupKind() {
      return new GroupKind(group, kind);
    }

    public ResourceDefinitionContext context() {
      return new ResourceDefinitionContext.Builder()
          .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(namespaced)
          .build();
    }

    /** fabric8's operations on objects of this kind in {@code namespace} (ignored when cluster-scoped). */
    public NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
        Resource<GenericKubernetesResource>> in(KubernetesClient client, String namespace) {
      MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> op =
          client.genericKubernetesResources(context());
      return namespaced ? op.inNamespace(namespace) : op;
    }

    /** {@code Kind namespace/name}, or {@code Kind name} when cluster-scoped, for messages. */
    public String display(String namespace, String name) {
      return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
  }

  /**
   * Versions to try, newest stable first, when the server publishes no discovery document (as
   * kubernetes-mock-server): an API server's preferred version is its newest stable one
   * (autoscaling/v2, not v1), and a kind served in two versions must be read in the one it is
   * written in.
   */
  private static final List<String> LIKELY_VERSIONS =
      List.of("v2", "v1", "v2beta2", "v2beta1", "v1beta2", "v1beta1", "v1alpha3", "v1alpha2", "v1alpha1");

  private final String cluster;
  private final KubernetesClient client;
  private final CallGuard guard;
  private final Map<String, ApiKind> byVersionKind = new ConcurrentHashMap<>();
  private final Map<GroupKind, ApiKind> byGroupKind = new ConcurrentHashMap<>();

  public ApiDiscovery(String cluster, KubernetesClient client, CallGuard guard) {
    this.cluster = cluster;
    this.client = client;
    this.guard = guard;
  }

  /** The kind named by apiVersion and kind; NOT_FOUND when the server does not serve it. */
  public ApiKind resolve(String apiVersion, String kind) {
    ApiKind known = byVersionKind.get(apiVersion + "|" + kind);
    if (known != null) {
      return known;
    }
    return fromDiscovery(apiVersion, kind)
        .or(() -> fromCrds(groupOf(apiVersion), versionOf(apiVersion), kind))
        .or(() -> fromModel(apiVersion, kind))
        .map(this::remember)
        .orElseThrow(() -> ClusterException.notFound(cluster, "kind " + kind + " of " + apiVersion
            + " is not served by cluster " + cluster + " (is its CustomResourceDefinition installed?)"));
  }

  /** The kind in the version the server prefers (or the one last used); NOT_FOUND when unknown. */
  public ApiKind resolve(GroupKind groupKind) {
    ApiKind known = byGroupKind.get(groupKind);
    if (known != null) {
      return known;
    }
    String group = groupKind.group();
    if (group.isEmpty()) {
      return resolve("v1", groupKind.kind());
    }
    Optional<ApiKind> found = preferredVersion(group)
        .flatMap(v -> fromDiscovery(group + "/" + v, groupKind.kind()))
        .or(() -> fromCrds(group, null, groupKind.kind()));
    if (found.isEmpty()) {
      for (String v : LIKELY_VERSIONS) {
        found = fromModel(group + "/" + v, groupKind.kind());
        if (found.isPresent()) {
          break;
        }
      }
    }
    return found.map(this::remember)
        .orElseThrow(() -> ClusterException.notFound(cluster, "kind " + groupKind
            + " is not served by cluster " + cluster + " (is its CustomResourceDefinition installed?)"));
  }

  /**
   * From now on, reads of this kind's group and kind use {@code kind}'s version: the version the
   * plane writes it in. A cluster that serves a kind in several versions (autoscaling/v1 and v2)
   * would otherwise answer reads in its preferred version, and every comparison with the written
   * object would show a difference.
   */
  public ApiKind prefer(ApiKind kind) {
    byGroupKind.put(kind.groupKind(), kind);
    return kind;
  }

  /** The kind in its preferred version, or {@code null} when the server does not serve it. */
  public @Nullable ApiKind servedOrNull(GroupKind groupKind) {
    try {
      return resolve(groupKind);
    } catch (ClusterException e) {
      if (e.reason() == ClusterException.Reason.NOT_FOUND) {
        return null; // no such kind: no such object either
      }
      throw e;
    }
  }

  /**
   * The namespace an object of {@code kind} named with {@code namespace} lives in: none for a
   * cluster-scoped kind; the client's namespace ({@code default} if unset) for a namespaced kind
   * named without one, for reads as for writes, as kubectl does.
   */
  public String namespaceOf(ApiKind kind, String namespace) {
    if (!kind.namespaced()) {
      return "";
    }
    if (namespace != null && !namespace.isEmpty()) {
      return namespace;
    }
    String fallback = client.getNamespace();
    return fallback == null || fallback.isEmpty() ? "default" : fallback;
  }

  /** Forgets everything, so the next call asks the server. */
  public void invalidate() {
    byVersionKind.clear();
    byGroupKind.clear();
  }

  private ApiKind remember(ApiKind k) {
    byVersionKind.put(k.apiVersion() + "|" + k.kind(), k);
    byGroupKind.put(k.groupKind(), k);
    return k;
  }

  private Optional<ApiKind> fromDiscovery(String apiVersion, String kind) {
    APIResourceList list = guard.call("discover " + apiVersion, () -> {
      try {
        return client.getApiResources(apiVersion);
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() == 404) {
          return null;
        }
        throw e;
      }
    });
    if (list == null || list.getResources() == null) {
      return Optional.empty();
    }
    String group = groupOf(apiVersion);
    String version = versionOf(apiVersion);
    ApiKind match = null;
    for (APIResource r : list.getResources()) {
      if (r.getName() == null || r.getName().contains("/") || r.getKind() == null) {
        continue;
      }
      ApiKind k = new ApiKind(group, version, r.getKind(), r.getName(), Boolean.TRUE.equals(r.getNamespaced()));
      byVersionKind.putIfAbsent(apiVersion + "|" + r.getKind(), k);
      if (r.getKind().equals(kind)) {
        match = k;
      }
    }
    return Optional.ofNullable(match);
  }

  private Optional<String> preferredVersion(String group) {
    APIGroup g = guard.call("discover group " + group, () -> {
      try {
        return client.getApiGroup(group);
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() == 404) {
          return null;
        }
        throw e;
      }
    });
    if (g == null || g.getPreferredVersion() == null || g.getPreferredVersion().getVersion() == null) {
      return Optional.empty();
    }
    return Optional.of(g.getPreferredVersion().getVersion());
  }

  @SuppressWarnings("unchecked")
  private Optional<ApiKind> fromCrds(String group, @Nullable String version, String kind) {
    if (group.isEmpty()) {
      return Optional.empty();
    }
    ResourceDefinitionContext crds = new ResourceDefinitionContext.Builder()
        .withGroup("apiextensions.k8s.io").withVersion("v1").withKind("CustomResourceDefinition")
        .withPlural("customresourcedefinitions").withNamespaced(false).build();
    List<GenericKubernetesResource> items = guard.call("list CustomResourceDefinitions", () -> {
      try {
        return client.genericKubernetesResources(crds).list().getItems();
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() == 404 || e.getCode() == 403) {
          return List.<GenericKubernetesResource>of();
        }
        throw e;
      }
    });
    for (GenericKubernetesResource crd : items) {
      Object specObject = crd.getAdditionalProperties().get("spec");
      if (!(specObject instanceof Map<?, ?> spec) || !group.equals(spec.get("group"))
          || !(spec.get("names") instanceof Map<?, ?> names) || !kind.equals(names.get("kind"))) {
        continue;
      }
      boolean namespaced = "Namespaced".equals(spec.get("scope"));
      String plural = String.valueOf(names.get("plural"));
      String chosen = null;
      if (spec.get("versions") instanceof List<?> versions) {
        for (Object o : versions) {
          if (o instanceof Map<?, ?> v && !Boolean.FALSE.equals(v.get("served"))) {
            String name = String.valueOf(v.get("name"));
            if (name.equals(version) || (version == null && (chosen == null || Boolean.TRUE.equals(v.get("storage"))))) {
              chosen = name;
            }
          }
        }
      }
      if (chosen != null) {
        return Optional.of(new ApiKind(group, chosen, kind, plural, namespaced));
      }
    }
    return Optional.empty();
  }

  private Optional<ApiKind> fromModel(String apiVersion, String kind) {
    Class<? extends KubernetesResource> type =
        client.getKubernetesSerialization().getRegisteredKubernetesResource(apiVersion, kind);
    if (type == null || !io.fabric8.kubernetes.api.model.HasMetadata.class.isAssignableFrom(type)) {
      return Optional.empty();
    }
    ResourceDefinitionContext ctx = ResourceDefinitionContext.fromResourceType(type);
    return Optional.of(new ApiKind(groupOf(apiVersion), versionOf(apiVersion), kind, ctx.getPlural(),
        ctx.isNamespaceScoped()));
  }

  static String groupOf(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  static String versionOf(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
  }
}
