package io.orchestrationplane.gitops;

import io.orchestrationplane.gitops.internal.GitFetcher;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One fetched commit of a {@link GitRepository}, whose tree can be read. Immutable and thread-safe. */
public final class GitSnapshot {
  private final GitRepository repository;
  private final GitFetcher.Fetched fetched;

  GitSnapshot(GitRepository repository, GitFetcher.Fetched fetched) {
    this.repository = repository;
    this.fetched = fetched;
  }

  /** The commit: id, author, message and signature verdict. */
  public GitCommitInfo commit() {
    return fetched.commit();
  }

  /**
   * The {@code .yaml}, {@code .yml} and {@code .json} files of directory {@code dir} ({@code ""}:
   * the root), sorted by path; with {@code recurse} those of its subdirectories too. Empty when the
   * directory does not exist at this commit. Files over 2 MiB, or over 32 MiB in all, throw
   * {@link GitException}.
   */
  public Optional<List<GitFile>> files(String dir, boolean recurse) {
    return repository.files(fetched, normalize(dir), recurse);
  }

  /** The directories whose path matches one of the globs ({@code apps/*}, {@code clusters/**}), sorted. */
  public List<String> directories(List<String> globs) {
    return repository.directories(fetched, globs);
  }

  static String normalize(String dir) {
    Objects.requireNonNull(dir, "dir");
    String d = dir.strip();
    while (d.startsWith("./")) {
      d = d.substring(2);
    }
    while (d.startsWith("/")) {
      d = d.substring(1);
    }
    while (d.endsWith("/")) {
      d = d.substring(0, d.length() - 1);
    }
    if (d.equals(".")) {
      d = "";
    }
    for (String segment : d.split("/")) {
      if (segment.equals("..")) {
        throw new IllegalArgumentException("a path in a Git repository must not contain '..': " + dir);
      }
    }
    return d;
  }
}
