package io.orchestrationplane.k8s.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.orchestrationplane.core.resource.Inventory;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.k8s.internal.ApiDiscovery.ApiKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one Kubernetes driver remembers about objects between calls, keyed by slot (group, kind,
 * namespace, name): which objects it has seen exist, its own writes that a watch may not show
 * yet (read-your-writes over the informer stores), and the last conversion of each cached object.
 * Thread-safe; shared by the driver's reads, writes and watches.
 */
public final class ObjectMemory {
  /**
   * How long a write is served over a cache that does not show it. Watches show a write within
   * milliseconds; the bound only matters when one never does (the object was deleted by someone
   * else before the watch saw our version), so that the cache is trusted again.
   */
  static final Duration OWN_WRITE_TTL = Duration.ofSeconds(10);

  /** An object this driver wrote (or a tombstone of one it deleted) that its watch may not show yet. */
  private record Written(Resource object, String deletedUid, Instant at) {}

  /** A slot's value in {@link #known} for an object seen to exist and not converted from a cache. */
  private static final Object SEEN = new Object();

  /**
   * A slot's value in {@link #known} for an object converted from a cache and not seen to exist by
   * this driver (not one it applied, got or listed: another party's object of a watched kind).
   */
  private record Unseen(Resource converted) {}

  private final KubernetesSerialization serialization;
  private final Clock clock;
  /**
   * Two facts per slot in one map, so that an object the driver both wrote and watches costs one
   * entry and one slot string, not two of each:
   * <ul>
   *   <li>whether this cluster has seen the object exist (by apply, get or list; dropped on delete
   *       or a 404): a hint that lets client-side apply create at once (one request) what is new,
   *       and read before writing what exists, so re-applying a converged set sends no write
   *       request at all;
   *   <li>the last conversion of the object from an informer's store. Objects with the same
   *       resourceVersion have the same content, so reads and watch events of an unchanged object
   *       hand out the very same {@link Resource}: the planner sees by identity that nothing
   *       changed. Dropped on delete. The informers' item stores ({@link ResourceItemStore}) hold
   *       these very instances, so a watched object is held once as a tree, not again as a
   *       fabric8 object.
   * </ul>
   * A value is {@link #SEEN} (seen, not converted), an {@link Unseen} (converted, not seen) or the
   * converted {@link Resource} itself (both: every object the plane manages, so they cost no
   * wrapper); a slot with neither has no entry. Changed only through {@code compute},
   * so the two facts never overwrite each other.
   */
  private final Map<Slot, Object> known = new ConcurrentHashMap<>();
  private final Map<Slot, Written> written = new ConcurrentHashMap<>();
  /**
   * The slots of {@link #written} by kind, so that a listing of one kind
   * looks at the own writes of that kind only, not at every pending write of every kind (under
   * load the watch lags and thousands may be pending). Changed only inside {@link #written}'s
   * per-slot {@code compute}, so it never misses a slot {@code written} holds.
   */
  private final Map<Kind, Set<Slot>> writtenByKind = new ConcurrentHashMap<>();
  /**
   * Recent metadata strings ({@link #shareMetadataStrings}), by hash: a bounded, lossy set, read
   * and written without a lock (strings are immutable and safely published).
   */
  private final String[] recentStrings = new String[1024];
  /** The desired object of each write in flight, by slot ({@link #sending}). */
  private final Map<Slot, Resource> sending = new ConcurrentHashMap<>();

  public ObjectMemory(KubernetesSerialization serialization, Clock clock) {
    this.serialization = serialization;
    this.clock = clock;
  }

  /**
   * Where an object is: its API group, kind, namespace ({@code ""} when cluster-scoped) and name.
   * The key of every map here: four references to strings the objects hold anyway, where a joined
   * string ({@code group|kind|namespace|name}) cost about 40 bytes more per object remembered.
   */
  public record Slot(String group, String kind, String namespace, String name) {
    public Slot {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
    }

    Kind ofKind() {
      return new Kind(group, kind);
    }

    // written out: these are hashed and compared on every read of a watched kind
    @Override
    public boolean equals(@Nullable Object o) {
      return o == this || o instanceof Slot s && name.equals(s.name) && namespace.equals(s.namespace)
          && kind.equals(s.kind) && group.equals(s.group);
    }

    @Override
    public int hashCode() {
      return ((group.hashCode() * 31 + kind.hashCode()) * 31 + namespace.hashCode()) * 31 + name.hashCode();
    }

    @Override
    public String toString() {
      return group + '|' + kind + '|' + namespace + '|' + name;
    }
  }

  /** The API group and kind of slots. */
  private record Kind(String group, String kind) {}

  /** The slot of an object of {@code kind} in {@code namespace} ("" when cluster-scoped). */
  public static Slot slot(ApiKind kind, String namespace, String name) {
    return new Slot(kind.group(), kind.kind(), namespace, name);
  }

  /** The slot of {@code r}. */
  public static Slot slot(Resource r) {
    return new Slot(r.group(), r.kind(), r.namespace(), r.name());
  }

  /** Marks {@code r} as seen to exist; returns it. */
  public Resource remember(Resource r) {
    Slot slot = slot(r);
    if (!seen(slot)) {
      known.compute(slot, (k, v) -> v == null ? SEEN : v instanceof Unseen u ? u.converted() : v);
    }
    return r;
  }

  /** Whether the object of that slot was last seen to exist. */
  public boolean seen(Slot slot) {
    Object v = known.get(slot);
    return v == SEEN || v instanceof Resource;
  }

  /** The object of that slot was found absent. */
  public void forgetSeen(Slot slot) {
    known.computeIfPresent(slot, (k, v) -> v == SEEN ? null : v instanceof Resource r ? new Unseen(r) : v);
  }

  /** The last conversion from a cache of the object of that slot, or {@code null}. */
  private @Nullable Resource conversion(Slot slot) {
    Object v = known.get(slot);
    return v instanceof Resource r ? r : v instanceof Unseen u ? u.converted() : null;
  }

  /**
   * Records this driver's write of {@code stored}; {@code watched} says whether reads of its kind
   * are served from a watch's store (only those need the record). A write that removed the last
   * finalizer of an object marked for deletion is recorded as a delete. Returns {@code stored}.
   */
  public Resource wrote(Resource stored, boolean watched) {
    Slot slot = slot(stored);
    if (stored.isBeingDeleted() && !hasFinalizers(stored)) {
      // the write removed the last finalizer of an object marked for deletion: it is gone
      forgetSeen(slot);
      if (watched) {
        putWritten(slot, new Written(null, stored.uid(), clock.instant()));
      }
      return stored;
    }
    if (watched) {
      putWritten(slot, new Written(stored, null, clock.instant()));
    }
    return stored;
  }

  /** After a write whose answer says the object is gone: reads of watched kinds see it gone at once. */
  public void deleted(Slot slot, String uid, boolean watched) {
    forgetSeen(slot);
    if (watched) {
      putWritten(slot, new Written(null, uid, clock.instant()));
    }
  }

  /** Whether this driver wrote the object of that slot and a watch may not show it yet. */
  public boolean hasOwnWrite(Slot slot) {
    return written.containsKey(slot);
  }

  /** The slots of own writes of objects of one kind. */
  public Iterable<Slot> ownWritesOf(String group, String kind) {
    Set<Slot> slots = writtenByKind.get(new Kind(group, kind));
    return slots == null ? List.of() : List.copyOf(slots);
  }

  private void putWritten(Slot slot, Written w) {
    written.compute(slot, (k, before) -> {
      writtenByKind.computeIfAbsent(k.ofKind(), x -> ConcurrentHashMap.newKeySet()).add(k);
      return w;
    });
  }

  /** Drops {@code w} unless another write of the slot replaced it meanwhile. */
  private void removeWritten(Slot slot, Written w) {
    written.computeIfPresent(slot, (k, current) -> {
      if (current != w) {
        return current;
      }
      Set<Slot> slots = writtenByKind.get(k.ofKind());
      if (slots != null) {
        slots.remove(k);
      }
      return null;
    });
  }

  /**
   * Read-your-writes over the watch cache: until the cache shows this driver's last write of an
   * object (the same or a later resourceVersion, or, after a delete, its absence or a new uid),
   * reads see the write. Then the entry is dropped and the cache answers alone; so it is after
   * {@link #OWN_WRITE_TTL} in any case. Returns {@code null} for an object that is gone.
   */
  public @Nullable Resource ownWriteOr(Slot slot, @Nullable Resource cached) {
    Written w = written.get(slot);
    if (w == null) {
      return cached;
    }
    if (Duration.between(w.at(), clock.instant()).compareTo(OWN_WRITE_TTL) > 0) {
      removeWritten(slot, w); // the watch never showed it: trust the cache again
      return cached;
    }
    if (w.object() == null) {
      if (cached == null || (cached.uid() != null && !cached.uid().equals(w.deletedUid()))) {
        removeWritten(slot, w);
        return cached;
      }
      return null;
    }
    if (cached != null && !olderThan(cached.resourceVersion(), w.object().resourceVersion())) {
      removeWritten(slot, w);
      return cached;
    }
    return w.object();
  }

  /**
   * An object of an informer's store (or event) as a {@link Resource}, converted once per
   * resourceVersion: an object this driver wrote at that very version is the {@code Resource} its
   * write answered with, not converted again, and a new version shares its unchanged parts with
   * the desired object of a write in flight to it, else with the version before (see {@link
   * #toResource(GenericKubernetesResource, Resource)}).
   */
  public Resource fromCache(GenericKubernetesResource object) {
    var meta = object.getMetadata();
    String version = meta == null ? null : meta.getResourceVersion();
    if (version == null) {
      return toResource(object, null);
    }
    Slot slot = new Slot(Resource.groupOf(object.getApiVersion()), object.getKind(),
        meta.getNamespace() == null ? "" : meta.getNamespace(), meta.getName());
    Resource last = conversion(slot);
    if (last != null && version.equals(last.resourceVersion())) {
      return last;
    }
    Written own = written.get(slot);
    Resource mine = own == null ? null : own.object();
    Resource fresh;
    if (mine != null && version.equals(mine.resourceVersion())) {
      fresh = mine; // one resourceVersion, one content: the answer to this driver's write of it
    } else {
      Resource like = sending.get(slot); // the watch is ahead of the answer to a write in flight
      fresh = toResource(object, like != null ? like : last != null ? last : mine);
    }
    // keyed by the strings the new Resource holds, not by the fabric8 object's (dropped after this)
    known.compute(slot(fresh), (k, v) -> v == SEEN || v instanceof Resource ? fresh : new Unseen(fresh));
    return fresh;
  }

  /** Drops the conversion of an object a watch saw deleted. */
  public void forgetConversion(Resource gone) {
    known.computeIfPresent(slot(gone), (k, v) -> v == SEEN || v instanceof Resource ? SEEN : null);
  }

  /**
   * A fabric8 object read from the server as a {@link Resource}: the conversion the watch made of
   * that very version if there is one, else a new one sharing its unchanged parts with the last
   * conversion of the same object (see {@link #toResource(GenericKubernetesResource, Resource)}).
   */
  public Resource toResource(GenericKubernetesResource object) {
    return thisVersionOr(object, null);
  }

  /**
   * The server's answer to this driver's write of {@code desired}: the conversion the watch made
   * of that version if it came first (one version, one {@code Resource}, whichever of the answer
   * and the watch arrives first), else a new one sharing {@code desired}'s unchanged parts.
   * Not for dry runs, whose answer has the version of the object they did not change.
   */
  public Resource answer(GenericKubernetesResource object, Resource desired) {
    return thisVersionOr(object, desired);
  }

  /** The conversion made of this very version, else a new one sharing {@code like}'s parts (the last version's when null). */
  private Resource thisVersionOr(GenericKubernetesResource object, @Nullable Resource like) {
    Slot slot = slotOf(object);
    Resource last = slot == null ? null : conversion(slot);
    if (last != null && object.getMetadata().getResourceVersion().equals(last.resourceVersion())) {
      return last;
    }
    return toResource(object, like != null ? like : last);
  }

  /**
   * Before this driver sends a write of {@code desired} to that slot: should the watch bring the
   * written version before the answer does, its conversion shares {@code desired}'s unchanged
   * parts. {@link #sent} ends it.
   */
  public void sending(Slot slot, Resource desired) {
    sending.put(slot, desired);
  }

  /** The write {@link #sending} announced has been answered (or failed). */
  public void sent(Slot slot, Resource desired) {
    sending.remove(slot, desired);
  }

  /**
   * A fabric8 object as a {@link Resource} whose tree shares every part equal to {@code like}'s
   * at the same path ({@link Resource#of(JsonNode, Resource)}): the answer to a write
   * shares the desired object's unchanged subtrees and strings, a new version of an object the
   * previous version's, so the planner's desired object and the driver's live one cost one tree
   * plus their differences. {@code like} is only read; {@code null} shares nothing.
   */
  public Resource toResource(GenericKubernetesResource object, @Nullable Resource like) {
    ObjectNode tree = toJson(object);
    shareMetadataStrings(tree);
    return Resource.of(tree, like);
  }

  /**
   * Metadata values that many objects repeat and no desired object holds (creation timestamps of
   * one second, names that every namespace repeats, the plane's own inventory annotations): each
   * is one string across the objects converted, not one per object. Only these: nothing a
   * user's object could hold a secret in.
   */
  private void shareMetadataStrings(ObjectNode tree) {
    if (!(tree.get("metadata") instanceof ObjectNode metadata)) {
      return;
    }
    share(metadata, "creationTimestamp");
    share(metadata, "name");
    if (metadata.get("annotations") instanceof ObjectNode annotations) {
      for (String key : SHARED_ANNOTATIONS) {
        share(annotations, key);
      }
    }
  }

  private void share(ObjectNode parent, String field) {
    JsonNode value = parent.get(field);
    if (value == null || !value.isString()) {
      return;
    }
    String text = value.stringValue();
    int h = text.hashCode();
    int slot = (h ^ (h >>> 16)) & (recentStrings.length - 1);
    String seen = recentStrings[slot]; // racy by design: a race loses a chance to share, nothing else
    if (seen != null && seen != text && seen.equals(text)) {
      parent.put(field, seen);
    } else {
      recentStrings[slot] = text;
    }
  }

  /** The plane's own annotations whose values repeat across objects (not the per-object content hash). */
  private static final List<String> SHARED_ANNOTATIONS = List.of(Ownership.APPLIED_FIELDS_ANNOTATION,
      Inventory.GROUP_KINDS_ANNOTATION, Inventory.TOOLING_ANNOTATION, Inventory.NAMESPACES_ANNOTATION);

  private static @Nullable Slot slotOf(GenericKubernetesResource object) {
    var meta = object.getMetadata();
    return meta == null || meta.getName() == null || meta.getResourceVersion() == null ? null
        : new Slot(Resource.groupOf(object.getApiVersion()), object.getKind(),
            meta.getNamespace() == null ? "" : meta.getNamespace(), meta.getName());
  }

  /** A fabric8 object as a JSON tree. */
  public ObjectNode toJson(GenericKubernetesResource object) {
    return (ObjectNode) serialization.convertValue(object, JsonNode.class);
  }

  static boolean hasFinalizers(Resource r) {
    return !r.json().path("metadata").path("finalizers").isEmpty();
  }

  // resourceVersions are opaque; where both are numbers (etcd revisions, the mock) they order.
  static boolean olderThan(@Nullable String candidate, @Nullable String than) {
    if (candidate == null || than == null) {
      return candidate == null && than != null;
    }
    try {
      return Long.parseLong(candidate) < Long.parseLong(than);
    } catch (NumberFormatException e) {
      return false; // unordered versions: any version the cache shows is taken as current
    }
  }
}
