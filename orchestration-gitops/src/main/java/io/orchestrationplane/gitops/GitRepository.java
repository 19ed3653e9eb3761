package io.orchestrationplane.gitops;

import io.orchestrationplane.gitops.internal.GitFetcher;
import io.orchestrationplane.gitops.internal.CommitVerifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A remote Git repository followed at a branch, tag or commit: each {@link #fetch()} brings the
 * ref's commit into a local bare repository with a shallow fetch (depth 1; nothing is transferred
 * when the ref did not move) and, with {@link Builder#trustedKeys trusted keys}, verifies its
 * signature. Transports: {@code https://}, {@code http://}, {@code git://} and {@code file://}.
 *
 * <pre>{@code
 * GitRepository repo = GitRepository.builder("https://git.example.com/platform/deploy.git")
 *     .ref(GitRef.branch("main"))
 *     .credentials(GitCredentials.token(secretStore.get("git-token")))
 *     .trustedKeys(TrustedKeys.openPgp(releaseTeamKey))
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe: fetches are serialized. Close it to release the local repository (a temporary
 * directory unless {@link Builder#directory} named one, which is kept).
 */
public final class GitRepository implements AutoCloseable {
  private final String url;
  private final GitRef ref;
  private final boolean verifies;
  private final GitFetcher fetcher;

  private GitRepository(Builder b) {
    this.url = b.url;
    this.ref = b.ref;
    CommitVerifier verifier = b.trustedKeys == null ? null : b.trustedKeys.verifier();
    this.verifies = verifier != null;
    this.fetcher = new GitFetcher(url, ref, b.credentials, verifier, b.directory, b.timeout);
  }

  /**
   * A builder for the repository at {@code url}, which must not hold credentials ({@code
   * https://user:token@...} is refused without quoting it).
   */
  public static Builder builder(String url) {
    return new Builder(GitFetcher.checkUrl(url));
  }

  /** The repository's address (never with credentials). */
  public String url() {
    return url;
  }

  /** What it follows. */
  public GitRef ref() {
    return ref;
  }

  /** Whether commits must be signed by trusted keys. */
  public boolean verifiesSignatures() {
    return verifies;
  }

  /**
   * Fetches the ref and returns its commit, with the verdict of signature verification (a refused
   * commit is returned, not thrown: the caller decides, and {@link GitSource} applies nothing).
   *
   * @throws GitException when the repository cannot be reached or read, the ref does not exist,
   *     or authentication fails; its message names the repository and never a credential
   */
  public GitSnapshot fetch() {
    return new GitSnapshot(this, fetcher.fetch());
  }

  Optional<List<GitFile>> files(GitFetcher.Fetched at, String dir, boolean recurse) {
    return fetcher.files(at, dir, recurse);
  }

  List<String> directories(GitFetcher.Fetched at, List<String> globs) {
    return fetcher.directories(at, globs);
  }

  String scrub(String text) {
    return fetcher.scrubber().scrub(text);
  }

  @Override
  public void close() {
    fetcher.close();
  }

  @Override
  public String toString() {
    return "GitRepository[" + url + " " + ref.describe() + "]";
  }

  /** Builds a {@link GitRepository}. */
  public static final class Builder {
    private final String url;
    private GitRef ref = GitRef.branch("main");
    private GitCredentials credentials = GitCredentials.none();
    private @Nullable TrustedKeys trustedKeys;
    private @Nullable Path directory;
    private Duration timeout = Duration.ofSeconds(60);

    private Builder(String url) {
      this.url = url;
    }

    /** What to follow; default {@code branch main}. */
    public Builder ref(GitRef value) {
      this.ref = Objects.requireNonNull(value, "ref");
      return this;
    }

    /** How to authenticate; default none. */
    public Builder credentials(GitCredentials value) {
      this.credentials = Objects.requireNonNull(value, "credentials");
      return this;
    }

    /** Accept only commits signed by one of these keys; default: commits are not checked. */
    public Builder trustedKeys(TrustedKeys value) {
      this.trustedKeys = Objects.requireNonNull(value, "trustedKeys");
      return this;
    }

    /** Where to keep the local bare repository (kept on close); default a temporary directory. */
    public Builder directory(Path value) {
      this.directory = Objects.requireNonNull(value, "directory");
      return this;
    }

    /** Network timeout of one fetch (JGit's, in whole seconds); default 60 s. */
    public Builder timeout(Duration value) {
      if (value.isNegative() || value.toSeconds() < 1) {
        throw new IllegalArgumentException("a Git timeout must be at least 1 second, was " + value);
      }
      this.timeout = value;
      return this;
    }

    public GitRepository build() {
      return new GitRepository(this);
    }
  }
}
