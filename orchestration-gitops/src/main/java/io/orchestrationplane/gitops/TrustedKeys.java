package io.orchestrationplane.gitops;

import io.orchestrationplane.gitops.internal.OpenPgpVerifier;
import java.util.List;
import java.util.Objects;

/**
 * The OpenPGP public keys whose signatures a {@link GitRepository} accepts (Flux's
 * {@code spec.verify}, Argo CD's GnuPG public keys). With trusted keys, only a commit whose
 * signature verifies with one of them (primary key or subkey, not revoked, not expired at the
 * signature's time) is applied; an unsigned commit, one signed by another key, or one with an
 * SSH or X.509 signature is refused with the reason.
 *
 * <pre>{@code
 * TrustedKeys keys = TrustedKeys.openPgp(Files.readString(Path.of("release-team.asc")));
 * }</pre>
 */
public final class TrustedKeys {
  private final OpenPgpVerifier verifier;

  private TrustedKeys(OpenPgpVerifier verifier) {
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
    return new TrustedKeys(OpenPgpVerifier.of(armoredKeyBlocks));
  }

  /** The fingerprints of the trusted primary keys, upper-case hexadecimal. */
  public List<String> fingerprints() {
    return verifier.fingerprints();
  }

  OpenPgpVerifier verifier() {
    return verifier;
  }

  @Override
  public String toString() {
    return "TrustedKeys" + fingerprints();
  }
}
