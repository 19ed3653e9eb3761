package io.orchestrationplane.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.signing.ssh.SshSignerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSH commit signatures (gpg.format=ssh), made by JGit's SSH signer with keys the test generates, checked against an allowed-signers list. */
class SshSignedCommitsTest {
  @TempDir Path tmp;

  /** An RSA key written as OpenSSH writes it; returns the private key file and the public key line. */
  private String[] key(String name) throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair pair = gen.generateKeyPair();
    Path file = tmp.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, name, null, out);
    }
    return new String[] {file.toString(), PublicKeyEntry.toString(pair.getPublic())};
  }

  private String commit(Git git, Path dir, String message, String keyFile) throws Exception {
    Files.writeString(dir.resolve("deploy/api.yaml"), GitSourceTest.app("api", message.replace(' ', '-')));
    git.add().addFilepattern(".").call();
    Config c = new Config();
    c.setString("gpg", null, "format", "ssh");
    PersonIdent alice = new PersonIdent("Alice", "alice@example.com");
    return git.commit().setMessage(message).setAuthor(alice).setCommitter(alice).setSign(true)
        .setGpgConfig(new GpgConfig(c)).setSigner(new SshSignerFactory().create()).setSigningKey(keyFile).call()
        .name();
  }

  @Test
  void onlyCommitsSignedByAnAllowedSshKeyAreAccepted() throws Exception {
    String[] alice = key("alice");
    String[] mallory = key("mallory");
    Path dir = tmp.resolve("origin");
    Files.createDirectories(dir.resolve("deploy"));
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      git.getRepository().getConfig().setInt("gc", null, "auto", 0); // no background gc racing the directory's removal
      git.getRepository().getConfig().save();
      TrustedKeys trusted = TrustedKeys.sshAllowedSigners("alice@example.com " + alice[1] + "\n");

      String good = commit(git, dir, "signed by alice", alice[0]);
      try (GitRepository repo = GitRepository.builder(dir.toUri().toString()).trustedKeys(trusted).build()) {
        GitCommitInfo info = repo.fetch().commit();
        assertThat(info.id()).isEqualTo(good);
        assertThat(info.verification()).isInstanceOfSatisfying(Verification.Verified.class,
            v -> assertThat(v.signer()).contains("alice@example.com"));
      }

      String bad = commit(git, dir, "signed by mallory", mallory[0]);
      try (GitRepository repo = GitRepository.builder(dir.toUri().toString()).trustedKeys(trusted).build()) {
        assertThat(repo.fetch().commit().verification()).isInstanceOfSatisfying(Verification.Refused.class,
            r -> assertThat(r.reason()).contains("commit " + bad.substring(0, 7)).contains("does not verify"));
      }

      TrustedKeys pgpOnly = TrustedKeys.openPgp(new TestKey("Release <r@example.com>").publicKeyArmored());
      try (GitRepository repo = GitRepository.builder(dir.toUri().toString()).trustedKeys(pgpOnly).build()) {
        assertThat(repo.fetch().commit().verification()).isInstanceOfSatisfying(Verification.Refused.class,
            r -> assertThat(r.reason()).contains("has an SSH signature, and no SSH allowed signers are trusted"));
      }
      try (GitRepository repo = GitRepository.builder(dir.toUri().toString())
          .trustedKeys(pgpOnly.and(TrustedKeys.sshAllowedSigners("* " + mallory[1]))).build()) {
        assertThat(repo.fetch().commit().verification()).as("both formats trusted, mallory allowed")
            .isInstanceOf(Verification.Verified.class);
      }
    }
  }
}
