package io.orchestrationplane.core.audit;

import io.orchestrationplane.core.audit.internal.AuditJson;
import io.orchestrationplane.core.audit.internal.MerkleTree;
import java.util.List;

/**
 * Proof that the log's first {@code fromSize} records are unchanged in its first {@code toSize}
 * (RFC 6962 §2.1.2): with the roots of two {@link Checkpoint}s, anyone can check that nothing
 * the first covered was edited, removed or reordered later.
 *
 * <pre>{@code
 * ConsistencyProof proof = auditLog.consistencyProof(older.size(), newer.size());
 * boolean unchanged = proof.verify(older.root(), newer.root());
 * }</pre>
 *
 * @param hashes the proof's node hashes, hex, in RFC 6962 order
 */
public record ConsistencyProof(long fromSize, long toSize, List<String> hashes) {
  public ConsistencyProof {
    if (fromSize < 0 || fromSize > toSize) {
      throw new IllegalArgumentException("a consistency proof needs 0 <= fromSize <= toSize, was " + fromSize + " and "
          + toSize);
    }
    hashes = List.copyOf(hashes);
  }

  /** True when this proves that the tree with root {@code fromRoot} is a prefix of the one with root {@code toRoot} (hex). */
  public boolean verify(String fromRoot, String toRoot) {
    try {
      return MerkleTree.verifyConsistency(fromSize, toSize, AuditJson.unhex(fromRoot), AuditJson.unhex(toRoot),
          hashes.stream().map(AuditJson::unhex).toList());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** True when this proves that {@code to} extends {@code from}; checks their sizes too (not signatures). */
  public boolean verify(Checkpoint from, Checkpoint to) {
    return from.size() == fromSize && to.size() == toSize && verify(from.root(), to.root());
  }
}
