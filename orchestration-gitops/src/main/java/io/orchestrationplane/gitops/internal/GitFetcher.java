package io.orchestrationplane.gitops.internal;

import io.orchestrationplane.gitops.GitCommitInfo;
import io.orchestrationplane.gitops.GitCredentials;
import io.orchestrationplane.gitops.GitException;
import io.orchestrationplane.gitops.GitFile;
import io.orchestrationplane.gitops.GitRef;
import io.orchestrationplane.gitops.Verification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.errors.LargeObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.jspecify.annotations.Nullable;

/**
 * Fetches one ref of a remote repository into a local bare repository, shallow (depth 1), and
 * reads trees of the fetched commit. One fetch at a time ({@code synchronized}); reads of a
 * fetched tree are thread-safe (JGit repositories are). Every message is scrubbed of credentials.
 */
public final class GitFetcher implements AutoCloseable {
  /** Largest file read from a commit. */
  public static final int MAX_FILE_BYTES = 2 * 1024 * 1024;
  /** Most bytes read from one directory. */
  public static final long MAX_TOTAL_BYTES = 32L * 1024 * 1024;

  private final String url;
  private final GitRef ref;
  private final @Nullable CredentialsProvider credentials;
  private final @Nullable CommitVerifier verifier;
  private final Scrubber scrubber;
  private final Path directory;
  private final boolean ownDirectory;
  private final int timeoutSeconds;
  private final Repository repository;
  private volatile boolean closed;

  /** A fetched commit and its tree. */
  public record Fetched(GitCommitInfo commit, ObjectId tree) {}

  public GitFetcher(String url, GitRef ref, GitCredentials credentials, @Nullable CommitVerifier verifier,
      @Nullable Path directory, Duration timeout) {
    this.url = url;
    this.ref = ref;
    this.verifier = verifier;
    if (credentials instanceof GitCredentials.Basic b) {
      this.credentials = new UsernamePasswordCredentialsProvider(b.username(), b.password());
      this.scrubber = new Scrubber(List.of(b.password()), b.username());
    } else {
      this.credentials = null;
      this.scrubber = Scrubber.none();
    }
    this.timeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
    try {
      this.ownDirectory = directory == null;
      this.directory = directory == null ? Files.createTempDirectory("orchestration-gitops-") : directory;
      Files.createDirectories(this.directory);
      Repository repo = new FileRepositoryBuilder().setGitDir(this.directory.toFile()).setBare().build();
      if (!repo.getObjectDatabase().exists()) {
        repo.create(true);
      }
      // JGit's automatic gc after a fetch runs detached by default, on a thread of its own that
      // outlives the fetch: it would race close() deleting the directory (and another fetch).
      // Run it in the fetching thread instead, under this fetcher's lock.
      StoredConfig config = repo.getConfig();
      if (config.getBoolean("gc", "autoDetach", true)) {
        config.setBoolean("gc", null, "autoDetach", false);
        config.save();
      }
      this.repository = repo;
    } catch (IOException | IllegalStateException e) {
      throw new GitException("cannot create the local repository for " + url + ": " + scrubber.describe(e));
    }
  }

  /** Checks a repository address: a scheme JGit fetches from here and no user information. */
  public static String checkUrl(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("a Git repository address must not be blank");
    }
    URIish uri;
    try {
      uri = new URIish(url);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("not a Git repository address (expected https://, http://, git:// or file://)");
    }
    String scheme = uri.getScheme();
    if (scheme == null || !List.of("https", "http", "git", "file").contains(scheme)) {
      throw new IllegalArgumentException("unsupported Git transport '" + (scheme == null ? "scp-like ssh" : scheme)
          + "': use https://, http://, git:// or file:// (SSH needs org.eclipse.jgit.ssh.apache, not "
          + "bundled)");
    }
    if (uri.getUser() != null || uri.getPass() != null) {
      // never quoted: the user information may be a token
      throw new IllegalArgumentException("the Git repository address holds user information (a user name or token "
          + "before '@'): give the address without it and the credentials through GitCredentials");
    }
    if (!scheme.equals("file") && (url.indexOf('?') >= 0 || url.indexOf('#') >= 0)) {
      // never quoted either: a query is where GitLab's private_token and similar credentials go
      throw new IllegalArgumentException("the Git repository address holds a query or fragment ('?' or '#'), "
          + "which may be a credential: give the address without it and the credentials through GitCredentials");
    }
    return url;
  }

  public Scrubber scrubber() {
    return scrubber;
  }

  /** Fetches the followed ref (nothing is transferred when it did not move) and verifies its commit. */
  public synchronized Fetched fetch() {
    if (closed) {
      throw new IllegalStateException("the Git repository " + url + " is closed");
    }
    String local;
    ObjectId id;
    try {
      if (ref instanceof GitRef.Commit c) {
        local = "refs/pinned/" + c.id();
        ObjectId wanted = ObjectId.fromString(c.id());
        if (!repository.getObjectDatabase().has(wanted)) {
          fetch(new RefSpec("+" + c.id() + ":" + local));
        }
        id = wanted;
      } else {
        String remote = ref instanceof GitRef.Branch b ? Constants.R_HEADS + b.name()
            : Constants.R_TAGS + ((GitRef.Tag) ref).name();
        local = remote;
        // Listing the one ref costs a few milliseconds; a shallow fetch negotiates its depth even
        // when nothing moved, ten times that. So an unchanged ref is not fetched at all.
        ObjectId advertised = advertised(remote);
        if (advertised == null) {
          throw new GitException("cannot fetch " + ref.describe() + " of " + url + ": it does not exist");
        }
        Ref known = repository.exactRef(local);
        if (known == null || !advertised.equals(known.getObjectId())
            || !repository.getObjectDatabase().has(advertised)) {
          fetch(new RefSpec("+" + remote + ":" + local));
        }
        Ref r = repository.exactRef(local);
        if (r == null) {
          throw new GitException("cannot fetch " + ref.describe() + " of " + url + ": it does not exist");
        }
        id = r.getObjectId();
      }
      try (RevWalk walk = new RevWalk(repository)) {
        RevObject object = walk.peel(walk.parseAny(id));
        if (!(object instanceof RevCommit commit)) {
          throw new GitException(ref.describe() + " of " + url + " does not point at a commit");
        }
        walk.parseBody(commit);
        Verification verification = verifier == null ? new Verification.NotRequired() : verifier.verify(repository, commit);
        PersonIdent author = commit.getAuthorIdent();
        GitCommitInfo info = new GitCommitInfo(commit.name(), author.getName(), author.getEmailAddress(),
            commit.getCommitterIdent().getWhenAsInstant(), commit.getFullMessage(), verification);
        return new Fetched(info, commit.getTree().getId());
      }
    } catch (GitException e) {
      throw e;
    } catch (Exception e) {
      throw new GitException("cannot fetch " + ref.describe() + " of " + url + ": " + scrubber.describe(e));
    }
  }

  /** The id the remote advertises for {@code name}, or null when it has no such ref. */
  private @Nullable ObjectId advertised(String name) throws Exception {
    try (Transport transport = Transport.open(repository, new URIish(url))) {
      transport.setCredentialsProvider(credentials);
      transport.setTimeout(timeoutSeconds);
      try (FetchConnection connection = transport.openFetch(List.of(new RefSpec(name)))) {
        Ref r = connection.getRef(name);
        return r == null ? null : r.getObjectId();
      }
    }
  }

  private void fetch(RefSpec spec) throws Exception {
    try (Git git = Git.wrap(repository)) {
      git.fetch().setRemote(url).setRefSpecs(spec).setDepth(1).setTagOpt(TagOpt.NO_TAGS)
          .setCredentialsProvider(credentials).setTimeout(timeoutSeconds).setRemoveDeletedRefs(false)
          .setForceUpdate(true).call();
    }
  }

  /**
   * The YAML and JSON files in {@code dir} of a fetched tree ({@code ""}: the root), sorted by
   * path; empty when the directory does not exist.
   */
  public Optional<List<GitFile>> files(Fetched fetched, String dir, boolean recurse) {
    try (ObjectReader reader = repository.newObjectReader()) {
      ObjectId tree = fetched.tree();
      if (!dir.isEmpty()) {
        try (TreeWalk find = TreeWalk.forPath(reader, dir, tree)) {
          if (find == null) {
            return Optional.empty();
          }
          FileMode mode = find.getFileMode(0);
          if (mode != FileMode.TREE) {
            String what = mode == FileMode.GITLINK ? "a submodule (not followed)"
                : mode == FileMode.SYMLINK ? "a symbolic link (not followed)" : "a file";
            throw new GitException(dir + " is " + what + " at commit " + fetched.commit().shortId() + " of " + url
                + ", not a directory");
          }
          tree = find.getObjectId(0);
        }
      }
      List<GitFile> out = new ArrayList<>();
      long total = 0;
      try (TreeWalk walk = new TreeWalk(reader)) {
        walk.addTree(tree);
        walk.setRecursive(recurse);
        while (walk.next()) {
          String name = walk.getNameString();
          if (walk.getFileMode(0) != FileMode.REGULAR_FILE && walk.getFileMode(0) != FileMode.EXECUTABLE_FILE) {
            continue;
          }
          if (!(name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"))) {
            continue;
          }
          String path = dir.isEmpty() ? walk.getPathString() : dir + "/" + walk.getPathString();
          byte[] bytes;
          try {
            // getCachedBytes(limit) returns a small object (under JGit's stream threshold, 50 MiB)
            // whole without looking at the limit: check the size first
            ObjectLoader loader = reader.open(walk.getObjectId(0));
            if (loader.getSize() > MAX_FILE_BYTES) {
              throw new LargeObjectException.ExceedsLimit(MAX_FILE_BYTES, loader.getSize());
            }
            bytes = loader.getCachedBytes(MAX_FILE_BYTES);
          } catch (LargeObjectException e) {
            throw new GitException(path + " at commit " + fetched.commit().shortId() + " is larger than "
                + MAX_FILE_BYTES + " bytes");
          }
          total += bytes.length;
          if (total > MAX_TOTAL_BYTES) {
            throw new GitException(dir + " at commit " + fetched.commit().shortId() + " holds more than "
                + MAX_TOTAL_BYTES + " bytes of manifests");
          }
          out.add(new GitFile(path, utf8(bytes, path, fetched.commit().shortId())));
        }
      }
      out.sort(Comparator.comparing(GitFile::path));
      return Optional.of(out);
    } catch (GitException e) {
      throw e;
    } catch (IOException e) {
      throw new GitException("cannot read " + dir + " at commit " + fetched.commit().shortId() + " of " + url + ": "
          + scrubber.describe(e));
    }
  }

  /**
   * The file's text; bytes that are not UTF-8 (a Latin-1 file, a binary one named {@code .yaml})
   * are refused naming the file and line, instead of being read as U+FFFD and applied as values
   * nobody wrote.
   */
  static String utf8(byte[] bytes, String path, String commit) {
    java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
    java.nio.charset.CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new GitException(path + ":" + line + " at commit " + commit + " is not UTF-8 text");
    }
    return out.flip().toString();
  }

  /** The directories of a fetched tree whose path matches one of the globs ({@code apps/*}), sorted. */
  public List<String> directories(Fetched fetched, List<String> globs) {
    List<PathMatcher> matchers = new ArrayList<>();
    for (String g : globs) {
      matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
    }
    List<String> out = new ArrayList<>();
    try (TreeWalk walk = new TreeWalk(repository)) {
      walk.addTree(fetched.tree());
      walk.setRecursive(false);
      while (walk.next()) {
        if (walk.getFileMode(0) == FileMode.TREE) {
          String path = walk.getPathString();
          Path p = Path.of(path);
          if (matchers.stream().anyMatch(m -> m.matches(p))) {
            out.add(path);
          }
          walk.enterSubtree();
        }
      }
    } catch (IOException e) {
      throw new GitException("cannot list directories at commit " + fetched.commit().shortId() + " of " + url + ": "
          + scrubber.describe(e));
    }
    out.sort(null);
    return out;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    repository.close();
    if (ownDirectory) {
      try (Stream<Path> paths = Files.walk(directory)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a leftover temporary directory is harmless
      }
    }
  }
}
