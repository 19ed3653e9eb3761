package io.orchestrationplane.core.release;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the desired state of a {@link Revision} came from: Java code, YAML or JSON text, a file,
 * a Git commit, or a rollback to an earlier revision. The caller says so when it applies (the
 * plane cannot tell); without it a change comes from {@link #code()}.
 *
 * <pre>{@code
 * plane.apply(app, subject, Origin.git("https://git.example.com/shop.git", "3f9c2a1", "deploy/shop.yaml"));
 * }</pre>
 *
 * <p>An origin is shown in history and stored with the revision, so it must hold no secret: a
 * repository address with user information ({@code https://user:token@host/...}) is refused.
 */
public sealed interface Origin permits Origin.Code, Origin.Text, Origin.File, Origin.GitCommit, Origin.Rollback {

  /** Built in Java code (the default). */
  static Origin code() {
    return Code.INSTANCE;
  }

  /** Decoded from YAML or JSON text that was not read from a file the plane knows of. */
  static Origin text() {
    return Text.INSTANCE;
  }

  /** Read from a YAML or JSON file, named as the caller names it. */
  static Origin file(String path) {
    return new File(path);
  }

  /** A file (or directory; empty for the repository root) at a commit of a Git repository. */
  static Origin git(String repository, String commit, String path) {
    return new GitCommit(repository, commit, path);
  }

  /**
   * {@link #git(String, String, String)} with the commit's author and the first line of its
   * message, as status, history and audit show them.
   */
  static Origin git(String repository, String commit, String path, String author, String subject) {
    return new GitCommit(repository, commit, path, author, subject);
  }

  /** A rollback to revision {@code revision}: its desired state applied again. */
  static Origin rollbackOf(long revision) {
    return new Rollback(revision);
  }

  /** A short description for history: {@code code}, {@code file deploy/shop.yaml}, {@code rollback of 3}. */
  String describe();

  /** Built in Java code. */
  record Code() implements Origin {
    static final Code INSTANCE = new Code();

    @Override
    public String describe() {
      return "code";
    }
  }

  /** YAML or JSON text. */
  record Text() implements Origin {
    static final Text INSTANCE = new Text();

    @Override
    public String describe() {
      return "text";
    }
  }

  /**
   * A YAML or JSON file.
   *
   * @param path the file as the caller names it, 1 to 1024 characters without control characters
   */
  record File(String path) implements Origin {
    public File {
      path = Checks.text(path, "file path", 1024, false);
    }

    @Override
    public String describe() {
      return "file " + path;
    }
  }

  /**
   * A Git commit.
   *
   * @param repository the repository's address, without user information (no credentials)
   * @param commit the commit id: 7 to 64 hexadecimal digits (an abbreviated or full SHA-1 or SHA-256), lower-cased
   * @param path the file or directory in the repository, empty for its root
   * @param author who wrote the commit ({@code Alice <alice@example.com>}), empty when not known;
   *     at most 512 characters, no control characters
   * @param subject the first line of the commit's message, empty when not known; at most 1,024
   *     characters, no control characters (a line break is one: give the first line only)
   */
  record GitCommit(String repository, String commit, String path, String author, String subject) implements Origin {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,64}");
    private static final Pattern USER_INFO = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*@.*");

    public GitCommit {
      repository = Checks.text(repository, "Git repository", 2048, false);
      if (USER_INFO.matcher(repository).matches()) {
        // never quote it: the user information may be a token
        throw new IllegalArgumentException("the Git repository address holds user information (a user name or "
            + "token before '@'): give the address without credentials");
      }
      Objects.requireNonNull(commit, "commit");
      commit = commit.toLowerCase(java.util.Locale.ROOT);
      if (!COMMIT.matcher(commit).matches()) {
        throw new IllegalArgumentException("a Git commit must be 7 to 64 hexadecimal digits, was "
            + (commit.length() > 70 ? commit.length() + " characters" : "'" + commit + "'"));
      }
      path = Checks.text(path == null ? "" : path, "path in the Git repository", 1024, true);
      author = Checks.text(author == null ? "" : author, "commit author", 512, true);
      subject = Checks.text(subject == null ? "" : subject, "commit subject", 1024, true);
    }

    /** A commit whose author and message are not known. */
    public GitCommit(String repository, String commit, String path) {
      this(repository, commit, path, "", "");
    }

    @Override
    public String describe() {
      return "git " + repository + "@" + commit + (path.isEmpty() ? "" : " " + path)
          + (subject.isEmpty() ? "" : " \"" + subject + "\"") + (author.isEmpty() ? "" : " by " + author);
    }
  }

  /**
   * A rollback.
   *
   * @param revision the revision whose desired state was applied again, at least 1
   */
  record Rollback(long revision) implements Origin {
    public Rollback {
      if (revision < 1) {
        throw new IllegalArgumentException("a rollback names a revision of at least 1, was " + revision);
      }
    }

    @Override
    public String describe() {
      return "rollback of " + revision;
    }
  }
}
