package io.orchestrationplane.gitops;

/**
 * A Git repository could not be read: unreachable, authentication refused, a ref or path that
 * does not exist, a damaged object. The message names the repository (without credentials) and
 * the cause, scrubbed of any credential; nothing was applied or removed because of it.
 */
public class GitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GitException(String message) {
    super(message);
  }
}
