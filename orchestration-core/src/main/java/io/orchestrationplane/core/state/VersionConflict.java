package io.orchestrationplane.core.state;

import java.util.Objects;

/**
 * A write or delete that changed nothing because the key was not at the expected version: another
 * writer changed, created or deleted it since it was read. The caller reads the key again and
 * decides; retrying with {@link #currentVersion()} without reading would overwrite a value it has
 * not seen.
 *
 * @param key the key
 * @param expectedVersion the version the caller expected, {@link StateStore#ABSENT} when it expected the key not to exist
 * @param currentVersion the version the key had when the write was refused, {@link StateStore#ABSENT} when it did not exist
 */
public record VersionConflict(StateKey key, long expectedVersion, long currentVersion)
    implements StateWriteResult, DeleteResult {
  /** Checks the key is given, the versions are not negative and differ. */
  public VersionConflict {
    Objects.requireNonNull(key, "key");
    if (expectedVersion < 0 || currentVersion < 0) {
      throw new IllegalArgumentException("versions of " + key + " must be >= 0, were expected " + expectedVersion
          + " and current " + currentVersion);
    }
    if (expectedVersion == currentVersion) {
      throw new IllegalArgumentException("no conflict on " + key + ": expected and current version are both "
          + expectedVersion);
    }
  }

  /** Whether the key existed when the write was refused. */
  public boolean exists() {
    return currentVersion != StateStore.ABSENT;
  }

  /** For logs: {@code workflows/shop: expected version 3, found version 5}. */
  public String message() {
    return key + ": expected " + describe(expectedVersion) + ", found " + describe(currentVersion);
  }

  private static String describe(long version) {
    return version == StateStore.ABSENT ? "no value" : "version " + version;
  }
}
