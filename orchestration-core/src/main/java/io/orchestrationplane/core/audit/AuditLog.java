package io.orchestrationplane.core.audit;

import io.orchestrationplane.core.audit.internal.AuditJson;
import io.orchestrationplane.core.audit.internal.AuditMapper;
import io.orchestrationplane.core.audit.internal.AuditVerifier;
import io.orchestrationplane.core.audit.internal.JsonLinesAuditSink;
import io.orchestrationplane.core.audit.internal.MerkleTree;
import io.orchestrationplane.core.observe.PlaneObserver;
import io.orchestrationplane.core.observe.PlaneRecord;
import io.orchestrationplane.core.reconcile.Scheduler;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
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
 * before a crash for speed, like its {@code batch} mode: the observing thread only queues the
 * record; one writer numbers, chains, encodes and writes the queued records in acceptance order,
 * when {@code maxRecords} are queued or {@code maxDelay} after the first of them, and whenever
 * {@link #flush()}, {@link #checkpoint()}, {@link #verify()} or {@link #close()} is called. The
 * queue is bounded ({@link Builder#queueCapacity}). A sink failure is logged and thrown (by the
 * call that wrote: {@code observe} in durable mode, {@code flush} and the others, or an {@code
 * observe} that found batching's queue full; the plane logs and ignores a failing observer, so it
 * never stops work); the entries of the failed batch stay chained and are written first by the
 * next write, in order. Thread-safe.
 */
public final class AuditLog implements PlaneObserver, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  /** The default number of records between two checkpoints. */
  public static final int DEFAULT_CHECKPOINT_EVERY = 1000;

  /** The default bound of batching mode's queue, in records (at least twice {@code maxRecords}). */
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

  private final AuditSink store;
  /** The store when it is the built-in file: it takes the lines the writer encoded while hashing. */
  private final @Nullable JsonLinesAuditSink storeLines;
  private final List<AuditSink> copies;
  private final KeyPair key;
  private final int checkpointEvery;
  private final Clock clock;
  private final @Nullable Scheduler scheduler;
  private final Duration maxDelay;
  private final int maxRecords;
  private final int capacity;

  // Records accepted and not yet taken by the writer, guarded by this: the callers' side.
  private final ArrayDeque<PlaneRecord> queue = new ArrayDeque<>();
  /** Records accepted so far: the ticket of the last one. */
  private long accepted;
  /** Records accepted and not yet in the store (queued, or chained and waiting to be written). */
  private long held;
  private boolean closed;
  private Scheduler.@Nullable Task scheduledFlush;
  /** The scheduled flush is the immediate one ({@code maxRecords} queued). */
  private boolean flushDue;

  // The writer's side, guarded by writer: the chain, and what of it is not yet in the store.
  private final Object writer = new Object();
  private final MerkleTree tree;
  private final List<Checkpoint> checkpoints;
  private String head;
  private long sinceCheckpoint;
  private final List<AuditEntry> unwritten = new ArrayList<>();
  private final List<byte[]> unwrittenLines = new ArrayList<>();
  /** Records taken off the queue so far, in acceptance order. */
  private long taken;
  /** Records taken whose entries are in the store: every one taken before the last successful write. */
  private volatile long durable;
  private final MessageDigest sha256 = MerkleTree.sha256();
  private final AuditMapper.Digests digests = new AuditMapper.Digests();
  /** The writer's encoder of each record's canonical form and line. Holds writer. */
  private final AuditJson.Encoder encoder = new AuditJson.Encoder();
  /** The checkpoints' signer, initialized with the key once. Holds writer. */
  private @Nullable Signature signer;

  private AuditLog(Builder b, AuditVerifier restored) {
    this.store = b.store;
    this.storeLines = b.store instanceof JsonLinesAuditSink file ? file : null;
    this.copies = List.copyOf(b.copies);
    this.key = b.key;
    this.checkpointEvery = b.checkpointEvery;
    this.clock = b.clock;
    this.scheduler = b.scheduler;
    this.maxDelay = b.maxDelay;
    this.maxRecords = b.maxRecords;
    this.capacity = b.capacity != null ? b.capacity : Math.max(DEFAULT_QUEUE_CAPACITY, 2 * b.maxRecords);
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
    private @Nullable Integer capacity;

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
     * Batching mode, like the Kubernetes API server's {@code batch} audit backend: {@link #observe}
     * only queues the record (an immutable value) and returns; a single writer, on {@code
     * scheduler}'s thread (say {@code Scheduler.threaded("audit")}; the log does not close it),
     * numbers, chains, hashes and encodes the queued records in the order they were accepted and
     * writes them as one batch (one sync): at once when {@code maxRecords} are queued, else {@code
     * maxDelay} after the first of them. {@link #flush()}, {@link #checkpoint()}, {@link #verify()}
     * and {@link #close()} write everything accepted before they return. A record is durable once
     * the batch holding it is stored; a crash loses at most the records accepted and not yet
     * stored (never the chain's integrity: what reached the store verifies). The queue is bounded
     * ({@link #queueCapacity}); without batching, every record is durable when {@code observe}
     * returns.
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

    /**
     * Batching mode's bound: at most {@code records} accepted and not yet stored (default {@value
     * AuditLog#DEFAULT_QUEUE_CAPACITY}, or twice {@code maxRecords} when that is more), so memory
     * stays bounded however slow the store. A record that finds the queue full is written by the
     * observing thread together with the queue (back-pressure, like a durable append); when the
     * store fails then, the record is refused with an {@link AuditSinkException} (the plane logs it
     * and goes on) rather than held. At least {@code maxRecords}; only with {@link #batching}.
     */
    public Builder queueCapacity(int records) {
      if (records < 1) {
        throw new IllegalArgumentException("queueCapacity must be >= 1, was " + records);
      }
      this.capacity = records;
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
     *     one): a log is never continued after a break; move the file aside and investigate; or
     *     when {@link #queueCapacity} is set without {@link #batching} or below its {@code maxRecords}
     */
    public AuditLog build() {
      if (capacity != null) {
        if (scheduler == null) {
          throw new IllegalStateException("queueCapacity bounds batching mode's queue: call batching(...) too");
        }
        if (capacity < maxRecords) {
          throw new IllegalStateException("queueCapacity (" + capacity + ") must be at least batching's maxRecords ("
              + maxRecords + ")");
        }
      }
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

  /**
   * Records {@code record} when it is a decision. Durable mode: returns once it is in the store.
   * Batching mode: returns once it is queued for the writer; when the queue is full, writes what it
   * holds first, on this thread (back-pressure), and when that write fails too the record is
   * refused with an {@link AuditSinkException}.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public void observe(PlaneRecord record) {
    if (AuditMapper.isDecision(record)) {
      accepted(accept(List.of(record)));
    }
  }

  /** {@link #observe} for several records, kept together in order and (durable mode) written as one batch (one sync). */
  public void observeAll(Collection<? extends PlaneRecord> records) {
    List<PlaneRecord> decisions = new ArrayList<>(records.size());
    for (PlaneRecord r : records) {
      if (AuditMapper.isDecision(r)) {
        decisions.add(r);
      }
    }
    if (!decisions.isEmpty()) {
      accepted(accept(decisions));
    }
  }

  /** Durable mode: waits until the records up to {@code ticket} are in the store, writing them if no one else is. */
  private void accepted(long ticket) {
    if (scheduler == null) {
      synchronized (writer) {
        if (durable < ticket) { // else another thread's batch carried them (group commit)
          drain();
          write();
        }
      }
    }
  }

  /**
   * Queues {@code records} (immutable: the writer maps, chains and encodes them) and returns the
   * ticket of the last. In batching mode the queue holds at most {@code capacity} records not yet
   * stored: when full, this thread writes them (and fails when the sink does).
   */
  private long accept(List<PlaneRecord> records) {
    while (true) {
      synchronized (this) {
        if (closed) {
          throw new IllegalStateException("the audit log is closed");
        }
        Scheduler s = scheduler;
        if (s == null || held == 0 || held + records.size() <= capacity) {
          queue.addAll(records);
          accepted += records.size();
          held += records.size();
          if (s != null) {
            wake(s);
          }
          return accepted;
        }
      }
      try {
        flush(); // back-pressure: the caller writes what is held, then tries again
      } catch (RuntimeException e) {
        throw new AuditSinkException("audit: the queue holds its " + capacity + " records and the store fails, so "
            + records.size() + " decision(s) are not recorded: " + e.getMessage(), e);
      }
    }
  }

  /** Schedules the writer: at once when {@code maxRecords} are queued, else {@code maxDelay} after the first. Holds this. */
  private void wake(Scheduler s) {
    if (queue.size() >= maxRecords) {
      if (!flushDue) {
        if (scheduledFlush != null) {
          scheduledFlush.cancel();
        }
        scheduledFlush = s.schedule(this::scheduledFlush, Duration.ZERO);
        flushDue = true;
      }
    } else if (scheduledFlush == null) {
      scheduledFlush = s.schedule(this::scheduledFlush, maxDelay);
    }
  }

  /** The writer's turn on the scheduler's thread. */
  private void scheduledFlush() {
    synchronized (this) {
      scheduledFlush = null;
      flushDue = false;
    }
    try {
      flush();
    } catch (RuntimeException e) {
      // logged by write; the entries stay chained, in order, and are written first by the next write
    }
  }

  /**
   * Writes every accepted record now: returns once they are in the store (batching mode; in durable
   * mode they are already).
   *
   * @throws AuditSinkException when the store fails; the entries are kept and written first next time
   */
  public void flush() {
    synchronized (writer) {
      drain();
      write();
    }
  }

  /** Takes the queue and chains its decisions, in order. Holds writer. */
  private void drain() {
    List<PlaneRecord> batch;
    synchronized (this) {
      if (queue.isEmpty()) {
        return;
      }
      batch = new ArrayList<>(queue);
      queue.clear();
    }
    for (PlaneRecord record : batch) {
      AuditMapper.Draft d;
      try {
        d = AuditMapper.map(record, digests);
      } catch (RuntimeException e) { // one bad record must not take the others of the batch with it
        LOG.error("audit: a {} of {} could not be recorded", record.getClass().getSimpleName(), record.application(), e);
        d = null;
      }
      if (d != null) {
        chain(d);
      }
      taken++;
    }
  }

  /** Numbers, hashes and encodes a record after the head. Holds writer. */
  private void chain(AuditMapper.Draft d) {
    long sequence = tree.size();
    encoder.canonical(sequence, d.time(), d.subject(), d.action(), d.application(), d.revision(), d.plan(),
        d.verdicts(), d.outcomes(), d.message(), head);
    byte[] bytes = encoder.bytes();
    int length = encoder.length();
    sha256.reset(); // cheap, and a digest left half-fed by an earlier failure must not leak into this hash
    sha256.update(bytes, 0, length);
    String hash = AuditJson.hex(sha256.digest());
    AuditRecord r = new AuditRecord(sequence, d.time(), d.subject(), d.action(), d.application(), d.revision(),
        d.plan(), d.verdicts(), d.outcomes(), d.message(), head, hash);
    tree.append(MerkleTree.leafHash(sha256, bytes, 0, length));
    head = hash;
    unwritten.add(r);
    unwrittenLines.add(encoder.line(hash));
    if (++sinceCheckpoint >= checkpointEvery) {
      addCheckpoint();
    }
  }

  /** Signs the tree as it stands and chains the checkpoint. Holds writer. */
  private void addCheckpoint() {
    Checkpoint unsigned = new Checkpoint(tree.size(), AuditJson.hex(tree.root()), clock.instant(), "");
    Checkpoint c = new Checkpoint(unsigned.size(), unsigned.root(), unsigned.time(), sign(unsigned.signedText()));
    String line = c.toJson();
    checkpoints.add(c);
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    head = AuditJson.hex(sha256.digest(bytes));
    unwritten.add(c);
    unwrittenLines.add(bytes);
    sinceCheckpoint = 0;
  }

  private String sign(String text) {
    try {
      Signature s = signer;
      if (s == null) { // once: Ed25519 signing is deterministic, and sign() leaves the signer ready for the next
        s = Signature.getInstance("Ed25519");
        s.initSign(key.getPrivate());
        signer = s;
      }
      s.update(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      signer = null; // in whatever state the failure left it: the next checkpoint starts afresh
      throw new IllegalStateException("cannot sign an audit checkpoint with the key given: " + e.getMessage(), e);
    }
  }

  /** Stores the chained entries not yet stored, as one batch (one sync), then the copies. Holds writer. */
  private void write() {
    long records = taken - durable;
    if (unwritten.isEmpty()) {
      release(records);
      return;
    }
    List<AuditEntry> batch = List.copyOf(unwritten);
    try {
      if (storeLines != null) {
        storeLines.appendEncoded(unwrittenLines);
      } else {
        store.append(batch);
      }
    } catch (RuntimeException e) {
      LOG.error("audit: {} entries could not be stored in {}; they are kept and written first by the next write",
          batch.size(), store, e);
      throw e;
    }
    unwritten.clear();
    unwrittenLines.clear();
    release(records);
    for (AuditSink copy : copies) {
      try {
        copy.append(batch);
      } catch (RuntimeException e) {
        LOG.warn("audit: copy {} failed; the store {} has the entries", copy, store, e);
      }
    }
  }

  /** Every record taken so far is in the store. Holds writer. */
  private void release(long records) {
    durable = taken;
    if (records > 0) {
      synchronized (this) {
        held -= records;
      }
    }
  }

  // ---- reading

  /** Records appended so far (checkpoints not counted), queued ones included: they are chained first. */
  public long size() {
    synchronized (writer) {
      drain();
      return tree.size();
    }
  }

  /** The hash of the last entry, record or checkpoint ({@link AuditRecord#GENESIS} when empty), queued records chained first. */
  public String head() {
    synchronized (writer) {
      drain();
      return head;
    }
  }

  /** Every checkpoint so far, oldest first. */
  public List<Checkpoint> checkpoints() {
    synchronized (writer) {
      drain();
      return List.copyOf(checkpoints);
    }
  }

  /** The newest checkpoint. */
  public Optional<Checkpoint> latestCheckpoint() {
    synchronized (writer) {
      drain();
      return checkpoints.isEmpty() ? Optional.empty() : Optional.of(checkpoints.get(checkpoints.size() - 1));
    }
  }

  /** Signs a checkpoint of every record so far now (none when the newest already covers them) and stores it with them. */
  public Checkpoint checkpoint() {
    synchronized (writer) {
      drain();
      if (sinceCheckpoint > 0 || checkpoints.isEmpty()) {
        addCheckpoint();
      }
      Checkpoint c = checkpoints.get(checkpoints.size() - 1);
      write();
      return c;
    }
  }

  /** The public half of the signing key, for verifiers. */
  public PublicKey publicKey() {
    return key.getPublic();
  }

  /**
   * Proof that the first {@code fromSize} records are unchanged in the first {@code toSize}
   * (RFC 6962 §2.1.2); verify it against the two checkpoints' roots.
   */
  public ConsistencyProof consistencyProof(long fromSize, long toSize) {
    synchronized (writer) {
      drain();
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
  }

  /**
   * Reads the store back and checks every entry: each record's hash against its content, its
   * sequence and its link to the entry before, each checkpoint's size, Merkle root and signature,
   * and that the store ends where this log last wrote. Names the first bad entry. Writes what is
   * accepted first; appends wait while it reads.
   */
  public AuditVerification verify() {
    synchronized (writer) {
      try {
        drain();
        write();
      } catch (RuntimeException e) {
        // the store failed: verify what it holds
      }
      long records = unwritten.isEmpty() ? tree.size() : -1;
      String expectedHead = unwritten.isEmpty() ? head : null;
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

  /**
   * Refuses further records, writes every accepted one with a last checkpoint over those not yet
   * covered, then closes the sinks (also when that write fails, which it throws). Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (scheduledFlush != null) {
        scheduledFlush.cancel();
        scheduledFlush = null;
      }
    }
    try {
      synchronized (writer) {
        drain();
        if (tree.size() > 0 && (sinceCheckpoint > 0 || checkpoints.isEmpty())) {
          addCheckpoint();
        }
        write();
      }
    } finally {
      store.close();
      copies.forEach(AuditSink::close);
    }
  }

  @Override
  public String toString() {
    return "AuditLog[" + store + "]";
  }
}
