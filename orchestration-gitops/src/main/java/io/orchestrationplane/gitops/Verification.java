package io.orchestrationplane.gitops;

import java.util.Objects;

/** What signature verification said about a commit. */
public sealed interface Verification permits Verification.NotRequired, Verification.Verified, Verification.Refused {

  /** True unless the commit was refused. */
  default boolean accepted() {
    return !(this instanceof Refused);
  }

  /** No trusted keys were configured: commits are not checked. */
  record NotRequired() implements Verification {}

  /**
   * Signed by a trusted key.
   *
   * @param keyFingerprint the fingerprint of the key (or subkey) that made the signature, upper-case hex
   * @param signer the user id of the trusted key, or empty when it has none
   */
  record Verified(String keyFingerprint, String signer) implements Verification {
    public Verified {
      Objects.requireNonNull(keyFingerprint, "keyFingerprint");
      Objects.requireNonNull(signer, "signer");
    }
  }

  /**
   * Refused: nothing of this commit is applied.
   *
   * @param reason why: {@code commit 3f9c2a1 is not signed}, {@code ... signed by key 1A2B..., which is not trusted}
   */
  record Refused(String reason) implements Verification {
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
