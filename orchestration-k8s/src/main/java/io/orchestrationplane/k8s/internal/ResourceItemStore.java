package io.orchestrationplane.k8s.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The item store of one informer (fabric8's {@code SharedIndexInformer.itemStore} hook): it holds
 * each object as the plane's {@link Resource}, the very instance the driver's {@link ObjectMemory}
 * converts it to and keeps anyway, instead of a fabric8 {@code GenericKubernetesResource} beside
 * it, so an object the informer mirrors is held once as a tree and not twice. It also indexes its
 * objects by the value of their {@link Ownership#APPLICATION_LABEL}: the planner lists an
 * application's objects by that label on every reconcile, and the index answers in O(objects of
 * the application) instead of a scan of the kind's whole store.
 *
 * <p>fabric8 itself sees {@code GenericKubernetesResource}s: its {@link #get}, {@link #values} and
 * the previous object {@link #put} and {@link #remove} return are converted back from the tree on
 * each call (fabric8 needs them only for an update's old resourceVersion, the first list's ADDED
 * events and a re-list); the driver's reads use {@link #resource}, {@link #application} and
 * {@link #resources}, which convert nothing. An object that cannot be a {@link Resource} (say it
 * nests deeper than {@link Resource#MAX_DEPTH}) is held as fabric8 gave it, and its reads fail as
 * they did before this store.
 *
 * <p>Thread-safety: the informer's thread writes ({@link #put}, {@link #remove}; fabric8 calls
 * them under its cache's lock, and they synchronize on this store as well, so writes never
 * interleave whoever calls them); the driver's reconcile threads read at any time without a lock,
 * from concurrent maps. A read sees each object as of some event (a list may mix objects before
 * and after an event that arrives meanwhile, as fabric8's own store does), and {@link #application}
 * never returns an object whose label names another application, though one relabelled meanwhile
 * may be missing from it, as if it had been read just before the event.
 */
public final class ResourceItemStore implements ItemStore<GenericKubernetesResource> {
  private final Function<GenericKubernetesResource, Resource> convert;
  private final KubernetesSerialization serialization;
  /** By fabric8's key ({@code namespace/name}, or {@code name} when cluster-scoped): a {@link Resource}, or a {@link GenericKubernetesResource} that could not be one. */
  private final Map<String, Object> items = new ConcurrentHashMap<>();
  /**
   * Keys by the application label's value; changed only by the synchronized writers, read without
   * a lock. While an application has fewer than {@value #SMALL} objects of the kind (nearly always:
   * a Deployment, a Service, a ConfigMap or two) its keys are an unmodifiable list, replaced
   * whole on a change, about 30 bytes instead of the 200 of a concurrent set of its own; from
   * {@value #SMALL} on, a concurrent set changed in place.
   */
  private final Map<String, Collection<String>> byApplication = new ConcurrentHashMap<>();
  private static final int SMALL = 8;

  /**
   * @param convert the driver's conversion of an object of the informer ({@link ObjectMemory#fromCache}),
   *     whose result this store holds
   * @param serialization converts a held tree back to a fabric8 object when fabric8 asks for one
   */
  public ResourceItemStore(Function<GenericKubernetesResource, Resource> convert,
      KubernetesSerialization serialization) {
    this.convert = Objects.requireNonNull(convert, "convert");
    this.serialization = Objects.requireNonNull(serialization, "serialization");
  }

  @Override
  public String getKey(GenericKubernetesResource object) {
    return Cache.metaNamespaceKeyFunc(object);
  }

  @Override
  public synchronized @Nullable GenericKubernetesResource put(String key, GenericKubernetesResource object) {
    Object held;
    try {
      held = convert.apply(object);
    } catch (RuntimeException e) {
      held = object; // its reads fail on the conversion, as they would without this store
    }
    Object before = items.put(key, held);
    String was = before == null ? null : application(before);
    String now = application(held);
    if (!Objects.equals(was, now)) {
      if (now != null) {
        index(now, key);
      }
      unindex(was, key);
    }
    return before == null ? null : fabric8(before);
  }

  @Override
  public synchronized @Nullable GenericKubernetesResource remove(String key) {
    Object before = items.remove(key);
    if (before == null) {
      return null;
    }
    unindex(application(before), key);
    return fabric8(before);
  }

  /** Adds {@code key} under {@code application}. Holds this store's lock. */
  private void index(String application, String key) {
    Collection<String> keys = byApplication.get(application);
    if (keys == null) {
      byApplication.put(application, List.of(key));
    } else if (keys instanceof Set) { // large: changed in place
      keys.add(key);
    } else if (!keys.contains(key)) {
      if (keys.size() + 1 < SMALL) {
        String[] all = keys.toArray(new String[keys.size() + 1]);
        all[keys.size()] = key;
        byApplication.put(application, List.of(all));
      } else {
        Set<String> large = ConcurrentHashMap.newKeySet();
        large.addAll(keys);
        large.add(key);
        byApplication.put(application, large);
      }
    }
  }

  /** Removes {@code key} from under {@code application}. Holds this store's lock. */
  private void unindex(@Nullable String application, String key) {
    Collection<String> keys = application == null ? null : byApplication.get(application);
    if (keys == null) {
      return;
    }
    if (keys instanceof Set) {
      keys.remove(key);
      if (keys.isEmpty()) {
        byApplication.remove(application, keys);
      }
    } else if (keys.contains(key)) {
      List<String> rest = new ArrayList<>(keys);
      rest.remove(key);
      if (rest.isEmpty()) {
        byApplication.remove(application);
      } else {
        byApplication.put(application, List.copyOf(rest));
      }
    }
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<GenericKubernetesResource> values() {
    return items.values().stream().map(this::fabric8);
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public @Nullable GenericKubernetesResource get(String key) {
    Object held = items.get(key);
    return held == null ? null : fabric8(held);
  }

  /** The object of that key ({@code namespace/name}, or {@code name} when cluster-scoped) as the driver reads it, or {@code null}. */
  public @Nullable Resource resource(String key) {
    Object held = items.get(key);
    return held == null ? null : resource(held);
  }

  /** The objects whose application label is {@code application}, in no particular order. */
  public List<Resource> application(String application) {
    Collection<String> keys = byApplication.get(application);
    if (keys == null) {
      return List.of();
    }
    List<Resource> out = new ArrayList<>(keys.size());
    for (String key : keys) {
      Object held = items.get(key);
      // a key indexed under another application than its object's now is left out (a relabel in progress)
      if (held != null && application.equals(application(held))) {
        out.add(resource(held));
      }
    }
    return out;
  }

  /** Every object held, in no particular order. */
  public List<Resource> resources() {
    List<Resource> out = new ArrayList<>(items.size());
    for (Object held : items.values()) {
      out.add(resource(held));
    }
    return out;
  }

  private Resource resource(Object held) {
    return held instanceof Resource r ? r : convert.apply((GenericKubernetesResource) held);
  }

  private GenericKubernetesResource fabric8(Object held) {
    return held instanceof Resource r
        ? serialization.convertValue(r.json(), GenericKubernetesResource.class)
        : (GenericKubernetesResource) held;
  }

  private static @Nullable String application(Object held) {
    if (held instanceof Resource r) {
      return r.labels().get(Ownership.APPLICATION_LABEL);
    }
    var meta = ((GenericKubernetesResource) held).getMetadata();
    Map<String, String> labels = meta == null ? null : meta.getLabels();
    return labels == null ? null : labels.get(Ownership.APPLICATION_LABEL);
  }
}
