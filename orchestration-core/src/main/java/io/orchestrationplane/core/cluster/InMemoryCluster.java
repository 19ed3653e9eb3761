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
  // kind -> its objects; one Kind (and one GroupKind) per kind for the cluster's life
  private final Map<GroupKind, Kind> kinds = new HashMap<>();
  // label key -> label value -> the objects carrying it (see Crowd): selector lists cost
  // O(matches), not O(objects)
  private final Map<String, Map<String, Object>> labelIndex = new HashMap<>();
  private final AtomicLong resourceVersions = new AtomicLong();
  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Runnable> pendingEvents = new ConcurrentLinkedQueue<>();
  private final ReentrantLock dispatch = new ReentrantLock();
  private final AtomicLong creates = new AtomicLong();
  private final AtomicLong updates = new AtomicLong();
  private final AtomicLong statusUpdates = new AtomicLong();
  private final AtomicLong deletes = new AtomicLong();

  /**
   * A label value carried by more objects than this is indexed by its count only: a selector
   * made of such labels alone is answered by a filtered walk of each kind's objects (a listing by
   * a common label visits a large part of them anyway), and a selector that also names a rarer
   * label goes through the rarer one.
   */
  static final int CROWD = 512;

  /** One kind's objects, sorted by namespace and name. Guarded by the store lock. */
  private static final class Kind {
    final GroupKind groupKind;
    /** The order of kinds in a label's holders. */
    final int id;
    final Shelf objects = new Shelf();

    Kind(GroupKind groupKind, int id) {
      this.groupKind = groupKind;
      this.id = id;
    }
  }

  /**
   * One object in the store and what the last apply set (the three-way merge's input, never
   * changed), kept read-only ({@link FrozenJson}: a third of the memory of Jackson's maps). The
   * two share their equal parts, and with the applied {@code Resource}'s tree too: each write
   * makes its trees against the tree they derive from ({@link FrozenJson#copyOf(JsonNode,
   * JsonNode)}, {@link Resource#of(JsonNode, Resource)}). A write replaces the contents in place,
   * so the kind's shelf and the label index, which point at entries, change only when the object
   * comes, goes or changes labels. Its namespace and name are its resource's. Guarded by the
   * store lock.
   */
  private static final class Entry {
    final Kind kind;
    Resource resource;
    ObjectNode lastApplied;

    Entry(Kind kind, Resource resource, ObjectNode lastApplied) {
      this.kind = kind;
      set(resource, lastApplied);
    }

    void set(Resource next, ObjectNode applied) {
      this.resource = next;
      this.lastApplied = (ObjectNode) FrozenJson.copyOf(applied);
    }
  }

  /** Orders entries by namespace and name (the order of every listing of one kind). */
  private static int compare(Entry e, String namespace, String name) {
    Resource r = e.resource;
    int c = r.namespace().compareTo(namespace);
    return c != 0 ? c : r.name().compareTo(name);
  }

  /** Orders a label's holders: by kind, then namespace and name. */
  private static int compareHolders(Entry a, Entry b) {
    int c = Integer.compare(a.kind.id, b.kind.id);
    return c != 0 ? c : compare(a, b.resource.namespace(), b.resource.name());
  }

  /** Whether the object carries every label of the selector's arrays. */
  private static boolean carries(Resource r, String[] keys, String[] values) {
    if (keys.length == 0) {
      return true;
    }
    Map<String, String> carried = r.labels();
    for (int i = 0; i < keys.length; i++) {
      if (!values[i].equals(carried.get(keys[i]))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Entries sorted by namespace and name in chunks of at most {@link #CHUNK}, so that an insert or
   * a removal moves at most a chunk's references and the whole costs about a reference per entry
   * (a TreeMap costs a 40-byte node and a key). Guarded by the store lock.
   */
  private static final class Shelf {
    private static final int CHUNK = 256;
    private Entry[][] chunks = new Entry[0][];
    private int[] sizes = new int[0];
    private int used;
    private int size;

    int size() {
      return size;
    }

    /** The first chunk whose last entry is not before the key; the last chunk when there is none. */
    private int chunkFor(String namespace, String name) {
      int lo = 0;
      int hi = used - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (compare(chunks[mid][sizes[mid] - 1], namespace, name) < 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    /** The key's index in chunk {@code c}, or {@code -(insertion point) - 1}. */
    private int indexIn(int c, String namespace, String name) {
      Entry[] chunk = chunks[c];
      int lo = 0;
      int hi = sizes[c] - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int cmp = compare(chunk[mid], namespace, name);
        if (cmp < 0) {
          lo = mid + 1;
        } else if (cmp > 0) {
          hi = mid - 1;
        } else {
          return mid;
        }
      }
      return -lo - 1;
    }

    @Nullable Entry get(String namespace, String name) {
      if (used == 0) {
        return null;
      }
      int c = chunkFor(namespace, name);
      int i = indexIn(c, namespace, name);
      return i >= 0 ? chunks[c][i] : null;
    }

    /** Adds an entry whose namespace and name the shelf does not hold. */
    void insert(Entry e) {
      String namespace = e.resource.namespace();
      String name = e.resource.name();
      if (used == 0) {
        addChunk(0, new Entry[4]);
      }
      int c = chunkFor(namespace, name);
      int i = -indexIn(c, namespace, name) - 1;
      if (i < 0) {
        throw new IllegalStateException("already shelved: " + e.resource);
      }
      if (sizes[c] == CHUNK) {
        if (c == used - 1 && i == CHUNK) {
          // appending in key order (the usual way a store fills): start a chunk, leave this one full
          addChunk(used, new Entry[4]);
          c++;
          i = 0;
        } else {
          int half = CHUNK / 2;
          Entry[] right = new Entry[CHUNK];
          System.arraycopy(chunks[c], half, right, 0, half);
          java.util.Arrays.fill(chunks[c], half, CHUNK, null);
          sizes[c] = half;
          addChunk(c + 1, right);
          sizes[c + 1] = half;
          if (i > half) {
            c++;
            i -= half;
          }
        }
      }
      Entry[] chunk = chunks[c];
      int n = sizes[c];
      if (n == chunk.length) {
        chunk = chunks[c] = java.util.Arrays.copyOf(chunk, Math.min(CHUNK, n * 2));
      }
      System.arraycopy(chunk, i, chunk, i + 1, n - i);
      chunk[i] = e;
      sizes[c] = n + 1;
      size++;
    }

    private void addChunk(int at, Entry[] chunk) {
      if (used == chunks.length) {
        int capacity = Math.max(4, used * 2);
        chunks = java.util.Arrays.copyOf(chunks, capacity);
        sizes = java.util.Arrays.copyOf(sizes, capacity);
      }
      System.arraycopy(chunks, at, chunks, at + 1, used - at);
      System.arraycopy(sizes, at, sizes, at + 1, used - at);
      chunks[at] = chunk;
      sizes[at] = 0;
      used++;
    }

    /** Removes an entry the shelf holds. */
    void remove(Entry e) {
      int c = chunkFor(e.resource.namespace(), e.resource.name());
      int i = indexIn(c, e.resource.namespace(), e.resource.name());
      if (i < 0 || chunks[c][i] != e) {
        throw new IllegalStateException("not shelved: " + e.resource);
      }
      Entry[] chunk = chunks[c];
      int n = sizes[c] - 1;
      System.arraycopy(chunk, i + 1, chunk, i, n - i);
      chunk[n] = null;
      sizes[c] = n;
      size--;
      if (n == 0) {
        System.arraycopy(chunks, c + 1, chunks, c, used - c - 1);
        System.arraycopy(sizes, c + 1, sizes, c, used - c - 1);
        used--;
        chunks[used] = null;
      } else if (chunk.length > 8 && n < chunk.length / 4) {
        chunks[c] = java.util.Arrays.copyOf(chunk, n * 2);
      }
    }

    /**
     * Adds to {@code out} the resources in {@code namespace} (every namespace when null) that carry
     * the given labels, in order.
     */
    void list(@Nullable String namespace, String[] keys, String[] values, List<Resource> out) {
      if (used == 0) {
        return;
      }
      int c = 0;
      int i = 0;
      if (namespace != null) {
        c = chunkFor(namespace, "");
        i = indexIn(c, namespace, "");
        i = i < 0 ? -i - 1 : i;
      }
      for (; c < used; c++, i = 0) {
        Entry[] chunk = chunks[c];
        for (int n = sizes[c]; i < n; i++) {
          Resource r = chunk[i].resource;
          if (namespace != null && !namespace.equals(r.namespace())) {
            return;
          }
          if (carries(r, keys, values)) {
            out.add(r);
          }
        }
      }
    }

    void forEach(Consumer<Entry> action) {
      for (int c = 0; c < used; c++) {
        Entry[] chunk = chunks[c];
        for (int i = 0, n = sizes[c]; i < n; i++) {
          action.accept(chunk[i]);
        }
      }
    }
  }

  /**
   * The objects carrying one label value, as the index holds them: one {@link Entry} when one
   * object carries it (an application's instance label on a kind it has one of), an {@code
   * Entry[]} of exactly the holders sorted by kind, namespace and name for up to {@link #CROWD},
   * and a {@link Crowd} (the count alone) beyond.
   */
  private static final class Crowd {
    int count;

    Crowd(int count) {
      this.count = count;
    }
  }

  private static int holderCount(Object holders) {
    return holders instanceof Entry ? 1 : holders instanceof Entry[] a ? a.length : ((Crowd) holders).count;
  }

  /** The index of {@code e} among sorted holders, or {@code -(insertion point) - 1}. */
  private static int holderIndex(Entry[] holders, Entry e) {
    return java.util.Arrays.binarySearch(holders, e, InMemoryCluster::compareHolders);
  }

  /** The first of the sorted holders of the given kind or a later one. */
  private static int firstOfKind(Entry[] holders, Kind kind) {
    int lo = 0;
    int hi = holders.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (holders[mid].kind.id < kind.id) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
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
      Entry e = find(key.groupKind(), key.namespace(), key.name());
      return e == null ? Optional.empty() : Optional.of(e.resource);
    } finally {
      lock.readLock().unlock();
    }
  }

  // Called with the store lock held.
  private @Nullable Entry find(GroupKind groupKind, String namespace, String name) {
    Kind kind = kinds.get(groupKind);
    return kind == null ? null : kind.objects.get(namespace, name);
  }

  @Override
  public List<Resource> list(GroupKind kind, @Nullable String namespace, Map<String, String> labels) {
    return list(List.of(kind), namespace, labels);
  }

  /** One read lock for every kind: a consistent view, and one index lookup per label for all of them. */
  @Override
  public List<Resource> list(Collection<GroupKind> kinds, @Nullable String namespace, Map<String, String> labels) {
    lock.readLock().lock();
    try {
      List<Resource> out = new ArrayList<>();
      Candidates candidates = candidates(labels == null ? Map.of() : labels);
      if (candidates != null) {
        for (GroupKind groupKind : kinds) {
          Kind kind = this.kinds.get(groupKind);
          if (kind != null) {
            candidates.list(kind, namespace, out);
          }
        }
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The objects to look through for a selector: the holders of its rarest label, or every object
   * of the kind when that label is a crowd's or there is no label, and the labels each of them
   * must also carry. Null when some label is carried by none. Called with the read lock held.
   */
  private @Nullable Candidates candidates(Map<String, String> labels) {
    Object smallest = null;
    String chosen = null;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      Map<String, Object> values = labelIndex.get(e.getKey());
      Object holders = values == null ? null : values.get(e.getValue());
      if (holders == null) {
        return null;
      }
      if (smallest == null || holderCount(holders) < holderCount(smallest)) {
        smallest = holders;
        chosen = e.getKey();
      }
    }
    boolean walk = smallest == null || smallest instanceof Crowd;
    int others = walk ? labels.size() : labels.size() - 1;
    String[] keys = new String[others];
    String[] values = new String[others];
    int i = 0;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (walk || !e.getKey().equals(chosen)) {
        keys[i] = e.getKey();
        values[i] = e.getValue();
        i++;
      }
    }
    return new Candidates(walk ? null : smallest, keys, values);
  }

  /** Where to look for a selector's objects ({@code holders} null: each kind's shelf) and the labels to check. */
  private record Candidates(@Nullable Object holders, String[] keys, String[] values) {
    void list(Kind kind, @Nullable String namespace, List<Resource> out) {
      if (holders == null) {
        kind.objects.list(namespace, keys, values, out);
      } else if (holders instanceof Entry one) {
        if (one.kind == kind && (namespace == null || namespace.equals(one.resource.namespace()))
            && carries(one.resource, keys, values)) {
          out.add(one.resource);
        }
      } else {
        Entry[] sorted = (Entry[]) holders;
        for (int i = firstOfKind(sorted, kind); i < sorted.length && sorted[i].kind == kind; i++) {
          Resource r = sorted[i].resource;
          if ((namespace == null || namespace.equals(r.namespace())) && carries(r, keys, values)) {
            out.add(r);
          }
        }
      }
    }
  }

  /** Every object of every kind, sorted by group, kind, namespace and name. */
  public List<Resource> all() {
    lock.readLock().lock();
    try {
      List<Resource> out = new ArrayList<>();
      kinds.values().stream()
          .sorted((a, b) -> a.groupKind.toString().compareTo(b.groupKind.toString()))
          .forEach(k -> k.objects.forEach(e -> out.add(e.resource)));
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** How many objects the cluster holds. */
  public int size() {
    lock.readLock().lock();
    try {
      return kinds.values().stream().mapToInt(k -> k.objects.size()).sum();
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
    Resource stored;
    lock.writeLock().lock();
    try {
      Kind kind = kind(desired.groupKind());
      Entry live = kind.objects.get(desired.namespace(), desired.name());
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
        Entry created = new Entry(kind, stored, content);
        kind.objects.insert(created);
        index(created, Map.of(), stored.labels());
        creates.incrementAndGet();
        enqueue(kind.groupKind, new WatchEvent(name, WatchEvent.Type.ADDED, stored));
      } else {
        checkVersion(live.resource, expectedVersion);
        ObjectNode merged;
        if (apply) {
          merged = (ObjectNode) ApplyMerge.threeWay(live.resource.toJson(), content, live.lastApplied);
        } else {
          merged = content.deepCopy();
          ObjectNode m = (ObjectNode) merged.get("metadata");
          JsonNode liveMeta = live.resource.json().get("metadata");
          SERVER_METADATA.forEach(f -> {
            if (liveMeta.has(f)) {
              m.set(f, liveMeta.get(f).deepCopy());
            }
          });
          JsonNode status = live.resource.json().get("status");
          if (status != null) {
            merged.set("status", status.deepCopy());
          }
        }
        ObjectNode lastApplied = apply ? content : live.lastApplied;
        merged = stored(merged);
        if (merged.equals(live.resource.json())) {
          live.set(live.resource, lastApplied);
          return live.resource;
        }
        ObjectNode m = (ObjectNode) merged.get("metadata");
        m.put("resourceVersion", Long.toString(resourceVersions.incrementAndGet()));
        if (specChanged(live.resource.json(), merged)) {
          m.put("generation", live.resource.generation() + 1);
        }
        stored = Resource.of(merged, live.resource);
        if (stored.isBeingDeleted() && stored.json().path("metadata").path("finalizers").isEmpty()) {
          remove(live); // the last finalizer is gone: the deletion completes
        } else {
          store(live, stored, lastApplied);
          updates.incrementAndGet();
          enqueue(kind.groupKind, new WatchEvent(name, WatchEvent.Type.MODIFIED, stored));
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
      Entry live = find(desired.groupKind(), desired.namespace(), desired.name());
      if (live == null) {
        return Optional.of(Resource.of(stored(content)));
      }
      ObjectNode merged = stored((ObjectNode) ApplyMerge.threeWay(live.resource.toJson(), content, live.lastApplied));
      return Optional.of(Resource.of(merged));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Resource updateStatus(Resource withStatus) {
    Resource stored;
    lock.writeLock().lock();
    try {
      Entry live = find(withStatus.groupKind(), withStatus.namespace(), withStatus.name());
      if (live == null) {
        throw ClusterException.notFound(name, withStatus + " not found");
      }
      checkVersion(live.resource, withStatus.resourceVersion());
      JsonNode status = withStatus.json().get("status");
      if (Objects.equals(status, live.resource.json().get("status"))) {
        return live.resource;
      }
      ObjectNode next = live.resource.toJson();
      if (status == null) {
        next.remove("status");
      } else {
        next.set("status", status.deepCopy());
      }
      ((ObjectNode) next.get("metadata")).put("resourceVersion", Long.toString(resourceVersions.incrementAndGet()));
      stored = Resource.of(next, live.resource);
      store(live, stored, live.lastApplied);
      statusUpdates.incrementAndGet();
      enqueue(live.kind.groupKind, new WatchEvent(name, WatchEvent.Type.MODIFIED, stored));
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
      Entry present = find(key.groupKind(), key.namespace(), key.name());
      if (present == null) {
        return false;
      }
      String violated = preconditions.violatedBy(present.resource);
      if (violated != null) {
        throw ClusterException.conflict(name, "delete " + key.display() + ": " + violated);
      }
      Resource current = present.resource;
      if (current.json().path("metadata").path("finalizers").size() > 0) {
        // Finalizers hold the object: it is marked for deletion and goes when the last one is removed.
        if (!current.isBeingDeleted()) {
          ObjectNode marked = current.toJson();
          ObjectNode m = (ObjectNode) marked.get("metadata");
          m.put("deletionTimestamp", now());
          m.put("deletionGracePeriodSeconds", 0);
          m.put("resourceVersion", Long.toString(resourceVersions.incrementAndGet()));
          Resource stored = Resource.of(marked, current);
          store(present, stored, present.lastApplied);
          updates.incrementAndGet();
          enqueue(present.kind.groupKind, new WatchEvent(name, WatchEvent.Type.MODIFIED, stored));
        }
      } else {
        remove(present);
      }
    } finally {
      lock.writeLock().unlock();
    }
    deliver();
    return true;
  }

  // Called with the write lock held.
  private void remove(Entry removed) {
    removed.kind.objects.remove(removed);
    index(removed, removed.resource.labels(), Map.of());
    deletes.incrementAndGet();
    enqueue(removed.kind.groupKind, new WatchEvent(name, WatchEvent.Type.DELETED, removed.resource));
  }

  @Override
  public AutoCloseable watch(Collection<GroupKind> kinds, Consumer<WatchEvent> listener) {
    Watcher watcher = new Watcher(Set.copyOf(kinds), Objects.requireNonNull(listener, "listener"));
    lock.writeLock().lock();
    try {
      watchers.add(watcher);
      this.kinds.forEach((groupKind, kind) -> {
        if (watcher.wants(groupKind)) {
          kind.objects.forEach(e -> {
            Resource r = e.resource;
            pendingEvents.add(() -> watcher.deliver(new WatchEvent(name, WatchEvent.Type.ADDED, r)));
          });
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

  /** The kind's store, made on its first write; called with the write lock held. */
  private Kind kind(GroupKind groupKind) {
    Kind kind = kinds.get(groupKind);
    if (kind == null) {
      kind = new Kind(groupKind, kinds.size());
      kinds.put(groupKind, kind);
    }
    return kind;
  }

  // Called with the write lock held.
  private void store(Entry entry, Resource next, ObjectNode lastApplied) {
    Map<String, String> before = entry.resource.labels();
    entry.set(next, lastApplied);
    index(entry, before, next.labels());
  }

  /**
   * Moves the entry's place in the label index from the labels it carried to those it carries;
   * the entry's shelf already holds it, or no longer does when it goes. Called with the write lock
   * held.
   */
  private void index(Entry entry, Map<String, String> before, Map<String, String> after) {
    if (before.equals(after)) {
      return;
    }
    before.forEach((k, v) -> {
      if (v != null && !v.equals(after.get(k))) {
        unpost(k, v, entry);
      }
    });
    after.forEach((k, v) -> {
      if (v != null && !v.equals(before.get(k))) {
        post(k, v, entry);
      }
    });
  }

  private void post(String key, String value, Entry entry) {
    Map<String, Object> values = labelIndex.computeIfAbsent(key, k -> new HashMap<>());
    Object holders = values.get(value);
    Object next;
    if (holders == null) {
      next = entry;
    } else if (holders instanceof Crowd crowd) {
      crowd.count++;
      return;
    } else {
      Entry[] sorted = holders instanceof Entry one ? new Entry[] {one} : (Entry[]) holders;
      if (sorted.length == CROWD) {
        next = new Crowd(CROWD + 1);
      } else {
        int at = -holderIndex(sorted, entry) - 1;
        if (at < 0) {
          throw new IllegalStateException("indexed twice: " + entry.resource);
        }
        Entry[] grown = new Entry[sorted.length + 1];
        System.arraycopy(sorted, 0, grown, 0, at);
        grown[at] = entry;
        System.arraycopy(sorted, at, grown, at + 1, sorted.length - at);
        next = grown;
      }
    }
    values.put(value, next);
  }

  private void unpost(String key, String value, Entry entry) {
    Map<String, Object> values = labelIndex.get(key);
    Object holders = values.get(value);
    if (holders instanceof Entry) {
      values.remove(value);
      if (values.isEmpty()) {
        labelIndex.remove(key);
      }
    } else if (holders instanceof Crowd crowd) {
      // back to a list of holders well below the threshold, so that it is not rebuilt at every write
      if (--crowd.count <= CROWD / 2) {
        values.put(value, holdersOf(key, value, crowd.count));
      }
    } else {
      Entry[] sorted = (Entry[]) holders;
      int at = holderIndex(sorted, entry);
      if (at < 0 || sorted[at] != entry) {
        throw new IllegalStateException("not indexed: " + entry.resource);
      }
      if (sorted.length == 2) {
        values.put(value, sorted[1 - at]);
      } else {
        Entry[] shrunk = new Entry[sorted.length - 1];
        System.arraycopy(sorted, 0, shrunk, 0, at);
        System.arraycopy(sorted, at + 1, shrunk, at, shrunk.length - at);
        values.put(value, shrunk);
      }
    }
  }

  /** The holders of a label, found by walking every shelf (sorted by kind, namespace and name). */
  private Entry[] holdersOf(String key, String value, int count) {
    Entry[] out = new Entry[count];
    int[] n = {0};
    kinds.values().stream().sorted((a, b) -> Integer.compare(a.id, b.id)).forEach(kind -> kind.objects.forEach(e -> {
      if (value.equals(e.resource.labels().get(key))) {
        out[n[0]++] = e;
      }
    }));
    if (n[0] != count) {
      throw new IllegalStateException("label " + key + "=" + value + " counted " + count + ", carried by " + n[0]);
    }
    return out;
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
}
