package io.orchestrationplane.core.state;

import java.util.Objects;

/**
 * The outcome of {@link StateStore#create} or {@link StateStore#compareAndSet}: either the value
 * was {@link Written} at a new version, or nothing changed because the key's version was not the
 * one expected ({@link VersionConflict}). Failures that are not conflicts are exceptions.
 *
 * <pre>{@code
 * StateWriteResult r = store.compareAndSet(key, entry.version(), next);
 * if (r instanceof StateWriteResult.Written w) {
 *   version = w.version();
 * } else if (r instanceof VersionConflict c) {
 *   // another writer got there first: read again (c.currentVersion() says which version it left)
 * }
 * }</pre>
 */
public sealed interface StateWriteResult permits StateWriteResult.Written, VersionConflict {
  /** The key this result is about. */
  StateKey key();

  /** Whether the value was written. */
  default boolean written() {
    return this instanceof Written;
  }

  /**
   * The value was stored.
   *
   * @param key the key written
   * @param version the value's new version, greater than any version the key had before
   */
  record Written(StateKey key, long version) implements StateWriteResult {
    /** Checks that the key is given and the version is at least 1. */
    public Written {
      Objects.requireNonNull(key, "key");
      if (version < 1) {
        throw new IllegalArgumentException("version of " + key + " must be >= 1, was " + version);
      }
    }
  }
}
