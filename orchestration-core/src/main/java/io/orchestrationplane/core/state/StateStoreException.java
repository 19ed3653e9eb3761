package io.orchestrationplane.core.state;

import org.jspecify.annotations.Nullable;

/**
 * A {@link StateStore} could not do what was asked for a reason other than a version conflict or
 * bad input: an I/O error, a store in use by another process, or stored content it cannot read
 * ({@link CorruptStateException}).
 *
 * <p>After a write failed this way its outcome is unknown (the write may have reached the backend
 * before the failure): read the key again before deciding to retry.
 */
public class StateStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public StateStoreException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public StateStoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
