package io.orchestrationplane.core.state.internal;

import io.orchestrationplane.core.state.DeleteResult;
import io.orchestrationplane.core.state.StateCodec;
import io.orchestrationplane.core.state.StateEntry;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.state.StateStoreException;
import io.orchestrationplane.core.state.VersionConflict;
import io.orchestrationplane.core.state.StateWriteResult;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * {@link StateStore#directory}: one file per key at {@code <directory>/<namespace>/<name>.json}
 * in the {@link StateFile} format.
 *
 * <p>Writes: the new content goes to a hidden temporary file beside the target, is forced to disk,
 * moved over the target in one atomic rename, and the directory is forced, so a reader or a crash
 * sees the old file or the new one, never a mix. Writes of one key are serialized by a lock
 * stripe; reads take no lock. A deleted key's version raises the floor kept in {@code
 * .version-floor.json} (forced to disk before the file goes), above which every create starts, so
 * no key repeats a version across restarts.
 *
 * <p>Exclusion: the store holds {@link FileChannel#tryLock()} on {@code .lock} from open to close,
 * so a second store over the directory fails at open, in another process as in this one. Nothing
 * but {@link #open} and {@link #close} touches the lock file: on POSIX systems closing any channel
 * on a file releases every lock the process holds on it, which is also why the directories open in
 * this JVM are remembered in {@link #OPEN_HERE} (the one JVM-wide state: file locks belong to the
 * process, not to an object) and a second open here fails before it opens a channel.
 *
 * <p>Reads go to the files every time (no cache), so what the store returns is what is on disk.
 */
public final class FileStateStore implements StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileStateStore.class);
  private static final Set<Path> OPEN_HERE = ConcurrentHashMap.newKeySet();
  static final String LOCK_FILE = ".lock";
  static final String FLOOR_FILE = ".version-floor.json";
  private static final String SUFFIX = ".json";
  // Larger than any file the store writes (values are at most 2 MiB): a bigger file is not ours.
  private static final int MAX_FILE_BYTES = 3 * 1024 * 1024;
  private static final int STRIPES = 64;
  private static final boolean WINDOWS = java.io.File.separatorChar == '\\';

  private final Path root;
  private final Config config;
  private final FileChannel lockChannel;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
  private final Object floorLock = new Object();
  // Guarded by floorLock; -1 until read from disk.
  private long floor = -1;
  // Written under the lifecycle write lock, read under its read lock.
  private boolean closed;

  private FileStateStore(Path root, Config config, FileChannel lockChannel) {
    this.root = root;
    this.config = config;
    this.lockChannel = lockChannel;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /** Opens (and creates if missing) the store in {@code directory}; see {@link StateStore#directory(Path)}. */
  public static FileStateStore open(Path directory, Config config) {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(config, "config");
    Path root;
    try {
      Files.createDirectories(directory);
      root = directory.toRealPath();
    } catch (IOException e) {
      throw new StateStoreException("cannot use " + directory.toAbsolutePath() + " as a state directory: "
          + describe(e), e);
    }
    if (!OPEN_HERE.add(root)) {
      throw new StateStoreException("state directory " + root + " is already open in this JVM: close the other "
          + "StateStore.directory(...) over it first (one open store per directory)");
    }
    Path lockFile = root.resolve(LOCK_FILE);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new StateStoreException("state directory " + root + " is in use by another process, which holds the "
            + "lock on " + lockFile + " (one open store per directory; the lock goes when that process closes the "
            + "store or exits)");
      }
      FileStateStore store = new FileStateStore(root, config, channel);
      LOG.debug("opened state directory {}", root);
      return store;
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      OPEN_HERE.remove(root);
      throw new StateStoreException("state directory " + root + " is already open in this JVM under another path "
          + "(lock " + lockFile + "): one open store per directory", e);
    } catch (IOException e) {
      closeQuietly(channel);
      OPEN_HERE.remove(root);
      throw new StateStoreException("cannot lock state directory " + root + " (" + lockFile + "): " + describe(e), e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      OPEN_HERE.remove(root);
      throw e;
    }
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public Optional<StateEntry> get(StateKey key) {
    Objects.requireNonNull(key, "key");
    lifecycle.readLock().lock();
    try {
      checkOpen();
      return read(key, file(key));
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public List<StateEntry> list(String namespace, String namePrefix) {
    StateKey.checkNamespace(namespace);
    StateKey.checkNamePrefix(namePrefix);
    lifecycle.readLock().lock();
    try {
      checkOpen();
      Path dir = root.resolve(namespace);
      List<String> names = new ArrayList<>();
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
        for (Path f : files) {
          String fileName = f.getFileName().toString();
          // Hidden files are the store's temporaries; other suffixes are not the store's.
          if (fileName.startsWith(".") || !fileName.endsWith(SUFFIX)) {
            continue;
          }
          String name = fileName.substring(0, fileName.length() - SUFFIX.length());
          if (!name.startsWith(namePrefix)) {
            continue;
          }
          try {
            new StateKey(namespace, name);
          } catch (IllegalArgumentException e) {
            throw StateCodec.corrupt(null, f.toString(), "is not named like a state key (" + e.getMessage()
                + "), so the store did not write it", e);
          }
          names.add(name);
        }
      } catch (NoSuchFileException e) {
        return List.of();
      } catch (NotDirectoryException e) {
        throw new StateStoreException("cannot list state namespace '" + namespace + "': " + dir
            + " is not a directory", e);
      } catch (IOException e) {
        throw new StateStoreException("cannot list state namespace '" + namespace + "' in " + dir + ": "
            + describe(e), e);
      }
      names.sort(null);
      List<StateEntry> entries = new ArrayList<>(names.size());
      for (String name : names) {
        StateKey key = new StateKey(namespace, name);
        read(key, file(key)).ifPresent(entries::add); // absent: deleted since the directory was read
      }
      return entries;
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public StateWriteResult compareAndSet(StateKey key, long expectedVersion, JsonNode value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expected version of " + key + " must be >= 0 (StateStore.ABSENT for a "
          + "key that should not exist), was " + expectedVersion);
    }
    byte[] encoded = StateCodec.encode(key, value, config.maxValueBytes());
    lifecycle.readLock().lock();
    try {
      checkOpen();
      ReentrantLock stripe = stripe(key);
      stripe.lock();
      try {
        Path file = file(key);
        Optional<StateEntry> current = read(key, file);
        long currentVersion = current.map(StateEntry::version).orElse(ABSENT);
        if (currentVersion != expectedVersion) {
          return new VersionConflict(key, expectedVersion, currentVersion);
        }
        long next = (current.isEmpty() ? floor() : currentVersion) + 1;
        try {
          ensureDirectory(file.getParent());
          writeAtomically(file, StateFile.render(key, next, encoded));
        } catch (IOException e) {
          throw new StateStoreException("cannot write " + key + " to " + file + ": " + describe(e)
              + "; the write may or may not have happened: read the key again", e);
        }
        return new StateWriteResult.Written(key, next);
      } finally {
        stripe.unlock();
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public DeleteResult delete(StateKey key, long expectedVersion) {
    Objects.requireNonNull(key, "key");
    if (expectedVersion < 1) {
      throw new IllegalArgumentException("expected version of " + key + " must be >= 1 (the version read), was "
          + expectedVersion);
    }
    lifecycle.readLock().lock();
    try {
      checkOpen();
      ReentrantLock stripe = stripe(key);
      stripe.lock();
      try {
        Path file = file(key);
        Optional<StateEntry> current = read(key, file);
        long currentVersion = current.map(StateEntry::version).orElse(ABSENT);
        if (currentVersion != expectedVersion) {
          return new VersionConflict(key, expectedVersion, currentVersion);
        }
        raiseFloor(currentVersion);
        try {
          Files.delete(file);
          syncDirectory(file.getParent());
        } catch (IOException e) {
          throw new StateStoreException("cannot delete " + key + " (" + file + "): " + describe(e)
              + "; the delete may or may not have happened: read the key again", e);
        }
        return new DeleteResult.Deleted(key, currentVersion);
      } finally {
        stripe.unlock();
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        lockChannel.close(); // releases the lock
      } catch (IOException e) {
        LOG.warn("closing the lock of state directory {} failed: {}", root, describe(e));
      } finally {
        OPEN_HERE.remove(root);
      }
      LOG.debug("closed state directory {}", root);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "StateStore.directory(" + root + ")";
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the state store over " + root + " is closed");
    }
  }

  private Path file(StateKey key) {
    return root.resolve(key.namespace()).resolve(key.name() + SUFFIX);
  }

  private ReentrantLock stripe(StateKey key) {
    return stripes[Math.floorMod(key.hashCode(), STRIPES)];
  }

  private Optional<StateEntry> read(StateKey key, Path file) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StateStoreException("cannot read " + key + " from " + file + ": " + describe(e), e);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw StateCodec.corrupt(key, file.toString(), "is larger than any file the store writes (" + MAX_FILE_BYTES
          + " bytes)", null);
    }
    return Optional.of(StateFile.parse(bytes, key, file.toString()));
  }

  /** The highest version of any deleted key (0 when none was deleted), read once from disk. */
  private long floor() {
    synchronized (floorLock) {
      if (floor < 0) {
        floor = readFloor();
      }
      return floor;
    }
  }

  private long readFloor() {
    Path file = root.resolve(FLOOR_FILE);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new StateStoreException("cannot read " + file + ": " + describe(e), e);
    }
    if (bytes.length > 4096) {
      throw StateCodec.corrupt(null, file.toString(), "is larger than the store ever writes it", null);
    }
    JsonNode tree = StateCodec.decode(bytes, null, file.toString());
    JsonNode format = tree.get("format");
    JsonNode value = tree.get("highestDeletedVersion");
    if (!tree.isObject() || tree.size() != 2 || format == null || !format.isIntegralNumber()
        || format.asInt() != StateFile.FORMAT || value == null || !value.isIntegralNumber()
        || !value.canConvertToLong() || value.asLong() < 0) {
      throw StateCodec.corrupt(null, file.toString(), "is not {\"format\": " + StateFile.FORMAT
          + ", \"highestDeletedVersion\": <whole number >= 0>}; creates and deletes fail until it is restored "
          + "(reads and updates still work)", null);
    }
    return value.asLong();
  }

  private void raiseFloor(long deletedVersion) {
    synchronized (floorLock) {
      if (deletedVersion <= floor()) {
        return;
      }
      Path file = root.resolve(FLOOR_FILE);
      String content = "{\n  \"format\": " + StateFile.FORMAT + ",\n  \"highestDeletedVersion\": " + deletedVersion
          + "\n}\n";
      try {
        writeAtomically(file, content.getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        floor = -1; // unknown now: read again next time
        throw new StateStoreException("cannot record the deleted version in " + file + ": " + describe(e)
            + "; nothing was deleted", e);
      }
      floor = deletedVersion;
    }
  }

  private void ensureDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      syncDirectory(dir.getParent());
    }
  }

  /** Temporary file, forced, renamed over the target, directory forced. */
  private static void writeAtomically(Path target, byte[] content) throws IOException {
    Path dir = target.getParent();
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
    // A stream, not a channel: an interrupt must not abort the write half way.
    try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
      out.write(content);
      out.getFD().sync();
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(dir);
  }

  /** Makes a rename or delete in {@code dir} durable (POSIX; Windows cannot open a directory to force it). */
  private static void syncDirectory(Path dir) throws IOException {
    if (WINDOWS) {
      return;
    }
    // Channels close when their thread is interrupted; an interrupt from before this write must not
    // fail a write whose rename has already happened.
    boolean interrupted = Thread.interrupted();
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String describe(IOException e) {
    String type = e.getClass().getSimpleName();
    return e.getMessage() == null ? type : type + ": " + e.getMessage();
  }

  private static void closeQuietly(@Nullable FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Already failing with a clearer error.
      }
    }
  }
}
