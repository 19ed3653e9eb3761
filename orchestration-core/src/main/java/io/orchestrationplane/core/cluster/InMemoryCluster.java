package io.orchestrationplane.core.cluster;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.resource.internal.FrozenJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The embedded cluster: a thread-safe, in-memory object store that behaves like a Kubernetes
 * API server where the plane can tell. It sets {@code uid}, {@code resourceVersion},
 * {@code generation} (bumped only when something outside metadata and status changes) and
 * {@code creationTimestamp}; rejects writes carrying a stale resourceVersion; keeps the fields
 * other writers set (an apply removes only fields that the previous apply set and this one no
 * longer does, like {@code kubectl apply}); and delivers watch events in write order.
 *
 * <pre>{@code
 * InMemoryCluster prod = InMemoryCluster.builder("prod").clock(clock).build();
 * prod.apply(Resource.fromYaml(yaml));
 * }</pre>
 */
public final class InMemoryCluster implements ClusterDriver {
  private static final Set<String> SERVER_METADATA =
      Set.of("uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "deletionTimestamp");

  private final String name;
  private final Clock clock;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<GroupKind, TreeMap<String, Slot>> objects = new HashMap<>();
  // label -> the objects carrying it, by kind: selector lists cost O(matches), not O(objects)
  private final Map<Label, Labelled> labelIndex = new HashMap<>();
  private final AtomicLong resourceVersions = new AtomicLong();
  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Runnable> pendingEvents = new ConcurrentLinkedQueue<>();
  private final ReentrantLock dispatch = new ReentrantLock();
  private final AtomicLong creates = new AtomicLong();
  private final AtomicLong updates = new AtomicLong();
  private final AtomicLong statusUpdates = new AtomicLong();
  private final AtomicLong deletes = new AtomicLong();

  /**
   * An object and what the last apply set (the three-way merge's input, never changed), kept
   * read-only ({@link FrozenJson}: a third of the memory of Jackson's maps). The two share their
   * equal parts, and with the applied {@code Resource}'s tree too: each write makes its trees
   * against the tree they derive from ({@link FrozenJson#copyOf(JsonNode, JsonNode)}, {@link
   * Resource#of(JsonNode, Resource)}).
   */
  private record Stored(Resource resource, ObjectNode lastApplied) {
    Stored {
      lastApplied = (ObjectNode) FrozenJson.copyOf(lastApplied);
    }
  }

  /** One label as an index key: hashing it reuses the strings' cached hashes. */
  private record Label(String key, String value) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Label other && value.equals(other.value) && key.equals(other.key);
    }

    @Override
    public int hashCode() {
      return 31 * key.hashCode() + value.hashCode();
    }
  }

  /**
   * One object's place in the store. The label index points at slots, so a write that keeps an
   * object's labels leaves the index alone, and a listing never looks an object up again.
   * Guarded by the store lock.
   */
  private static final class Slot {
    final String key;
    @Nullable Stored current;

    Slot(String key) {
      this.key = key;
    }
  }

  /** The objects carrying one label, by kind, each kind sorted by namespace and name. Guarded by the store lock. */
  private static final class Labelled {
    final Map<GroupKind, TreeMap<String, Slot>> byKind = new HashMap<>();
    int size;
  }

  private static final class Watcher {
    final Set<GroupKind> kinds;
    final Consumer<WatchEvent> listener;
    volatile boolean closed;

    Watcher(Set<GroupKind> kinds, Consumer<WatchEvent> listener) {
      this.kinds = kinds;
      this.listener = listener;
    }

    boolean wants(GroupKind kind) {
      return kinds.isEmpty() || kinds.contains(kind);
    }

    // Events queued before the watch was closed are dropped, not delivered late.
    void deliver(WatchEvent event) {
      if (!closed) {
        listener.accept(event);
      }
    }
  }

  /** Counts of successful writes since the cluster was made, for tests and benchmarks. */
  public record Stats(long creates, long updates, long statusUpdates, long deletes) {
    /** Creates, updates and deletes (status writes excluded). */
    public long writes() {
      return creates + updates + deletes;
    }
  }

  private InMemoryCluster(Builder builder) {
    this.name = builder.name;
    this.clock = builder.clock;
    this.storedForm = builder.storedForm;
  }

  /** Whether objects are stored in the form a Kubernetes API server stores them (see {@link Builder#storedForm}). */
  private final boolean storedForm;
  private final KubernetesForm kubernetesForm = KubernetesForm.create();

  /** The second {@link #now} last formatted, and its text (guarded by the write lock). */
  private @Nullable Instant stampedSecond;
  private String stamp = "";

  /** The clock's time to the second as an API server writes timestamps; the caller holds the write lock. */
  private String now() {
    Instant second = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    if (!second.equals(stampedSecond)) {
      stamp = DateTimeFormatter.ISO_INSTANT.format(second);
      stampedSecond = second;
    }
    return stamp;
  }

  /** The object as this cluster stores it: in Kubernetes' stored form when asked for. */
  private ObjectNode stored(ObjectNode object) {
    return storedForm ? kubernetesForm.of(Resource.of(object)).toJson() : object;
  }

  /** An empty cluster with the system clock. */
  public static InMemoryCluster create(String name) {
    return builder(name).build();
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds an {@link InMemoryCluster}. */
  public static final class Builder {
    private final String name;
    private Clock clock = Clock.systemUTC();
    private boolean storedForm;

    private Builder(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("cluster name must not be blank");
      }
      this.name = name;
    }

    /** The clock that stamps creationTimestamp. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Store objects the way a Kubernetes API server (1.30) does, so tests see what a real cluster
     * returns (default false: objects are stored as written): canonical quantities, {@code
     * omitempty} empties dropped, Secret {@code stringData} folded into {@code data}, the defaults
     * of workloads, pods, containers, Services and Jobs, an allocated cluster IP, and what
     * admission adds to a bare Pod (default tolerations, the service-account token volume).
     */
    public Builder storedForm(boolean value) {
      this.storedForm = value;
      return this;
    }

    public InMemoryCluster build() {
      return new InMemoryCluster(this);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<Resource> get(ResourceKey key) {
    lock.readLock().lock();
    try {
      TreeMap<String, Slot> ofKind = objects.get(key.groupKind());
      Slot s = ofKind == null ? null : ofKind.get(slot(key.namespace(), key.name()));
      return s == null ? Optional.empty() : Optional.of(s.current.resource());
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<Resource> list(GroupKind kind, @Nullable String namespace, Map<String, String> labels) {
    lock.readLock().lock();
    try {
      List<Resource> out = new ArrayList<>();
      listLocked(kind, namespace, labels, out);
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** One read lock for every kind: a consistent view, and one index lookup per label for all of them. */
  @Override
  public List<Resource> list(Collection<GroupKind> kinds, @Nullable String namespace, Map<String, String> labels) {
    lock.readLock().lock();
    try {
      List<Resource> out = new ArrayList<>();
      if (labels == null || labels.isEmpty()) {
        for (GroupKind kind : kinds) {
          listLocked(kind, namespace, labels, out);
        }
        return out;
      }
      Candidates candidates = candidates(labels);
      if (candidates != null) {
        for (GroupKind kind : kinds) {
          listLabelled(candidates, kind, namespace, out);
        }
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  // Called with the read lock held.
  private void listLocked(GroupKind kind, @Nullable String namespace, Map<String, String> labels, List<Resource> out) {
    if (labels != null && !labels.isEmpty()) {
      Candidates candidates = candidates(labels);
      if (candidates != null) {
        listLabelled(candidates, kind, namespace, out);
      }
      return;
    }
    TreeMap<String, Slot> ofKind = objects.get(kind);
    if (ofKind == null) {
      return;
    }
    Collection<Slot> candidates = namespace == null
        ? ofKind.values()
        : ofKind.subMap(namespace + '\0', namespace + '\1').values();
    for (Slot s : candidates) {
      out.add(s.current.resource());
    }
  }

  /**
   * The objects to look through for a selector: those carrying its rarest label, and the other
   * labels each of them must also carry. Null when some label is carried by none.
   */
  private @Nullable Candidates candidates(Map<String, String> labels) {
    Labelled smallest = null;
    String chosen = null;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      Labelled l = labelIndex.get(new Label(e.getKey(), e.getValue()));
      if (l == null) {
        return null;
      }
      if (smallest == null || l.size < smallest.size) {
        smallest = l;
        chosen = e.getKey();
      }
    }
    String[] keys = new String[labels.size() - 1];
    String[] values = new String[keys.length];
    int i = 0;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (!e.getKey().equals(chosen)) {
        keys[i] = e.getKey();
        values[i] = e.getValue();
        i++;
      }
    }
    return new Candidates(smallest, keys, values);
  }

  private record Candidates(@Nullable Labelled labelled, String[] keys, String[] values) {}

  private static void listLabelled(Candidates candidates, GroupKind kind, @Nullable String namespace, List<Resource> out) {
    TreeMap<String, Slot> ofKind = candidates.labelled().byKind.get(kind);
    if (ofKind == null) {
      return;
    }
    Collection<Slot> slots = namespace == null
        ? ofKind.values()
        : ofKind.subMap(namespace + '\0', namespace + '\1').values();
    String[] keys = candidates.keys();
    String[] values = candidates.values();
    next:
    for (Slot s : slots) {
      Resource r = s.current.resource();
      if (keys.length > 0) {
        Map<String, String> carried = r.labels();
        for (int i = 0; i < keys.length; i++) {
          if (!values[i].equals(carried.get(keys[i]))) {
            continue next;
          }
        }
      }
      out.add(r);
    }
  }

  /** Every object of every kind, sorted by group, kind, namespace and name. */
  public List<Resource> all() {
    lock.readLock().lock();
    try {
      List<Resource> out = new ArrayList<>();
      objects.entrySet().stream()
          .sorted((a, b) -> a.getKey().toString().compareTo(b.getKey().toString()))
          .forEach(e -> e.getValue().values().forEach(s -> out.add(s.current.resource())));
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** How many objects the cluster holds. */
  public int size() {
    lock.readLock().lock();
    try {
      return objects.values().stream().mapToInt(Map::size).sum();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Counts of writes so far. */
  public Stats stats() {
    return new Stats(creates.get(), updates.get(), statusUpdates.get(), deletes.get());
  }

  @Override
  public Resource apply(Resource desired) {
    return write(desired, Write.APPLY);
  }

  /** Creates the object; fails with ALREADY_EXISTS, writing nothing, when it exists. Atomic. */
  @Override
  public Resource create(Resource object) {
    return write(object, Write.CREATE);
  }

  /**
   * Replaces an existing object the way another writer's PUT would (kubectl edit, a controller):
   * every field but status and server metadata comes from {@code object}, and the record of what
   * the last {@link #apply} set is kept, so the next apply still merges correctly. Use it in tests
   * to make out-of-band changes. Fails with NOT_FOUND when the object does not exist.
   */
  @Override
  public Resource update(Resource object) {
    return write(object, Write.UPDATE);
  }

  private enum Write { CREATE, APPLY, UPDATE }

  private Resource write(Resource desired, Write mode) {
    boolean apply = mode != Write.UPDATE;
    Objects.requireNonNull(desired, "desired");
    ObjectNode edited = desired.toJson();
    edited.remove("status");
    String expectedVersion = desired.resourceVersion();
    ((ObjectNode) edited.get("metadata")).remove(SERVER_METADATA);
    // read-only, and the desired tree itself when it had neither status nor server metadata
    ObjectNode content = (ObjectNode) FrozenJson.copyOf(edited, desired.json());
    GroupKind kind = desired.groupKind();
    String slot = slot(desired.namespace(), desired.name());
    Resource stored;
    lock.writeLock().lock();
    try {
      TreeMap<String, Slot> ofKind = objects.computeIfAbsent(kind, k -> new TreeMap<>());
      Slot at = ofKind.get(slot);
      Stored live = at == null ? null : at.current;
      if (live == null && !apply) {
        throw ClusterException.notFound(name, desired + " not found"); // checked under the lock
      }
      if (live != null && mode == Write.CREATE) {
        throw ClusterException.alreadyExists(name, desired + " already exists"); // checked under the lock
      }
      if (live == null) {
        if (expectedVersion != null && mode == Write.CREATE) {
          throw ClusterException.invalid(name, desired + ": resourceVersion should not be set on objects to be created");
        }
        if (expectedVersion != null) {
          throw ClusterException.conflict(name, desired + " was deleted (write carried resourceVersion "
              + expectedVersion + ")");
        }
        long rv = resourceVersions.incrementAndGet();
        String uid = UUID.nameUUIDFromBytes((name + "/" + rv).getBytes(StandardCharsets.UTF_8)).toString();
        String creationTimestamp = now();
        Consumer<ObjectNode> serverSet = t -> {
          ObjectNode m = (ObjectNode) t.get("metadata");
          m.put("uid", uid);
          m.put("resourceVersion", Long.toString(rv));
          m.put("generation", 1L);
          m.put("creationTimestamp", creationTimestamp);
        };
        if (storedForm) {
          ObjectNode created = stored(edited);
          serverSet.accept(created);
          stored = Resource.of(created);
        } else {
          // the tree of `content` built again in the one copy the new resource makes, instead of
          // copying `content` and then that copy
          stored = desired.edit(t -> {
            t.remove("status");
            ((ObjectNode) t.get("metadata")).remove(SERVER_METADATA);
            serverSet.accept(t);
          });
        }
        store(kind, ofKind, slot, new Stored(stored, content));
        creates.incrementAndGet();
        enqueue(kind, new WatchEvent(name, WatchEvent.Type.ADDED, stored));
      } else {
        checkVersion(live.resource(), expectedVersion);
        ObjectNode merged;
        if (apply) {
          merged = (ObjectNode) ApplyMerge.threeWay(live.resource().toJson(), content, live.lastApplied());
        } else {
          merged = content.deepCopy();
          ObjectNode m = (ObjectNode) merged.get("metadata");
          JsonNode liveMeta = live.resource().json().get("metadata");
          SERVER_METADATA.forEach(f -> {
            if (liveMeta.has(f)) {
              m.set(f, liveMeta.get(f).deepCopy());
            }
          });
          JsonNode status = live.resource().json().get("status");
          if (status != null) {
            merged.set("status", status.deepCopy());
          }
        }
        ObjectNode lastApplied = apply ? content : live.lastApplied();
        merged = stored(merged);
        if (merged.equals(live.resource().json())) {
          store(kind, ofKind, slot, new Stored(live.resource(), lastApplied));
          return live.resource();
        }
        ObjectNode m = (ObjectNode) merged.get("metadata");
        m.put("resourceVersion", Long.toString(resourceVersions.incrementAndGet()));
        if (specChanged(live.resource().json(), merged)) {
          m.put("generation", live.resource().generation() + 1);
        }
        stored = Resource.of(merged, live.resource());
        if (stored.isBeingDeleted() && stored.json().path("metadata").path("finalizers").isEmpty()) {
          remove(kind, ofKind, slot); // the last finalizer is gone: the deletion completes
        } else {
          store(kind, ofKind, slot, new Stored(stored, lastApplied));
          updates.incrementAndGet();
          enqueue(kind, new WatchEvent(name, WatchEvent.Type.MODIFIED, stored));
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
    deliver();
    return stored;
  }

  /**
   * What {@link #apply} would store, stored form included, without storing it: as an API server
   * answers a server-side apply with {@code dryRun=All}.
   */
  @Override
  public Optional<Resource> dryRunApply(Resource desired) {
    ObjectNode content = desired.toJson();
    content.remove("status");
    ((ObjectNode) content.get("metadata")).remove(SERVER_METADATA);
    lock.readLock().lock();
    try {
      TreeMap<String, Slot> ofKind = objects.get(desired.groupKind());
      Slot at = ofKind == null ? null : ofKind.get(slot(desired.namespace(), desired.name()));
      if (at == null) {
        return Optional.of(Resource.of(stored(content)));
      }
      Stored live = at.current;
      ObjectNode merged = stored((ObjectNode) ApplyMerge.threeWay(live.resource().toJson(), content, live.lastApplied()));
      return Optional.of(Resource.of(merged));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Resource updateStatus(Resource withStatus) {
    GroupKind kind = withStatus.groupKind();
    String slot = slot(withStatus.namespace(), withStatus.name());
    Resource stored;
    lock.writeLock().lock();
    try {
      TreeMap<String, Slot> ofKind = objects.get(kind);
      Slot at = ofKind == null ? null : ofKind.get(slot);
      Stored live = at == null ? null : at.current;
      if (live == null) {
        throw ClusterException.notFound(name, withStatus + " not found");
      }
      checkVersion(live.resource(), withStatus.resourceVersion());
      JsonNode status = withStatus.json().get("status");
      if (Objects.equals(status, live.resource().json().get("status"))) {
        return live.resource();
      }
      ObjectNode next = live.resource().toJson();
      if (status == null) {
        next.remove("status");
      } else {
        next.set("status", status.deepCopy());
      }
      ((ObjectNode) next.get("metadata")).put("resourceVersion", Long.toString(resourceVersions.incrementAndGet()));
      stored = Resource.of(next, live.resource());
      store(kind, ofKind, slot, new Stored(stored, live.lastApplied()));
      statusUpdates.incrementAndGet();
      enqueue(kind, new WatchEvent(name, WatchEvent.Type.MODIFIED, stored));
    } finally {
      lock.writeLock().unlock();
    }
    deliver();
    return stored;
  }

  @Override
  public boolean delete(ResourceKey key) {
    return delete(key, Preconditions.NONE);
  }

  /** Deletes the object if it meets the preconditions, checked atomically with the delete. */
  @Override
  public boolean delete(ResourceKey key, Preconditions preconditions) {
    Objects.requireNonNull(preconditions, "preconditions");
    lock.writeLock().lock();
    try {
      TreeMap<String, Slot> ofKind = objects.get(key.groupKind());
      String at = slot(key.namespace(), key.name());
      Slot present = ofKind == null ? null : ofKind.get(at);
      if (present == null) {
        return false;
      }
      String violated = preconditions.violatedBy(present.current.resource());
      if (violated != null) {
        throw ClusterException.conflict(name, "delete " + key.display() + ": " + violated);
      }
      Resource current = present.current.resource();
      if (current.json().path("metadata").path("finalizers").size() > 0) {
        // Finalizers hold the object: it is marked for deletion and goes when the last one is removed.
        if (!current.isBeingDeleted()) {
          ObjectNode marked = current.toJson();
          ObjectNode m = (ObjectNode) marked.get("metadata");
          m.put("deletionTimestamp", now());
          m.put("deletionGracePeriodSeconds", 0);
          m.put("resourceVersion", Long.toString(resourceVersions.incrementAndGet()));
          Resource stored = Resource.of(marked, current);
          store(key.groupKind(), ofKind, at, new Stored(stored, present.current.lastApplied()));
          updates.incrementAndGet();
          enqueue(key.groupKind(), new WatchEvent(name, WatchEvent.Type.MODIFIED, stored));
        }
      } else {
        remove(key.groupKind(), ofKind, at);
      }
    } finally {
      lock.writeLock().unlock();
    }
    deliver();
    return true;
  }

  // Called with the write lock held.
  private void remove(GroupKind kind, @Nullable TreeMap<String, Slot> ofKind, String at) {
    Slot removed = ofKind.remove(at);
    index(kind, removed, removed.current.resource().labels(), Map.of());
    deletes.incrementAndGet();
    enqueue(kind, new WatchEvent(name, WatchEvent.Type.DELETED, removed.current.resource()));
  }

  @Override
  public AutoCloseable watch(Collection<GroupKind> kinds, Consumer<WatchEvent> listener) {
    Watcher watcher = new Watcher(Set.copyOf(kinds), Objects.requireNonNull(listener, "listener"));
    lock.writeLock().lock();
    try {
      watchers.add(watcher);
      objects.forEach((kind, ofKind) -> {
        if (watcher.wants(kind)) {
          ofKind.values().forEach(s -> pendingEvents.add(
              () -> watcher.deliver(new WatchEvent(name, WatchEvent.Type.ADDED, s.current.resource()))));
        }
      });
    } finally {
      lock.writeLock().unlock();
    }
    deliver();
    return () -> {
      watcher.closed = true;
      watchers.remove(watcher);
    };
  }

  @Override
  public String toString() {
    return "InMemoryCluster[" + name + "]";
  }

  // Called with the write lock held, so events are queued in write order.
  private void enqueue(GroupKind kind, WatchEvent event) {
    for (Watcher w : watchers) {
      if (w.wants(kind)) {
        pendingEvents.add(() -> w.deliver(event));
      }
    }
  }

  // Delivers queued events outside the store lock, one thread at a time, in queue order. A
  // listener that writes to this cluster queues its events; the outer loop delivers them.
  private void deliver() {
    while (!pendingEvents.isEmpty()) {
      if (dispatch.isHeldByCurrentThread() || !dispatch.tryLock()) {
        return;
      }
      try {
        Runnable next;
        while ((next = pendingEvents.poll()) != null) {
          try {
            next.run();
          } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(InMemoryCluster.class)
                .warn("watch listener on cluster {} failed", name, e);
          }
        }
      } finally {
        dispatch.unlock();
      }
    }
  }

  // Called with the write lock held.
  private void store(GroupKind kind, @Nullable TreeMap<String, Slot> ofKind, String key, Stored next) {
    Slot slot = ofKind.computeIfAbsent(key, Slot::new);
    Map<String, String> before = slot.current == null ? Map.of() : slot.current.resource().labels();
    slot.current = next;
    index(kind, slot, before, next.resource().labels());
  }

  private void index(GroupKind kind, Slot slot, Map<String, String> before, Map<String, String> after) {
    if (before.equals(after)) {
      return;
    }
    before.forEach((k, v) -> {
      if (v != null && !v.equals(after.get(k))) {
        Label label = new Label(k, v);
        Labelled labelled = labelIndex.get(label);
        TreeMap<String, Slot> ofKind = labelled == null ? null : labelled.byKind.get(kind);
        if (ofKind != null && ofKind.remove(slot.key) != null) {
          labelled.size--;
          if (ofKind.isEmpty()) {
            labelled.byKind.remove(kind);
          }
          if (labelled.size == 0) {
            labelIndex.remove(label);
          }
        }
      }
    });
    after.forEach((k, v) -> {
      if (v != null && !v.equals(before.get(k))) {
        Labelled labelled = labelIndex.computeIfAbsent(new Label(k, v), x -> new Labelled());
        if (labelled.byKind.computeIfAbsent(kind, x -> new TreeMap<>()).put(slot.key, slot) == null) {
          labelled.size++;
        }
      }
    });
  }

  private void checkVersion(Resource live, @Nullable String expected) {
    if (expected != null && !expected.equals(live.resourceVersion())) {
      throw ClusterException.conflict(name, live + ": conflict (stale resourceVersion " + expected
          + ", live is " + live.resourceVersion() + ")");
    }
  }

  private static boolean specChanged(JsonNode before, JsonNode after) {
    Set<String> names = new java.util.HashSet<>(before.propertyNames());
    names.addAll(after.propertyNames());
    for (String field : names) {
      if (field.equals("metadata") || field.equals("status")) {
        continue;
      }
      if (!Objects.equals(before.get(field), after.get(field))) {
        return true;
      }
    }
    return false;
  }

  private static String slot(String namespace, String name) {
    return namespace + '\0' + name;
  }
}
