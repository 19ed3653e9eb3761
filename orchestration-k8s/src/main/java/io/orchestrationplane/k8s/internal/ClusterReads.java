package io.orchestrationplane.k8s.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.k8s.internal.ApiDiscovery.ApiKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The reads of one Kubernetes driver: {@code get} and {@code list} from a watch's informer store
 * when the kind is watched (with the driver's own writes laid over it until the watch shows
 * them), from the API server otherwise. Thread-safe.
 */
public final class ClusterReads {
  private static final Comparator<Resource> BY_NAMESPACE_AND_NAME =
      Comparator.comparing(Resource::namespace).thenComparing(Resource::name);

  private final KubernetesClient client;
  private final CallGuard guard;
  private final ApiDiscovery discovery;
  private final ClusterWatches watches;
  private final ObjectMemory memory;

  public ClusterReads(KubernetesClient client, CallGuard guard, ApiDiscovery discovery, ClusterWatches watches,
      ObjectMemory memory) {
    this.client = client;
    this.guard = guard;
    this.discovery = discovery;
    this.watches = watches;
    this.memory = memory;
  }

  /** The object read in {@code apiVersion}; from then on reads of its kind use that version. */
  public Optional<Resource> get(ResourceKey key, String apiVersion) {
    Objects.requireNonNull(apiVersion, "apiVersion");
    ApiKind wanted;
    try {
      wanted = discovery.resolve(apiVersion, key.kind());
    } catch (ClusterException e) {
      if (e.reason() == ClusterException.Reason.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
    discovery.prefer(wanted);
    return get(key);
  }

  /** The live object, or empty. */
  public Optional<Resource> get(ResourceKey key) {
    Objects.requireNonNull(key, "key");
    ApiKind kind = discovery.servedOrNull(key.groupKind());
    if (kind == null) {
      return Optional.empty();
    }
    String ns = discovery.namespaceOf(kind, key.namespace());
    ResourceItemStore cache = watches.readCache(key.groupKind());
    if (cache != null) {
      return Optional.ofNullable(memory.ownWriteOr(ObjectMemory.slot(kind, ns, key.name()),
          cache.resource(ns, key.name())));
    }
    GenericKubernetesResource live = readLive(kind, ns, key.name());
    if (live == null) {
      memory.forgetSeen(ObjectMemory.slot(kind, ns, key.name()));
      return Optional.empty();
    }
    return Optional.of(memory.remember(memory.toResource(live)));
  }

  /** The live objects of one kind in {@code namespace} (every namespace when null) carrying {@code labels}, sorted. */
  public List<Resource> list(GroupKind groupKind, String namespace, Map<String, String> labels) {
    Objects.requireNonNull(groupKind, "kind");
    ApiKind kind = discovery.servedOrNull(groupKind);
    if (kind == null) {
      return List.of();
    }
    ResourceItemStore cache = watches.readCache(groupKind);
    if (cache != null) {
      return listCached(cache, kind, namespace, labels);
    }
    String where = namespace == null || !kind.namespaced() ? "" : " in " + namespace;
    List<GenericKubernetesResource> items = guard.call("list " + groupKind + where, () -> {
      var op = client.genericKubernetesResources(kind.context());
      var scoped = !kind.namespaced() ? op : namespace == null ? op.inAnyNamespace() : op.inNamespace(namespace);
      if (labels != null && !labels.isEmpty()) {
        return scoped.withLabels(labels).list().getItems();
      }
      return scoped.list().getItems();
    });
    List<Resource> out = new ArrayList<>(items.size());
    for (GenericKubernetesResource item : items) {
      out.add(memory.remember(memory.toResource(item)));
    }
    out.sort(BY_NAMESPACE_AND_NAME);
    return out;
  }

  private List<Resource> listCached(ResourceItemStore cache, ApiKind kind,
      String namespace, Map<String, String> labels) {
    Map<ObjectMemory.Slot, Resource> found = new HashMap<>();
    String owner = labels == null ? null : labels.get(Ownership.APPLICATION_LABEL);
    // an application's objects come from the store's index, anything else from a scan;
    // objects written by this driver and not yet in the cache are added below either way
    List<Resource> items = owner == null ? cache.resources() : cache.application(owner);
    for (Resource item : items) {
      String ns = kind.namespaced() ? item.namespace() : "";
      ObjectMemory.Slot slot = ObjectMemory.slot(kind, ns, item.name());
      if (memory.hasOwnWrite(slot) || matches(ns, item.labels(), namespace, labels, kind)) {
        Resource r = memory.ownWriteOr(slot, item);
        if (r != null) {
          found.put(slot, r);
        }
      }
    }
    for (ObjectMemory.Slot slot : memory.ownWritesOf(kind.group(), kind.kind())) {
      if (!found.containsKey(slot)) {
        Resource ours = memory.ownWriteOr(slot, null);
        if (ours != null) {
          found.put(slot, ours); // our write, not yet in the cache
        }
      }
    }
    List<Resource> out = new ArrayList<>();
    for (Resource r : found.values()) {
      if (matches(r.namespace(), r.labels(), namespace, labels, kind)) {
        out.add(r);
      }
    }
    out.sort(BY_NAMESPACE_AND_NAME);
    return out;
  }

  /**
   * The object as a synced informer's store shows it, with this driver's own writes laid over
   * it, or {@code null} when the kind is not served from a store or the store does not hold the
   * object. Sends no request. Writes use it only to find that nothing needs writing: a write is
   * made from a live read and carries that read's resourceVersion.
   */
  public @Nullable Resource cachedOrNull(ApiKind kind, String namespace, String objectName) {
    ResourceItemStore cache = watches.readCache(kind.groupKind());
    if (cache == null) {
      return null;
    }
    return memory.ownWriteOr(ObjectMemory.slot(kind, namespace, objectName),
        cache.resource(namespace, objectName));
  }

  /** The object as the API server has it now (never from a cache), or {@code null}. */
  public GenericKubernetesResource readLive(ApiKind kind, String namespace, String objectName) {
    return guard.call("get " + kind.display(namespace, objectName),
        () -> kind.in(client, namespace).withName(objectName).get());
  }

  private static boolean matches(String ns, Map<String, String> have, String namespace, Map<String, String> labels,
      ApiKind kind) {
    if (namespace != null && kind.namespaced() && !namespace.equals(ns)) {
      return false;
    }
    if (labels == null || labels.isEmpty()) {
      return true;
    }
    Map<String, String> actual = have == null ? Map.of() : have;
    return actual.entrySet().containsAll(labels.entrySet());
  }
}
