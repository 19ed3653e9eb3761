package io.orchestrationplane.gitops.internal;

import io.orchestrationplane.gitops.Verification;
import java.nio.charset.StandardCharsets;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a commit's signature by its format: OpenPGP against trusted public keys, SSH against
 * an allowed-signers list; a format without trusted keys, and an unsigned commit, are refused.
 * Immutable and thread-safe.
 */
public final class CommitVerifier {
  private final @Nullable OpenPgpVerifier openPgp;
  private final @Nullable SshVerifier ssh;

  public CommitVerifier(@Nullable OpenPgpVerifier openPgp, @Nullable SshVerifier ssh) {
    if (openPgp == null && ssh == null) {
      throw new IllegalArgumentException("give trusted OpenPGP keys, SSH allowed signers, or both");
    }
    this.openPgp = openPgp;
    this.ssh = ssh;
  }

  public @Nullable OpenPgpVerifier openPgp() {
    return openPgp;
  }

  public @Nullable SshVerifier ssh() {
    return ssh;
  }

  public Verification verify(Repository repository, RevCommit commit) {
    String id = commit.name().substring(0, 7);
    byte[] signature = commit.getRawGpgSignature();
    if (signature == null) {
      return new Verification.Refused("commit " + id + " is not signed; only commits signed by a trusted key are applied");
    }
    String head = new String(signature, 0, Math.min(signature.length, 40), StandardCharsets.US_ASCII);
    if (head.startsWith("-----BEGIN SSH SIGNATURE")) {
      return ssh != null ? ssh.verify(repository, commit, id) : new Verification.Refused("commit " + id
          + " has an SSH signature, and no SSH allowed signers are trusted");
    }
    if (head.startsWith("-----BEGIN PGP SIGNATURE")) {
      return openPgp != null ? openPgp.verify(commit) : new Verification.Refused("commit " + id
          + " has an OpenPGP signature, and no OpenPGP keys are trusted");
    }
    return new Verification.Refused("commit " + id + " has a signature that is neither OpenPGP nor SSH (X.509?), "
        + "which is not verified");
  }
}
