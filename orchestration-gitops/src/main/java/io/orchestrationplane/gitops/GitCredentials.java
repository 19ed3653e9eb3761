package io.orchestrationplane.gitops;

import java.util.Objects;

/**
 * How a {@link GitRepository} authenticates, given by the embedder (from its own secret store).
 * A credential never appears in {@link #toString()}, logs, status, origins or exception messages:
 * every message the GitOps module produces is scrubbed of it.
 *
 * <p>SSH keys are not supported yet: JGit's SSH transport needs {@code org.eclipse.jgit.ssh.apache}
 * (Apache MINA sshd), which this module does not bring (docs/gitops.md).
 */
public sealed interface GitCredentials permits GitCredentials.None, GitCredentials.Basic {

  /** Anonymous access (public repositories, {@code file://}). */
  static GitCredentials none() {
    return None.INSTANCE;
  }

  /**
   * An access token over HTTPS, sent as the password of HTTP basic authentication with user
   * {@code x-access-token} (GitHub; GitLab and Bitbucket accept any user name with a token).
   */
  static GitCredentials token(String token) {
    return new Basic("x-access-token", token);
  }

  /** A user name and password (or token) for HTTP basic authentication. */
  static GitCredentials basic(String username, String password) {
    return new Basic(username, password);
  }

  /** No credentials. */
  record None() implements GitCredentials {
    static final None INSTANCE = new None();
  }

  /**
   * HTTP basic authentication.
   *
   * @param username the user name (not secret: it may appear in messages)
   * @param password the password or token: secret
   */
  record Basic(String username, String password) implements GitCredentials {
    public Basic {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      if (username.isBlank()) {
        throw new IllegalArgumentException("a Git user name must not be blank");
      }
      if (password.isEmpty()) {
        throw new IllegalArgumentException("a Git password or token must not be empty");
      }
    }

    @Override
    public String toString() {
      return "Basic[username=" + username + ", password=***]";
    }
  }
}
