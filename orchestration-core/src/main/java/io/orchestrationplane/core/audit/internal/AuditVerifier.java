package io.orchestrationplane.core.audit.internal;

import io.orchestrationplane.core.audit.AuditEntry;
import io.orchestrationplane.core.audit.AuditRecord;
import io.orchestrationplane.core.audit.AuditVerification;
import io.orchestrationplane.core.audit.Checkpoint;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Checks entries in order, as a sink hands them back, and keeps what the log needs to continue
 * after them: the hash chain's head, the Merkle tree of the records and the checkpoints. Stops at
 * the first bad entry. Not thread-safe.
 *
 * <p>The chain runs through every entry: a record's {@code previous} is the hash of the entry
 * before it, a record's own hash or a checkpoint's (SHA-256 of its JSON line), so that deleting,
 * inserting or moving a checkpoint breaks it too.
 */
public final class AuditVerifier implements Consumer<String> {
  private final @Nullable PublicKey key;
  private final MerkleTree tree = new MerkleTree();
  private final List<Checkpoint> checkpoints = new ArrayList<>();
  private String head = AuditRecord.GENESIS;
  private long line;
  private AuditVerification.@Nullable Broken broken;

  public AuditVerifier(@Nullable PublicKey key) {
    this.key = key;
  }

  @Override
  public void accept(String json) {
    if (broken != null) {
      return;
    }
    line++;
    AuditEntry entry;
    try {
      entry = AuditJson.parse(json);
    } catch (IllegalArgumentException e) {
      fail("not an audit entry (" + e.getMessage() + "): edited or written over");
      return;
    }
    if (entry instanceof AuditRecord r) {
      byte[] canonical = AuditJson.canonical(r);
      String hash = AuditJson.hex(MerkleTree.sha256().digest(canonical));
      if (!hash.equals(r.hash())) {
        fail("its content does not match its hash: the record was edited");
      } else if (r.sequence() != tree.size()) {
        fail("it has sequence " + r.sequence() + " where " + tree.size() + " was due: a record before it was "
            + (r.sequence() > tree.size() ? "deleted or moved" : "inserted or moved"));
      } else if (!r.previous().equals(head)) {
        fail("it does not follow the entry before it (previous hash differs): an entry before it was deleted, "
            + "inserted or moved");
      } else {
        tree.append(MerkleTree.leafHash(canonical));
        head = hash;
      }
    } else {
      Checkpoint c = (Checkpoint) entry;
      if (c.size() != tree.size()) {
        fail("a checkpoint of " + c.size() + " records after " + tree.size() + " records: " + (c.size() > tree.size()
            ? "a record before it was deleted or moved" : "a record was inserted before it, or the checkpoint moved"));
      } else if (!c.root().equals(AuditJson.hex(tree.root()))) {
        fail("the checkpoint's Merkle root does not match the records before it: a record was changed or the "
            + "checkpoint edited");
      } else if (key != null && !c.verify(key)) {
        fail("the checkpoint's signature does not verify with the key given");
      } else {
        checkpoints.add(c);
        head = entryHash(c);
      }
    }
  }

  /** The chain hash of a checkpoint: SHA-256 of its JSON line. */
  public static String entryHash(Checkpoint c) {
    return AuditJson.hex(MerkleTree.sha256().digest(c.toJson().getBytes(StandardCharsets.UTF_8)));
  }

  private void fail(String reason) {
    broken = new AuditVerification.Broken(line, tree.size(), reason);
  }

  /** The verdict on what was read; {@code expectedRecords} and {@code expectedHead}, when known, must match its end. */
  public AuditVerification result(long expectedRecords, @Nullable String expectedHead) {
    if (broken != null) {
      return broken;
    }
    if (expectedRecords >= 0 && tree.size() < expectedRecords) {
      return new AuditVerification.Broken(line + 1, tree.size(), "the log wrote " + expectedRecords
          + " records but the sink holds " + tree.size() + ": records at the end were deleted");
    }
    if (expectedHead != null && (tree.size() != expectedRecords || !head.equals(expectedHead))) {
      return new AuditVerification.Broken(line, tree.size(), "the sink's last entry is not the last one the log "
          + "wrote: entries at the end were replaced or added");
    }
    return new AuditVerification.Intact(tree.size(), checkpoints.size(), head, key != null);
  }

  public MerkleTree tree() {
    return tree;
  }

  public List<Checkpoint> checkpoints() {
    return checkpoints;
  }

  public String head() {
    return head;
  }
}
