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
  /**
   * By fabric8's key ({@code namespace/name}, or {@code name} when cluster-scoped), held as its two
   * parts, the strings the held object has anyway: a {@link Resource}, or a {@link
   * GenericKubernetesResource} that could not be one.
   */
  private final Map<Key, Object> items = new ConcurrentHashMap<>();
  /**
   * Keys by the application label's value; changed only by the synchronized writers, read without
   * a lock. An application's one object of the kind (the most common case: a Service, an Ingress)
   * is its {@link Key} alone; while it has fewer than {@value #SMALL} its keys are an unmodifiable
   * list, replaced whole on a change, about 30 bytes instead of the 200 of a concurrent set of
   * its own; from {@value #SMALL} on, a concurrent set changed in place.
   */
  private final Map<String, Object> byApplication = new ConcurrentHashMap<>();
  private static final int SMALL = 8;

  /** fabric8's key of an object as its namespace ({@code ""} when cluster-scoped) and name. */
  private record Key(String namespace, String name) {
    /** Parses fabric8's key ({@code namespace/name}, or {@code name}). */
    static Key of(String key) {
      int slash = key.indexOf('/');
      return slash < 0 ? new Key("", key) : new Key(key.substring(0, slash), key.substring(slash + 1));
    }

    /** The key of what {@link #items} holds, from its own strings; {@code key} when they do not spell it. */
    static Key of(Object held, String key) {
      String namespace;
      String name;
      if (held instanceof Resource r) {
        namespace = r.namespace();
        name = r.name();
      } else {
        var meta = ((GenericKubernetesResource) held).getMetadata();
        namespace = meta == null || meta.getNamespace() == null ? "" : meta.getNamespace();
        name = meta == null ? null : meta.getName();
      }
      Key k = name == null ? null : new Key(namespace, name);
      return k != null && k.spells(key) ? k : of(key);
    }

    /** Whether this is the key {@code key} parses to. */
    boolean spells(String key) {
      if (namespace.isEmpty()) {
        return key.equals(name);
      }
      int n = namespace.length();
      return key.length() == n + 1 + name.length() && key.startsWith(namespace) && key.charAt(n) == '/'
          && key.startsWith(name, n + 1);
    }

    String text() {
      return namespace.isEmpty() ? name : namespace + '/' + name;
    }

    // written out: hashed and compared on every read of an application's objects
    @Override
    public boolean equals(@Nullable Object o) {
      return o == this || o instanceof Key k && name.equals(k.name) && namespace.equals(k.namespace);
    }

    @Override
    public int hashCode() {
      return namespace.hashCode() * 31 + name.hashCode();
    }
  }

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
    Key k = Key.of(held, key);
    Object before = items.put(k, held);
    String was = before == null ? null : application(before);
    String now = application(held);
    if (!Objects.equals(was, now)) {
      if (now != null) {
        index(now, k);
      }
      unindex(was, k);
    }
    return before == null ? null : fabric8(before);
  }

  @Override
  public synchronized @Nullable GenericKubernetesResource remove(String key) {
    Key k = Key.of(key);
    Object before = items.remove(k);
    if (before == null) {
      return null;
    }
    unindex(application(before), k);
    return fabric8(before);
  }

  /** Adds {@code key} under {@code application}. Holds this store's lock. */
  private void index(String application, Key key) {
    Object keys = byApplication.get(application);
    if (keys == null) {
      byApplication.put(application, key);
    } else if (keys instanceof Key one) {
      if (!one.equals(key)) {
        byApplication.put(application, List.of(one, key));
      }
    } else if (keys instanceof Set<?> large) { // large: changed in place
      @SuppressWarnings("unchecked")
      Set<Key> set = (Set<Key>) large;
      set.add(key);
    } else {
      @SuppressWarnings("unchecked")
      List<Key> list = (List<Key>) keys;
      if (list.contains(key)) {
        return;
      }
      if (list.size() + 1 < SMALL) {
        Key[] all = list.toArray(new Key[list.size() + 1]);
        all[list.size()] = key;
        byApplication.put(application, List.of(all));
      } else {
        Set<Key> set = ConcurrentHashMap.newKeySet();
        set.addAll(list);
        set.add(key);
        byApplication.put(application, set);
      }
    }
  }

  /** Removes {@code key} from under {@code application}. Holds this store's lock. */
  private void unindex(@Nullable String application, Key key) {
    Object keys = application == null ? null : byApplication.get(application);
    if (keys == null) {
      return;
    }
    if (keys instanceof Key one) {
      if (one.equals(key)) {
        byApplication.remove(application);
      }
    } else if (keys instanceof Set<?> set) {
      set.remove(key);
      if (set.isEmpty()) {
        byApplication.remove(application, set);
      }
    } else {
      @SuppressWarnings("unchecked")
      List<Key> list = (List<Key>) keys;
      if (list.contains(key)) {
        List<Key> rest = new ArrayList<>(list);
        rest.remove(key);
        byApplication.put(application, rest.size() == 1 ? rest.get(0) : List.copyOf(rest));
      }
    }
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream().map(Key::text);
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
    Object held = items.get(Key.of(key));
    return held == null ? null : fabric8(held);
  }

  /** The object of that key ({@code namespace/name}, or {@code name} when cluster-scoped) as the driver reads it, or {@code null}. */
  public @Nullable Resource resource(String key) {
    Object held = items.get(Key.of(key));
    return held == null ? null : resource(held);
  }

  /** The object named {@code name} in {@code namespace} ({@code ""} when cluster-scoped) as the driver reads it, or {@code null}. */
  public @Nullable Resource resource(String namespace, String name) {
    Object held = items.get(new Key(namespace, name));
    return held == null ? null : resource(held);
  }

  /** The objects whose application label is {@code application}, in no particular order. */
  public List<Resource> application(String application) {
    Object keys = byApplication.get(application);
    if (keys == null) {
      return List.of();
    }
    if (keys instanceof Key one) {
      Object held = items.get(one);
      return held != null && application.equals(application(held)) ? List.of(resource(held)) : List.of();
    }
    Collection<?> all = (Collection<?>) keys;
    List<Resource> out = new ArrayList<>(all.size());
    for (Object key : all) {
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
