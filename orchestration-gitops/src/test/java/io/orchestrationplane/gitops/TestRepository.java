package io.orchestrationplane.gitops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Signer;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;

/** A real Git repository the test writes commits to; the source fetches it over file:// (or HTTP). */
final class TestRepository implements AutoCloseable {
  private final Path dir;
  private final Git git;
  private int tick;

  TestRepository(Path dir) throws Exception {
    this.dir = dir;
    this.git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    StoredConfig config = git.getRepository().getConfig();
    config.setBoolean("uploadpack", null, "allowReachableSHA1InWant", true);
    config.setBoolean("uploadpack", null, "allowAnySHA1InWant", true);
    config.setInt("gc", null, "auto", 0); // no background gc racing the temporary directory's removal
    config.save();
  }

  String url() {
    return dir.toUri().toString();
  }

  Git git() {
    return git;
  }

  TestRepository write(String path, String text) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return this;
  }

  TestRepository delete(String path) throws IOException {
    Path target = dir.resolve(path);
    if (Files.isDirectory(target)) {
      try (var paths = Files.walk(target)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } else {
      Files.deleteIfExists(target);
    }
    return this;
  }

  private PersonIdent ident(String name) {
    return new PersonIdent(name, name.toLowerCase(java.util.Locale.ROOT) + "@example.com",
        Instant.parse("2026-01-01T00:00:00Z").plusSeconds(tick++), ZoneOffset.UTC);
  }

  String commit(String message) throws Exception {
    return commit(message, "Alice", null);
  }

  String commit(String message, String author, Signer signer) throws Exception {
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    var cmd = git.commit().setMessage(message).setAuthor(ident(author)).setCommitter(ident(author)).setAllowEmpty(true);
    if (signer != null) {
      cmd.setSign(true).setSigner(signer).setSigningKey("test");
    } else {
      cmd.setSign(false);
    }
    RevCommit c = cmd.call();
    return c.name();
  }

  /** Rewrites the branch to an earlier commit, as a force-push does. */
  void resetHard(String commit) throws Exception {
    git.reset().setMode(ResetCommand.ResetType.HARD).setRef(commit).call();
  }

  String tag(String name) throws Exception {
    return git.tag().setName(name).setAnnotated(true).setMessage("release " + name).setSigned(false).call()
        .getObjectId().name();
  }

  @Override
  public void close() {
    git.close();
  }
}
