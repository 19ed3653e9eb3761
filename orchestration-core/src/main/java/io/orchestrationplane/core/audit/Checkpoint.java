package io.orchestrationplane.core.audit;

import io.orchestrationplane.core.audit.internal.AuditJson;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A signed tree head: the RFC 6962 Merkle root over the first {@link #size()} records of the log,
 * signed with the embedder's Ed25519 key. A verifier who kept two checkpoints can check with a
 * {@link ConsistencyProof} that the later log extends the earlier one unchanged.
 *
 * @param root the Merkle Tree Hash, hex
 * @param signature the Ed25519 signature of {@link #signedText()}, base64
 */
public record Checkpoint(long size, String root, Instant time, String signature) implements AuditEntry {
  public Checkpoint {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, was " + size);
    }
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(signature, "signature");
  }

  /**
   * What is signed, in UTF-8: {@code orchestration-plane audit checkpoint v1}, the size, the root
   * and the time (ISO-8601), each followed by a line break.
   */
  public String signedText() {
    return "orchestration-plane audit checkpoint v1\n" + size + "\n" + root + "\n" + time + "\n";
  }

  /** True when {@link #signature()} is {@code key}'s Ed25519 signature of {@link #signedText()}. */
  public boolean verify(PublicKey key) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(signedText().getBytes(StandardCharsets.UTF_8));
      return s.verify(Base64.getDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public String toJson() {
    return AuditJson.write(this);
  }
}
