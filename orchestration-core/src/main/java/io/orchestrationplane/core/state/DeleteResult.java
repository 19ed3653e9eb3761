package io.orchestrationplane.core.state;

import java.util.Objects;

/**
 * The outcome of {@link StateStore#delete}: either the key was {@link Deleted}, or nothing
 * changed because its version was not the one expected or it did not exist ({@link
 * VersionConflict}). Failures that are not conflicts are exceptions.
 */
public sealed interface DeleteResult permits DeleteResult.Deleted, VersionConflict {
  /** The key this result is about. */
  StateKey key();

  /** Whether the key was deleted. */
  default boolean deleted() {
    return this instanceof Deleted;
  }

  /**
   * The key was removed.
   *
   * @param key the key removed
   * @param version the version it had when it was removed
   */
  record Deleted(StateKey key, long version) implements DeleteResult {
    /** Checks that the key is given and the version is at least 1. */
    public Deleted {
      Objects.requireNonNull(key, "key");
      if (version < 1) {
        throw new IllegalArgumentException("version of " + key + " must be >= 1, was " + version);
      }
    }
  }
}
