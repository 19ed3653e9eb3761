package io.orchestrationplane.core.audit;

import io.orchestrationplane.core.audit.internal.AuditJson;
import io.orchestrationplane.core.audit.internal.AuditMapper;
import io.orchestrationplane.core.audit.internal.AuditVerifier;
import io.orchestrationplane.core.audit.internal.MerkleTree;
import io.orchestrationplane.core.observe.PlaneObserver;
import io.orchestrationplane.core.observe.PlaneRecord;
import io.orchestrationplane.core.reconcile.Scheduler;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plane's tamper-evident audit trail: an observer that appends every decision (a plan with
 * writes admitted, a denial, an execution with its outcome per cluster, continuous mode's
 * submissions, rejections, drift corrections and removals) as an {@link AuditRecord} to an {@link
 * AuditSink}. Records are chained by hash, and every {@code checkpointEvery} records (and on
 * {@link #checkpoint()} and {@link #close()}) a {@link Checkpoint} signs the RFC 6962 Merkle root
 * of all records so far with the embedder's Ed25519 key. {@link #verify()} reads the sink back
 * and names the first entry that was edited, deleted, inserted or moved; {@link
 * #consistencyProof} proves that a later checkpoint extends an earlier one.
 *
 * <pre>{@code
 * KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair(); // keep it in your secret store
 * AuditLog audit = AuditLog.builder(AuditSinks.jsonLines(Path.of("audit.jsonl")), key).build();
 * OrchestrationPlane plane = OrchestrationPlane.builder().observer(audit)...build();
 * ...
 * audit.verify();   // Intact[records=..., ...] or Broken[line=7, ...]
 * }</pre>
 *
 * <p>Durability: by default {@link #observe} returns once its record is in the sink (the file
 * sink syncs), like the Kubernetes API server's {@code blocking} audit mode. Appends from several
 * threads are group-committed: while one batch is written, the records arriving meanwhile wait and
 * go together in the next, so a sync is shared. {@link Builder#batching} trades the last moments
 * before a crash for speed, like its {@code batch} mode: records are chained at once but written
 * when {@code maxRecords} are pending or {@code maxDelay} after the first of them. A sink failure is
 * logged and thrown (the plane logs and ignores a failing observer, so it never stops work); the
 * records of the failed batch are kept and written with the next batch, in order. Thread-safe.
 */
public final class AuditLog implements PlaneObserver, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  /** The default number of records between two checkpoints. */
  public static final int DEFAULT_CHECKPOINT_EVERY = 1000;

  private final AuditSink store;
  private final List<AuditSink> copies;
  private final KeyPair key;
  private final int checkpointEvery;
  private final Clock clock;
  private final @Nullable Scheduler scheduler;
  private final Duration maxDelay;
  private final int maxRecords;

  // Chain state, guarded by this.
  private final MerkleTree tree;
  private final List<Checkpoint> checkpoints;
  private String head;
  private List<AuditEntry> pending = new ArrayList<>();
  private long sinceCheckpoint;
  private boolean closed;
  /** Records in {@link #pending} (batching mode) and the flush scheduled for them. */
  private int pendingRecords;
  private Scheduler.@Nullable Task scheduledFlush;

  // Durability, guarded by flushLock: how many entries the sink holds.
  private final Object flushLock = new Object();
  private long appended;
  private long durable;

  private AuditLog(Builder b, AuditVerifier restored) {
    this.store = b.store;
    this.copies = List.copyOf(b.copies);
    this.key = b.key;
    this.checkpointEvery = b.checkpointEvery;
    this.clock = b.clock;
    this.scheduler = b.scheduler;
    this.maxDelay = b.maxDelay;
    this.maxRecords = b.maxRecords;
    this.tree = restored.tree();
    this.checkpoints = new ArrayList<>(restored.checkpoints());
    this.head = restored.head();
    long last = checkpoints.isEmpty() ? 0 : checkpoints.get(checkpoints.size() - 1).size();
    this.sinceCheckpoint = tree.size() - last;
  }

  /**
   * A builder for a log kept in {@code store} (readable: the JSON Lines file, a database table)
   * signing checkpoints with {@code ed25519}, a key pair of the JDK's {@code Ed25519} algorithm.
   */
  public static Builder builder(AuditSink store, KeyPair ed25519) {
    return new Builder(store, ed25519);
  }

  /** Settings of an {@link AuditLog}. */
  public static final class Builder {
    private final AuditSink store;
    private final KeyPair key;
    private final List<AuditSink> copies = new ArrayList<>();
    private int checkpointEvery = DEFAULT_CHECKPOINT_EVERY;
    private Clock clock = Clock.systemUTC();
    private @Nullable Scheduler scheduler;
    private Duration maxDelay = Duration.ZERO;
    private int maxRecords = 1;

    private Builder(AuditSink store, KeyPair key) {
      this.store = Objects.requireNonNull(store, "store");
      this.key = Objects.requireNonNull(key, "key");
      if (!store.readable()) {
        throw new IllegalArgumentException(store + " cannot be read back, so it cannot be verified: use it as a copy "
            + "(copyTo) beside a readable store");
      }
      String algorithm = key.getPrivate().getAlgorithm();
      if (!algorithm.equals("Ed25519") && !algorithm.equals("EdDSA")) {
        throw new IllegalArgumentException("checkpoints are signed with Ed25519; the key given is " + algorithm);
      }
    }

    /** Also writes every entry to {@code sink} (a logger, say); a copy is never read or verified. */
    public Builder copyTo(AuditSink sink) {
      copies.add(Objects.requireNonNull(sink, "sink"));
      return this;
    }

    /** Records between two checkpoints (default {@value #DEFAULT_CHECKPOINT_EVERY}), at least 1. */
    public Builder checkpointEvery(int records) {
      if (records < 1) {
        throw new IllegalArgumentException("checkpointEvery must be >= 1, was " + records);
      }
      this.checkpointEvery = records;
      return this;
    }

    /**
     * Batching mode: {@link #observe} returns at once; pending records are written (one sync) when
     * {@code maxRecords} are pending or {@code maxDelay} after the first of them, on {@code
     * scheduler}'s thread (say {@code Scheduler.threaded("audit")}; the log does not close it), and
     * by {@link #flush()}, {@link #verify()}, {@link #checkpoint()} and {@link #close()}. A crash
     * loses at most the pending records, never the chain's integrity: what reached the file
     * verifies. Without it, every record is durable when {@code observe} returns.
     */
    public Builder batching(Duration maxDelay, int maxRecords, Scheduler scheduler) {
      Objects.requireNonNull(maxDelay, "maxDelay");
      if (maxDelay.isNegative() || maxDelay.isZero()) {
        throw new IllegalArgumentException("maxDelay must be positive, was " + maxDelay);
      }
      if (maxRecords < 1) {
        throw new IllegalArgumentException("maxRecords must be >= 1, was " + maxRecords);
      }
      this.maxDelay = maxDelay;
      this.maxRecords = maxRecords;
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The clock of checkpoint times (records carry the time of what they record). */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Reads and verifies what the store holds, and continues after it.
     *
     * @throws IllegalStateException when the store's entries do not verify (naming the first bad
     *     one): a log is never continued after a break; move the file aside and investigate
     */
    public AuditLog build() {
      AuditVerifier verifier = new AuditVerifier(key.getPublic());
      store.read(verifier);
      AuditVerification v = verifier.result(-1, null);
      if (v instanceof AuditVerification.Broken broken) {
        throw new IllegalStateException("the audit log in " + store + " does not verify, so it is not continued: "
            + broken);
      }
      return new AuditLog(this, verifier);
    }
  }

  // ---- appending

  @Override
  public void observe(PlaneRecord record) {
    AuditMapper.Draft draft = AuditMapper.map(record);
    if (draft != null) {
      written(enqueue(List.of(draft)));
    }
  }

  /** {@link #observe} for several records, written as one batch (one sync). */
  public void observeAll(Collection<? extends PlaneRecord> records) {
    List<AuditMapper.Draft> drafts = new ArrayList<>(records.size());
    for (PlaneRecord r : records) {
      AuditMapper.Draft d = AuditMapper.map(r);
      if (d != null) {
        drafts.add(d);
      }
    }
    if (!drafts.isEmpty()) {
      written(enqueue(drafts));
    }
  }

  /** After an enqueue: write now, or (batching) when enough are pending or the delay has passed. */
  private void written(long upTo) {
    Scheduler s = scheduler;
    if (s == null) {
      flush(upTo);
      return;
    }
    boolean now;
    synchronized (this) {
      now = pendingRecords >= maxRecords;
      if (!now && scheduledFlush == null) {
        scheduledFlush = s.schedule(this::scheduledFlush, maxDelay);
      }
    }
    if (now) {
      flush(upTo);
    }
  }

  private void scheduledFlush() {
    synchronized (this) {
      scheduledFlush = null;
    }
    try {
      flush();
    } catch (RuntimeException e) {
      // logged by flush; the records stay pending for the next record's flush
    }
  }

  /** Writes every pending record now (batching mode); a no-op when none is pending. */
  public void flush() {
    long upTo;
    synchronized (this) {
      upTo = appended;
    }
    flush(upTo);
  }

  /** Chains the drafts (and any checkpoint due) into the pending batch; returns how many entries must be durable. */
  private synchronized long enqueue(List<AuditMapper.Draft> drafts) {
    if (closed) {
      throw new IllegalStateException("the audit log is closed");
    }
    for (AuditMapper.Draft d : drafts) {
      AuditRecord unhashed = new AuditRecord(tree.size(), d.time(), d.subject(), d.action(), d.application(),
          d.revision(), d.plan(), d.verdicts(), d.outcomes(), d.message(), head, "");
      byte[] canonical = AuditJson.canonical(unhashed);
      String hash = AuditJson.hex(MerkleTree.sha256().digest(canonical));
      AuditRecord r = new AuditRecord(unhashed.sequence(), d.time(), d.subject(), d.action(), d.application(),
          d.revision(), d.plan(), d.verdicts(), d.outcomes(), d.message(), head, hash);
      tree.append(MerkleTree.leafHash(canonical));
      head = hash;
      pending.add(r);
      pendingRecords++;
      appended++;
      if (++sinceCheckpoint >= checkpointEvery) {
        addCheckpoint();
      }
    }
    return appended;
  }

  private void addCheckpoint() {
    Checkpoint unsigned = new Checkpoint(tree.size(), AuditJson.hex(tree.root()), clock.instant(), "");
    Checkpoint c = new Checkpoint(unsigned.size(), unsigned.root(), unsigned.time(), sign(unsigned.signedText()));
    checkpoints.add(c);
    head = AuditVerifier.entryHash(c);
    pending.add(c);
    appended++;
    sinceCheckpoint = 0;
  }

  private String sign(String text) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key.getPrivate());
      s.update(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign an audit checkpoint with the key given: " + e.getMessage(), e);
    }
  }

  /** Writes pending entries until the first {@code upTo} are durable; one thread writes, the others' entries ride along. */
  private void flush(long upTo) {
    synchronized (flushLock) {
      if (durable >= upTo) {
        return; // another thread's batch carried it
      }
      List<AuditEntry> batch;
      int records;
      synchronized (this) {
        batch = pending;
        records = pendingRecords;
        pending = new ArrayList<>();
        pendingRecords = 0;
        if (scheduledFlush != null) {
          scheduledFlush.cancel();
          scheduledFlush = null;
        }
      }
      if (batch.isEmpty()) {
        return;
      }
      try {
        store.append(batch);
      } catch (RuntimeException e) {
        synchronized (this) {
          batch.addAll(pending);
          pending = batch; // kept, in order, for the next flush
          pendingRecords += records;
        }
        LOG.error("audit: {} entries could not be stored in {}; they are kept and retried with the next record",
            batch.size(), store, e);
        throw e;
      }
      durable += batch.size();
      for (AuditSink copy : copies) {
        try {
          copy.append(batch);
        } catch (RuntimeException e) {
          LOG.warn("audit: copy {} failed; the store {} has the entries", copy, store, e);
        }
      }
    }
  }

  // ---- reading

  /** Records appended so far (checkpoints not counted). */
  public synchronized long size() {
    return tree.size();
  }

  /** The hash of the last entry, record or checkpoint ({@link AuditRecord#GENESIS} when empty). */
  public synchronized String head() {
    return head;
  }

  /** Every checkpoint so far, oldest first. */
  public synchronized List<Checkpoint> checkpoints() {
    return List.copyOf(checkpoints);
  }

  /** The newest checkpoint. */
  public synchronized Optional<Checkpoint> latestCheckpoint() {
    return checkpoints.isEmpty() ? Optional.empty() : Optional.of(checkpoints.get(checkpoints.size() - 1));
  }

  /** Signs a checkpoint of every record so far now (none when the newest already covers them) and stores it. */
  public Checkpoint checkpoint() {
    long upTo;
    Checkpoint c;
    synchronized (this) {
      if (sinceCheckpoint > 0 || checkpoints.isEmpty()) {
        addCheckpoint();
      }
      c = checkpoints.get(checkpoints.size() - 1);
      upTo = appended;
    }
    flush(upTo);
    return c;
  }

  /** The public half of the signing key, for verifiers. */
  public PublicKey publicKey() {
    return key.getPublic();
  }

  /**
   * Proof that the first {@code fromSize} records are unchanged in the first {@code toSize}
   * (RFC 6962 §2.1.2); verify it against the two checkpoints' roots.
   */
  public synchronized ConsistencyProof consistencyProof(long fromSize, long toSize) {
    if (fromSize < 0 || fromSize > toSize || toSize > tree.size()) {
      throw new IllegalArgumentException("a consistency proof needs 0 <= fromSize <= toSize <= " + tree.size()
          + ", was " + fromSize + " and " + toSize);
    }
    if (fromSize == 0) {
      return new ConsistencyProof(0, toSize, List.of());
    }
    List<String> hashes = tree.consistencyProof((int) fromSize, (int) toSize).stream().map(AuditJson::hex).toList();
    return new ConsistencyProof(fromSize, toSize, hashes);
  }

  /**
   * Reads the store back and checks every entry: each record's hash against its content, its
   * sequence and its link to the entry before, each checkpoint's size, Merkle root and signature,
   * and that the store ends where this log last wrote. Names the first bad entry.
   */
  public AuditVerification verify() {
    try {
      flush(); // batching: what is pending counts as written
    } catch (RuntimeException e) {
      // the sink failed: verify what it holds
    }
    long records;
    String expectedHead;
    synchronized (flushLock) { // what is durable now; later appends wait
      synchronized (this) {
        if (!pending.isEmpty()) {
          records = -1;
          expectedHead = null;
        } else {
          records = tree.size();
          expectedHead = head;
        }
      }
      AuditVerifier verifier = new AuditVerifier(key.getPublic());
      store.read(verifier);
      return verifier.result(records, expectedHead);
    }
  }

  /**
   * Verifies the entries of any readable sink, with the public key that signed its checkpoints
   * (null: roots are checked, signatures not): for auditors who hold only the file and the key.
   */
  public static AuditVerification verify(AuditSink sink, @Nullable PublicKey key) {
    AuditVerifier verifier = new AuditVerifier(key);
    sink.read(verifier);
    return verifier.result(-1, null);
  }

  /** Writes a last checkpoint over records not yet covered, then closes the sinks. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    try {
      if (size() > 0) {
        checkpoint();
      }
    } finally {
      synchronized (this) {
        closed = true;
      }
      store.close();
      copies.forEach(AuditSink::close);
    }
  }

  @Override
  public String toString() {
    return "AuditLog[" + store + "]";
  }
}
