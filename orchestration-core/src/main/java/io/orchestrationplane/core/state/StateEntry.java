package io.orchestrationplane.core.state;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One stored value as read: its key, its version and the JSON value.
 *
 * <p>The store hands every caller a tree of its own: changing {@link #value()} changes this entry
 * only, never the store (writes go through {@link StateStore#compareAndSet}).
 *
 * @param key the key
 * @param version the version of this value, at least 1; see {@link StateStore} for how versions grow
 * @param value the value, as it reads back after a JSON round trip ({@link StateCodec})
 */
public record StateEntry(StateKey key, long version, JsonNode value) {
  /** Checks that key and value are given and the version is at least 1. */
  public StateEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (version < 1) {
      throw new IllegalArgumentException("version of " + key + " must be >= 1, was " + version);
    }
    if (value.isMissingNode()) {
      throw new IllegalArgumentException("value of " + key + " must be a JSON value, was a missing node");
    }
  }
}
