package io.orchestrationplane.core.state.internal;

import io.orchestrationplane.core.state.DeleteResult;
import io.orchestrationplane.core.state.StateCodec;
import io.orchestrationplane.core.state.StateEntry;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.state.VersionConflict;
import io.orchestrationplane.core.state.StateWriteResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * {@link StateStore#inMemory()}: a sorted map per namespace under one lock. Values go through
 * {@link StateCodec} like on every other backend and are kept as the trees they decode to, read-only
 * ({@link FrozenJson}); every reader gets a mutable copy.
 */
public final class InMemoryStateStore implements StateStore {
  private record Stored(long version, JsonNode value) {}

  private final Config config;
  private final Object lock = new Object();
  // Guarded by lock.
  private final Map<String, TreeMap<String, Stored>> namespaces = new HashMap<>();
  // Guarded by lock: the highest version any deleted key had; a create starts above it.
  private long deletedFloor;
  private boolean closed;

  /** An empty store with the given limits. */
  public InMemoryStateStore(Config config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public Optional<StateEntry> get(StateKey key) {
    Objects.requireNonNull(key, "key");
    Stored s;
    synchronized (lock) {
      checkOpen();
      TreeMap<String, Stored> names = namespaces.get(key.namespace());
      s = names == null ? null : names.get(key.name());
    }
    return s == null ? Optional.empty() : Optional.of(new StateEntry(key, s.version(), s.value().deepCopy()));
  }

  @Override
  public List<StateEntry> list(String namespace, String namePrefix) {
    return list(namespace, namePrefix, v -> true);
  }

  /** Tests the filter on the stored trees (never changed, so outside the lock) and copies only what it accepts. */
  @Override
  public List<StateEntry> list(String namespace, String namePrefix, Predicate<JsonNode> filter) {
    StateKey.checkNamespace(namespace);
    StateKey.checkNamePrefix(namePrefix);
    Objects.requireNonNull(filter, "filter");
    List<Map.Entry<String, Stored>> found = new ArrayList<>();
    synchronized (lock) {
      checkOpen();
      TreeMap<String, Stored> names = namespaces.get(namespace);
      if (names != null) {
        for (Map.Entry<String, Stored> e : names.tailMap(namePrefix, true).entrySet()) {
          if (!e.getKey().startsWith(namePrefix)) {
            break;
          }
          found.add(e);
        }
      }
    }
    List<StateEntry> entries = new ArrayList<>(found.size());
    for (Map.Entry<String, Stored> e : found) {
      Stored s = e.getValue();
      if (!filter.test(s.value())) {
        continue;
      }
      entries.add(new StateEntry(new StateKey(namespace, e.getKey()), s.version(), s.value().deepCopy()));
    }
    return entries;
  }

  @Override
  public StateWriteResult compareAndSet(StateKey key, long expectedVersion, JsonNode value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expected version of " + key + " must be >= 0 (StateStore.ABSENT for a "
          + "key that should not exist), was " + expectedVersion);
    }
    // Encoded outside the lock: the codec is the slow part and needs no shared state. The tree
    // kept is the one the stored bytes read back as, in the read-only form resources use (about a
    // third of the memory of Jackson's maps, for trees kept as long as their key); the bytes
    // themselves are only counted, for the limit, when the codec can (StateCodec.storedTree).
    JsonNode stored = StateCodec.storedTree(key, value, config.maxValueBytes());
    synchronized (lock) {
      checkOpen();
      TreeMap<String, Stored> names = namespaces.computeIfAbsent(key.namespace(), n -> new TreeMap<>());
      Stored current = names.get(key.name());
      long currentVersion = current == null ? ABSENT : current.version();
      if (currentVersion != expectedVersion) {
        return new VersionConflict(key, expectedVersion, currentVersion);
      }
      long next = (current == null ? deletedFloor : current.version()) + 1;
      names.put(key.name(), new Stored(next, stored));
      return new StateWriteResult.Written(key, next);
    }
  }

  @Override
  public DeleteResult delete(StateKey key, long expectedVersion) {
    Objects.requireNonNull(key, "key");
    if (expectedVersion < 1) {
      throw new IllegalArgumentException("expected version of " + key + " must be >= 1 (the version read), was "
          + expectedVersion);
    }
    synchronized (lock) {
      checkOpen();
      TreeMap<String, Stored> names = namespaces.get(key.namespace());
      Stored current = names == null ? null : names.get(key.name());
      long currentVersion = current == null ? ABSENT : current.version();
      if (currentVersion != expectedVersion) {
        return new VersionConflict(key, expectedVersion, currentVersion);
      }
      names.remove(key.name());
      if (names.isEmpty()) {
        namespaces.remove(key.namespace());
      }
      deletedFloor = Math.max(deletedFloor, currentVersion);
      return new DeleteResult.Deleted(key, currentVersion);
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      namespaces.clear();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the in-memory state store is closed");
    }
  }

  @Override
  public String toString() {
    return "StateStore.inMemory()";
  }
}
