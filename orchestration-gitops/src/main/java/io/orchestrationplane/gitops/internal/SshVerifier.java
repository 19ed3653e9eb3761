package io.orchestrationplane.gitops.internal;

import io.orchestrationplane.gitops.Verification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifier;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.signing.ssh.SshSignatureVerifierFactory;

/**
 * Verifies the SSH signature of a commit ({@code gpg.format=ssh}, OpenSSH's SSHSIG in namespace
 * {@code git}) with JGit's own verifier against an allowed-signers list (OpenSSH's
 * {@code allowed_signers} format, Git's {@code gpg.ssh.allowedSignersFile}). The list is written
 * once to a private temporary file (public keys only) and handed to JGit through a per-call
 * {@link GpgConfig}, not through any global setting. Immutable and thread-safe.
 */
public final class SshVerifier {
  private final Path allowedSigners;
  private final GpgConfig config;

  private SshVerifier(Path allowedSigners) {
    this.allowedSigners = allowedSigners;
    Config c = new Config();
    c.setString("gpg", null, "format", "ssh");
    c.setString("gpg", "ssh", "allowedSignersFile", allowedSigners.toString());
    this.config = new GpgConfig(c);
  }

  /** From the text of an allowed-signers file; throws when it names no key. */
  public static SshVerifier of(String allowedSignersText) {
    boolean any = allowedSignersText.lines().map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("#"));
    if (!any) {
      throw new IllegalArgumentException("the allowed signers list names no key (lines: <principals> [options] "
          + "<key type> <base64 key>)");
    }
    try {
      Path file = Files.createTempFile("orchestration-allowed-signers-", "");
      file.toFile().deleteOnExit();
      Files.writeString(file, allowedSignersText, StandardCharsets.UTF_8);
      return new SshVerifier(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the allowed signers list to a temporary file ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  public Verification verify(Repository repository, RevCommit commit, String id) {
    byte[] signature = commit.getRawGpgSignature();
    if (signature == null) {
      return new Verification.Refused("commit " + id + " is not signed; only commits signed by a trusted key are applied");
    }
    try {
      SignatureVerifier verifier = new SshSignatureVerifierFactory().create();
      SignatureVerifier.SignatureVerification v = verifier.verify(repository, config,
          OpenPgpVerifier.signedData(commit.getRawBuffer()), signature);
      if (v == null || !v.verified()) {
        String why = v == null || v.message() == null || v.message().isBlank() ? "not by an allowed signer" : v.message();
        return new Verification.Refused("commit " + id + " has an SSH signature that does not verify: " + why);
      }
      String signer = v.signer() != null && !v.signer().isBlank() ? v.signer() : v.keyUser();
      return new Verification.Verified(v.keyFingerprint() == null ? "" : v.keyFingerprint(),
          signer == null ? "" : signer);
    } catch (IOException | RuntimeException e) {
      return new Verification.Refused("commit " + id + ": its SSH signature cannot be checked ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  @Override
  public String toString() {
    return "SshVerifier[" + allowedSigners + "]";
  }
}
