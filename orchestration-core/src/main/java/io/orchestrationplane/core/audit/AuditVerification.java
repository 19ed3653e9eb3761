package io.orchestrationplane.core.audit;

import java.util.Objects;

/** What {@link AuditLog#verify()} found: the whole log intact, or the first entry that is not. */
public sealed interface AuditVerification permits AuditVerification.Intact, AuditVerification.Broken {

  /** True for {@link Intact}. */
  boolean isIntact();

  /**
   * Every entry checked and intact.
   *
   * @param records how many records the log holds
   * @param checkpoints how many checkpoints were checked (root, size and, with a key, signature)
   * @param head the hash of the last entry ({@link AuditRecord#GENESIS} when empty)
   * @param signaturesChecked false when no public key was given: roots were checked, signatures not
   */
  record Intact(long records, long checkpoints, String head, boolean signaturesChecked) implements AuditVerification {
    @Override
    public boolean isIntact() {
      return true;
    }
  }

  /**
   * The first bad entry.
   *
   * @param line its position in the sink, from 1 (a line of the JSON Lines file)
   * @param sequence the sequence number the record there should have had (the number of records before it)
   * @param reason what is wrong: edited, not following the entry before it (deleted, inserted or
   *     moved), a checkpoint that does not match or is not signed by the key, or records missing at the end
   */
  record Broken(long line, long sequence, String reason) implements AuditVerification {
    public Broken {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public boolean isIntact() {
      return false;
    }

    @Override
    public String toString() {
      return "audit log broken at line " + line + " (record " + sequence + "): " + reason;
    }
  }
}
