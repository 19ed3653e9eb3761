package io.orchestrationplane.gitops;

import io.orchestrationplane.gitops.internal.CommitVerifier;
import io.orchestrationplane.gitops.internal.OpenPgpVerifier;
import io.orchestrationplane.gitops.internal.SshVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The keys whose commit signatures a {@link GitRepository} accepts (Flux's {@code spec.verify},
 * Argo CD's GnuPG public keys): OpenPGP public keys, SSH public keys in an allowed-signers list
 * (Git's {@code gpg.ssh.allowedSignersFile}), or both. With trusted keys, only a commit whose
 * signature verifies with one of them is applied (OpenPGP: primary key or subkey, not revoked,
 * not expired at the signature's time; SSH: a key the list allows, namespace {@code git}); an
 * unsigned commit, one signed by another key, or one in a format without trusted keys (X.509
 * always) is refused with the reason.
 *
 * <pre>{@code
 * TrustedKeys keys = TrustedKeys.openPgp(Files.readString(Path.of("release-team.asc")))
 *     .and(TrustedKeys.sshAllowedSigners("alice@example.com ssh-ed25519 AAAAC3Nza..."));
 * }</pre>
 */
public final class TrustedKeys {
  private final CommitVerifier verifier;

  private TrustedKeys(CommitVerifier verifier) {
    this.verifier = verifier;
  }

  /**
   * Keys from ASCII-armored (or binary) OpenPGP public key blocks, as {@code gpg --export --armor}
   * writes them. Throws {@link IllegalArgumentException} when a block holds no public key or
   * cannot be read, naming its position in the list.
   */
  public static TrustedKeys openPgp(String... armoredKeyBlocks) {
    return openPgp(List.of(armoredKeyBlocks));
  }

  /** {@link #openPgp(String...)} from a list. */
  public static TrustedKeys openPgp(List<String> armoredKeyBlocks) {
    Objects.requireNonNull(armoredKeyBlocks, "armoredKeyBlocks");
    if (armoredKeyBlocks.isEmpty()) {
      throw new IllegalArgumentException("give at least one trusted OpenPGP public key");
    }
    return new TrustedKeys(new CommitVerifier(OpenPgpVerifier.of(armoredKeyBlocks), null));
  }

  /**
   * SSH keys from the text of an allowed-signers file (OpenSSH's format, one {@code <principals>
   * [options] <key type> <base64 key>} per line, as {@code ssh-keygen -Y verify} reads it; Git's
   * {@code gpg.ssh.allowedSignersFile}). Verified by JGit's SSH signature verifier.
   */
  public static TrustedKeys sshAllowedSigners(String allowedSigners) {
    java.util.Objects.requireNonNull(allowedSigners, "allowedSigners");
    return new TrustedKeys(new CommitVerifier(null, SshVerifier.of(allowedSigners)));
  }

  /** These keys and {@code other}'s (an OpenPGP and an SSH set; of one format, {@code other}'s replace these). */
  public TrustedKeys and(TrustedKeys other) {
    return new TrustedKeys(new CommitVerifier(
        other.verifier.openPgp() != null ? other.verifier.openPgp() : verifier.openPgp(),
        other.verifier.ssh() != null ? other.verifier.ssh() : verifier.ssh()));
  }

  /** The fingerprints of the trusted OpenPGP primary keys, upper-case hexadecimal (none for SSH keys). */
  public List<String> fingerprints() {
    OpenPgpVerifier pgp = verifier.openPgp();
    return pgp == null ? List.of() : pgp.fingerprints();
  }

  CommitVerifier verifier() {
    return verifier;
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (verifier.openPgp() != null) {
      parts.add("openPgp=" + fingerprints());
    }
    if (verifier.ssh() != null) {
      parts.add("ssh allowed signers");
    }
    return "TrustedKeys" + parts;
  }
}
