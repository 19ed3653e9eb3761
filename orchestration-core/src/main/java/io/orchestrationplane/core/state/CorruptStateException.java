package io.orchestrationplane.core.state;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Stored content that the store cannot read as it wrote it: truncated or invalid JSON, a file
 * edited by hand, a value under the wrong key. The message names {@link #location()} (a file, a
 * ConfigMap, a table row). Only the operations that need that content fail; other keys stay
 * readable and writable. A person has to restore or remove the content: retrying does not help.
 */
public class CorruptStateException extends StateStoreException {
  private static final long serialVersionUID = 1L;

  private final @Nullable StateKey key;
  private final String location;

  /**
   * A damaged value.
   *
   * @param message what is wrong and where; should name {@code location}
   * @param key the key whose content is damaged, or {@code null} when the content is the store's own bookkeeping
   * @param location where the damaged content is, for example a file path
   * @param cause the parse error, or {@code null}
   */
  public CorruptStateException(String message, @Nullable StateKey key, String location, @Nullable Throwable cause) {
    super(message, cause);
    this.key = key;
    this.location = java.util.Objects.requireNonNull(location, "location");
  }

  /** The key whose content is damaged; empty when the damaged content is the store's own bookkeeping. */
  public Optional<StateKey> key() {
    return Optional.ofNullable(key);
  }

  /** Where the damaged content is: a file path, a ConfigMap's namespace/name, a table row. */
  public String location() {
    return location;
  }
}
