package io.orchestrationplane.core.release;

import java.util.Objects;

/**
 * A revision asked for by number or digest is not in the application's history: it never existed,
 * or it was pruned by the history limit. The message names the application, the revision and
 * which of the two it is.
 */
public class RevisionNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String application;
  private final String revision;

  /** A revision that is not there; {@code message} says why. */
  public RevisionNotFoundException(String application, String revision, String message) {
    super(message);
    this.application = Objects.requireNonNull(application, "application");
    this.revision = Objects.requireNonNull(revision, "revision");
  }

  /** The application id. */
  public String application() {
    return application;
  }

  /** The revision as it was asked for: a number or a digest. */
  public String revision() {
    return revision;
  }
}
