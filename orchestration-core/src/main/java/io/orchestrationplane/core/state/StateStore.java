package io.orchestrationplane.core.state;

import io.orchestrationplane.core.state.internal.FileStateStore;
import io.orchestrationplane.core.state.internal.InMemoryStateStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Where the plane keeps state that must outlive a call or a restart: revisions of applications,
 * the progress of delivery workflows, approvals. A small key-value SPI that the Kubernetes backend
 * ({@code KubernetesStateStore} in orchestration-k8s, one ConfigMap per key) and the JDBC backend
 * ({@code JdbcStateStore} in orchestration-jdbc, one row per key) provide as faithfully as the
 * {@linkplain #inMemory() in-memory} and {@linkplain #directory(Path) file} stores here; {@code StateStoreContract} in the testkit (package {@code
 * io.orchestrationplane.testkit.conformance}) is the behaviour each must pass.
 *
 * <h2>Keys and values</h2>
 * A {@link StateKey} is a namespace and a name, both valid Kubernetes names. A value is a JSON
 * document ({@link JsonNode}) rather than opaque bytes: every backend stores JSON natively (a
 * ConfigMap's data, a JSON text column, a file a person can read), the plane's own data is
 * JSON already, and a person inspecting a stuck workflow can read it with {@code kubectl} or
 * {@code psql}. Values are encoded by {@link StateCodec} and limited to {@link
 * Config#maxValueBytes()} of compact JSON (default 1,000,000 bytes, so a value fits a ConfigMap,
 * which holds at most 1 MiB).
 *
 * <h2>Versions and optimistic concurrency</h2>
 * Every stored value has a version, like Kubernetes' {@code resourceVersion}: a positive number
 * that grows with every write of the key, not necessarily by one, and never repeats for a key,
 * even after it is deleted and created again (a create gets a version above every version of any
 * key deleted before). So a version read once identifies one content of the key for good, and a
 * writer holding a version from before a delete cannot overwrite the new value. There is no blind
 * put: every write states the version it expects ({@link #ABSENT} for "not there"), and a mismatch
 * is a {@link VersionConflict} that changed nothing, carrying the version found. A workflow engine
 * reads, decides, and writes with the version it read; on a conflict it reads again.
 *
 * <h2>Results and failures</h2>
 * Conflicts are results ({@link StateWriteResult}, {@link DeleteResult}), because a conflict is an
 * expected outcome the caller must handle. Bad input is an {@link IllegalArgumentException} (an
 * invalid key, a {@link StateValueTooLargeException}); a failing backend is a {@link
 * StateStoreException}, after which a write's outcome is unknown until the key is read again;
 * content the store cannot read is a {@link CorruptStateException} naming where it is, and
 * never hides or loses other keys. Calls on a closed store throw {@link IllegalStateException}.
 *
 * <h2>Thread-safety</h2>
 * Implementations are thread-safe: any number of threads may share one store, and each write is
 * atomic (of concurrent writes expecting the same version, exactly one succeeds).
 *
 * <pre>{@code
 * try (StateStore store = StateStore.directory(Path.of("state"))) {
 *   StateKey key = StateKey.of("workflows", "shop.release");
 *   store.create(key, Json.readJson("{\"step\":\"apply-dev\"}"));
 *   StateEntry entry = store.get(key).orElseThrow();
 *   StateWriteResult r = store.compareAndSet(key, entry.version(), Json.readJson("{\"step\":\"approve\"}"));
 * }
 * }</pre>
 */
public interface StateStore extends AutoCloseable {
  /** The expected version meaning "the key does not exist", and the current version of an absent key in a {@link VersionConflict}. */
  long ABSENT = 0;

  /** A store in memory with the default {@link Config}: fast, shared by reference, gone with the JVM. */
  static StateStore inMemory() {
    return inMemory(Config.defaults());
  }

  /** A store in memory with the given limits. */
  static StateStore inMemory(Config config) {
    return new InMemoryStateStore(config);
  }

  /**
   * A store in {@code directory} (created if missing) with the default {@link Config}: one JSON file
   * per key, written atomically and durably, versions kept across restarts. One open store per
   * directory at a time: the store holds an operating-system lock on {@code directory/.lock} until
   * {@link #close()}, so a second store over the same directory, in this process or another, fails
   * with a {@link StateStoreException} naming the lock file. See docs/state.md for the layout.
   */
  static StateStore directory(Path directory) {
    return directory(directory, Config.defaults());
  }

  /** A store in {@code directory} with the given limits; see {@link #directory(Path)}. */
  static StateStore directory(Path directory, Config config) {
    return FileStateStore.open(directory, config);
  }

  /** The store's limits. */
  Config config();

  /** The key's current entry, or empty when it does not exist (which is not an error). */
  Optional<StateEntry> get(StateKey key);

  /** Every entry of a namespace, ordered by name; empty when there are none. */
  default List<StateEntry> list(String namespace) {
    return list(namespace, "");
  }

  /**
   * The entries of a namespace whose names start with {@code namePrefix}, ordered by name ({@link
   * String#compareTo}, which for the ASCII of names is byte order). Each entry is a value the key
   * had during the call; a backend may read keys one at a time, so the list is not an atomic
   * snapshot of the namespace. Throws {@link CorruptStateException} when any matching entry cannot
   * be read, rather than leaving it out.
   *
   * @throws IllegalArgumentException when the namespace or prefix is not valid ({@link StateKey#checkNamespace},
   *     {@link StateKey#checkNamePrefix})
   */
  List<StateEntry> list(String namespace, String namePrefix);

  /**
   * The entries of {@link #list(String, String)} whose value {@code filter} accepts, in the same
   * order and with the same failures. The filter is given each value as stored and must not change
   * it: a store that keeps trees (the in-memory store) hands it the tree it keeps and copies only
   * the values accepted, which is what this is for (a caller after a few of many values, such as
   * the delivery engine's unfinished runs among every application's document). By default, {@link
   * #list(String, String)} then the filter.
   *
   * @throws IllegalArgumentException as {@link #list(String, String)}
   */
  default List<StateEntry> list(String namespace, String namePrefix, Predicate<JsonNode> filter) {
    java.util.Objects.requireNonNull(filter, "filter");
    List<StateEntry> all = list(namespace, namePrefix);
    List<StateEntry> out = new java.util.ArrayList<>(all.size());
    for (StateEntry e : all) {
      if (filter.test(e.value())) {
        out.add(e);
      }
    }
    return out;
  }

  /** Stores {@code value} only if the key does not exist: {@code compareAndSet(key, ABSENT, value)}. */
  default StateWriteResult create(StateKey key, JsonNode value) {
    return compareAndSet(key, ABSENT, value);
  }

  /**
   * Stores {@code value} only if the key is at {@code expectedVersion} ({@link #ABSENT}: only if it
   * does not exist). The store keeps its own copy: changing {@code value} afterwards changes nothing.
   *
   * @return {@link StateWriteResult.Written} with the new version, or a {@link VersionConflict} with the
   *     version found, in which case nothing changed
   * @throws StateValueTooLargeException when the value's compact JSON exceeds {@link Config#maxValueBytes()}
   * @throws IllegalArgumentException when {@code expectedVersion} is negative or the value is not storable JSON
   * @throws CorruptStateException when the key's stored content cannot be read
   */
  StateWriteResult compareAndSet(StateKey key, long expectedVersion, JsonNode value);

  /**
   * Removes the key only if it is at {@code expectedVersion}. Its versions do not start over:
   * a later create gets a higher version.
   *
   * @return {@link DeleteResult.Deleted}, or a {@link VersionConflict} (also when the key does not exist)
   * @throws IllegalArgumentException when {@code expectedVersion} is less than 1
   * @throws CorruptStateException when the key's stored content cannot be read
   */
  DeleteResult delete(StateKey key, long expectedVersion);

  /**
   * Releases what the store holds (the file store's directory lock); calls afterwards throw
   * {@link IllegalStateException}. Idempotent. Waits for calls in progress to finish.
   */
  @Override
  void close();

  /**
   * A store's limits: the largest value, in bytes of compact UTF-8 JSON.
   *
   * <pre>{@code
   * StateStore.Config config = StateStore.Config.custom().maxValueBytes(256 * 1024).build();
   * }</pre>
   *
   * @param maxValueBytes the largest value a write accepts, 1 to {@value #MAX_VALUE_BYTES}
   */
  record Config(int maxValueBytes) {
    /**
     * 1,000,000 bytes: a value fits a Kubernetes ConfigMap (whose data may hold 1 MiB = 1,048,576
     * bytes, keys included) with room to spare for a backend's own fields.
     */
    public static final int DEFAULT_MAX_VALUE_BYTES = 1_000_000;
    /**
     * 2 MiB, the ceiling of {@link #maxValueBytes}: every backend must read back what it wrote, and
     * the strict JSON reader takes documents of up to 3 MiB. A Kubernetes backend cannot hold more
     * than about 1 MiB whatever this says.
     */
    public static final int MAX_VALUE_BYTES = 2 * 1024 * 1024;

    private static final Config DEFAULTS = new Config(DEFAULT_MAX_VALUE_BYTES);

    /** Checks the limit; prefer {@link #custom()}. */
    public Config {
      checkMaxValueBytes(maxValueBytes);
    }

    /** {@value #DEFAULT_MAX_VALUE_BYTES} bytes per value. */
    public static Config defaults() {
      return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder custom() {
      return new Builder(DEFAULTS);
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
      return new Builder(this);
    }

    private static void checkMaxValueBytes(int value) {
      if (value < 1 || value > MAX_VALUE_BYTES) {
        throw new IllegalArgumentException("maxValueBytes must be between 1 and " + MAX_VALUE_BYTES + " (2 MiB), was "
            + value);
      }
    }

    /** Builds a {@link Config}; each setter rejects a bad value at once. */
    public static final class Builder {
      private int maxValueBytes;

      private Builder(Config from) {
        this.maxValueBytes = from.maxValueBytes;
      }

      /** The largest value in bytes of compact UTF-8 JSON, 1 to {@value Config#MAX_VALUE_BYTES}. */
      public Builder maxValueBytes(int value) {
        checkMaxValueBytes(value);
        this.maxValueBytes = value;
        return this;
      }

      /** The config. */
      public Config build() {
        return new Config(maxValueBytes);
      }
    }
  }
}
