package io.orchestrationplane.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.admit.AdmissionDeniedException;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.policy.PolicyEngine;
import io.orchestrationplane.policy.PolicyLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 4, through the plane: every decision lands in the JSON Lines file, chained and
 * checkpointed; each kind of tampering is found and named; a torn last line is cut off; secret
 * values never reach the file.
 */
class AuditLogTest {
  static final Subject ALICE = Subject.of("alice@example.com", "platform");
  static final String PASSWORD = "s3cr3t-ÆØÅ-hunter2";

  /** Denies the image acme/api:bad; warns about a weak password, quoting it (admission redacts it). */
  static final String POLICIES = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata: {name: no-bad-image}
      spec:
        failurePolicy: Fail
        matchConstraints:
          resourceRules:
            - {apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["deployments"]}
        validations:
          - expression: "object.spec.template.spec.containers.all(c, c.image != 'acme/api:bad')"
            message: "acme/api:bad is withdrawn"
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicyBinding
      metadata: {name: no-bad-image}
      spec: {policyName: no-bad-image, validationActions: [Deny]}
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata: {name: strong-passwords}
      spec:
        matchConstraints:
          resourceRules:
            - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["secrets"]}
        validations:
          - expression: "object.stringData.password.size() > 40"
            messageExpression: "'weak password: ' + object.stringData.password"
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicyBinding
      metadata: {name: strong-passwords}
      spec: {policyName: strong-passwords, validationActions: [Warn]}
      """;

  @TempDir
  Path dir;
  Path file;
  KeyPair key;
  ManualClock clock;

  @BeforeEach
  void setUp() throws Exception {
    file = dir.resolve("audit").resolve("audit.jsonl");
    key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    clock = ManualClock.create();
  }

  static Application shop(String image) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "worker").property("image", image).property("replicas", 2).build())
        .component(Component.builder("creds", "k8s-objects").property("manifests", """
            apiVersion: v1
            kind: Secret
            metadata: {name: db}
            stringData: {password: "%s"}
            """.formatted(PASSWORD)).build())
        .build();
  }

  AuditLog open(int checkpointEvery) {
    return AuditLog.builder(AuditSinks.jsonLines(file), key).checkpointEvery(checkpointEvery).clock(clock).build();
  }

  /** A scripted run: apply, a denied change, another apply; returns the log, still open. */
  AuditLog run(int checkpointEvery) {
    AuditLog audit = open(checkpointEvery);
    try (OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(InMemoryCluster.create("prod"))
        .policies(PolicyEngine.builder().policies(PolicyLoader.load(POLICIES)).build()).observer(audit).build()) {
      plane.apply(shop("acme/api:1"), ALICE);
      clock.advance(java.time.Duration.ofMinutes(1));
      assertThatThrownBy(() -> plane.apply(shop("acme/api:bad"), ALICE)).isInstanceOf(AdmissionDeniedException.class);
      plane.apply(shop("acme/api:2"), ALICE);
    }
    return audit;
  }

  static List<AuditRecord> records(Path file) throws Exception {
    List<AuditRecord> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (AuditEntry.parse(line) instanceof AuditRecord r) {
        out.add(r);
      }
    }
    return out;
  }

  @Test
  void everyDecisionIsRecordedWithWhoWhatPoliciesAndOutcomePerCluster() throws Exception {
    try (AuditLog audit = run(1000)) {
      List<AuditRecord> records = records(file);
      assertThat(records).extracting(AuditRecord::action).containsExactly(AuditAction.PLAN, AuditAction.EXECUTE,
          AuditAction.DENY, AuditAction.PLAN, AuditAction.EXECUTE);
      assertThat(records).allSatisfy(r -> {
        assertThat(r.subject()).isEqualTo(ALICE);
        assertThat(r.application()).isEqualTo("shop.shop");
      });
      AuditRecord applied = records.get(1);
      assertThat(applied.plan()).isEqualTo(records.get(0).plan()).isNotEmpty();
      assertThat(applied.revision()).startsWith("sha256:");
      assertThat(applied.outcomes()).singleElement().satisfies(o -> {
        assertThat(o.cluster()).isEqualTo("prod");
        assertThat(o.applied()).isGreaterThanOrEqualTo(2);
        assertThat(o.failed()).isZero();
      });
      assertThat(applied.verdicts()).anySatisfy(v -> {
        assertThat(v.policy()).isEqualTo("strong-passwords");
        assertThat(v.action()).isEqualTo("Warn");
        assertThat(v.object()).isEqualTo("Secret shop/db");
      });
      AuditRecord denied = records.get(2);
      assertThat(denied.verdicts()).singleElement().satisfies(v -> {
        assertThat(v.policy()).isEqualTo("no-bad-image");
        assertThat(v.action()).isEqualTo("Deny");
        assertThat(v.message()).isEqualTo("acme/api:bad is withdrawn");
        assertThat(v.cluster()).isEqualTo("prod");
      });
      assertThat(records.get(4).revision()).startsWith("sha256:").isNotEqualTo(applied.revision());
      assertThat(audit.verify()).isEqualTo(new AuditVerification.Intact(5, 0, audit.head(), true));
    }
  }

  @Test
  void aCallRefusedByAccessControlIsRecordedWithWhoAndWhy() throws Exception {
    try (AuditLog audit = open(1000);
        OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(InMemoryCluster.create("prod"))
            .accessControl(io.orchestrationplane.core.access.RbacPolicy.parse("""
                p, role:deployer, applications, *, default/*, allow
                g, alice, role:deployer
                """)).observer(audit).build()) {
      io.orchestrationplane.core.observe.Subject bob = io.orchestrationplane.core.observe.Subject.of("bob");
      assertThatThrownBy(() -> plane.apply(shop("acme/api:1"), bob))
          .isInstanceOf(io.orchestrationplane.core.access.AccessDeniedException.class);
      audit.checkpoint();
      assertThat(records(file)).singleElement().satisfies(r -> {
        assertThat(r.action()).isEqualTo(AuditAction.REFUSE);
        assertThat(r.subject()).isEqualTo(bob);
        assertThat(r.application()).isEqualTo("shop.shop");
        assertThat(r.verdicts()).singleElement().satisfies(v -> {
          assertThat(v.action()).isEqualTo("Refuse");
          assertThat(v.message()).startsWith("sync: ");
        });
      });
      assertThat(audit.verify()).isInstanceOf(AuditVerification.Intact.class);
    }
  }

  @Test
  void secretValuesNeverReachTheAuditFile() throws Exception {
    run(2).close();
    String text = Files.readString(file);
    assertThat(text).contains("strong-passwords").doesNotContain(PASSWORD).doesNotContain("hunter2");
  }

  @Test
  void recordsAreChainedAndCheckpointsSignedEveryNRecords() throws Exception {
    try (AuditLog audit = run(2)) {
      List<String> lines = Files.readAllLines(file);
      assertThat(lines).hasSize(7); // 5 records, a checkpoint after the 2nd and the 4th
      assertThat(AuditEntry.parse(lines.get(2))).isInstanceOf(Checkpoint.class);
      assertThat(AuditEntry.parse(lines.get(5))).isInstanceOf(Checkpoint.class);
      List<AuditRecord> records = records(file);
      assertThat(records.get(0).previous()).isEqualTo(AuditRecord.GENESIS);
      assertThat(records.get(1).previous()).isEqualTo(records.get(0).hash());
      assertThat(records).allSatisfy(r -> assertThat(r.computeHash()).isEqualTo(r.hash()));
      assertThat(audit.checkpoints()).allSatisfy(c -> assertThat(c.verify(key.getPublic())).isTrue());
      KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      assertThat(audit.checkpoints().get(0).verify(other.getPublic())).isFalse();
    }
  }

  @Test
  void aConsistencyProofShowsALaterCheckpointExtendsAnEarlierOne() {
    try (AuditLog audit = run(2)) {
      Checkpoint first = audit.checkpoints().get(0);
      Checkpoint later = audit.checkpoint(); // covers all 5 records: 2 -> 5, not a power of two
      assertThat(later.size()).isEqualTo(5);
      ConsistencyProof proof = audit.consistencyProof(first.size(), later.size());
      assertThat(proof.verify(first, later)).isTrue();
      assertThat(proof.verify(audit.checkpoints().get(1), later)).isFalse();
      Checkpoint forged = new Checkpoint(5, first.root(), later.time(), later.signature());
      assertThat(proof.verify(first, forged)).isFalse();
    }
  }

  // ---- tampering: each kind is found, and the first bad line named

  AuditVerification tamper(java.util.function.Consumer<List<String>> edit) throws Exception {
    run(2).close();
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    edit.accept(lines);
    Files.write(file, lines);
    return AuditLog.verify(AuditSinks.jsonLines(file), key.getPublic());
  }

  @Test
  void anUntouchedFileVerifies() throws Exception {
    AuditVerification v = tamper(lines -> { });
    assertThat(v.isIntact()).isTrue();
    assertThat(((AuditVerification.Intact) v).checkpoints()).isEqualTo(3); // every 2, and the last at close
  }

  @Test
  void anEditedRecordIsNamed() throws Exception {
    AuditVerification v = tamper(lines -> lines.set(3, lines.get(3).replace("alice@example.com", "mallory")));
    assertThat(v).isInstanceOfSatisfying(AuditVerification.Broken.class, b -> {
      assertThat(b.line()).isEqualTo(4);
      assertThat(b.reason()).contains("edited");
    });
  }

  @Test
  void aDeletedRecordIsNamedAtTheRecordAfterIt() throws Exception {
    AuditVerification v = tamper(lines -> lines.remove(1));
    assertThat(v).isInstanceOfSatisfying(AuditVerification.Broken.class, b -> {
      assertThat(b.line()).isEqualTo(2);
      assertThat(b.sequence()).isEqualTo(1);
      assertThat(b.reason()).contains("deleted");
    });
  }

  @Test
  void anInsertedRecordIsNamed() throws Exception {
    AuditVerification v = tamper(lines -> lines.add(4, lines.get(3)));
    assertThat(v).isInstanceOfSatisfying(AuditVerification.Broken.class, b -> assertThat(b.line()).isEqualTo(5));
  }

  @Test
  void reorderedRecordsAreNamed() throws Exception {
    AuditVerification v = tamper(lines -> Collections.swap(lines, 3, 4));
    assertThat(v).isInstanceOfSatisfying(AuditVerification.Broken.class, b -> assertThat(b.line()).isEqualTo(4));
  }

  @Test
  void aDeletedCheckpointBreaksTheChain() throws Exception {
    AuditVerification v = tamper(lines -> lines.remove(2));
    assertThat(v).isInstanceOfSatisfying(AuditVerification.Broken.class, b -> {
      assertThat(b.line()).isEqualTo(3);
      assertThat(b.reason()).contains("does not follow");
    });
  }

  @Test
  void aRecordRewrittenWithItsChainIsCaughtByTheSignedCheckpoint() throws Exception {
    // Mallory edits record 1 and recomputes its hash and the next record's link: only the checkpoint can tell.
    AuditVerification v = tamper(lines -> {
      AuditRecord r = (AuditRecord) AuditEntry.parse(lines.get(1));
      AuditRecord edited = rehash(new AuditRecord(r.sequence(), r.time(), Subject.of("mallory"), r.action(),
          r.application(), r.revision(), r.plan(), r.verdicts(), r.outcomes(), r.message(), r.previous(), ""));
      lines.set(1, edited.toJson());
      AuditRecord next = (AuditRecord) AuditEntry.parse(lines.get(3));
      assertThat(next.sequence()).isEqualTo(2);
    });
    assertThat(v).isInstanceOfSatisfying(AuditVerification.Broken.class, b -> {
      assertThat(b.line()).isEqualTo(3);
      assertThat(b.reason()).contains("Merkle root");
    });
  }

  static AuditRecord rehash(AuditRecord r) {
    return new AuditRecord(r.sequence(), r.time(), r.subject(), r.action(), r.application(), r.revision(), r.plan(),
        r.verdicts(), r.outcomes(), r.message(), r.previous(), r.computeHash());
  }

  @Test
  void recordsDeletedAtTheEndAreFoundByTheOpenLog() throws Exception {
    try (AuditLog audit = run(1000)) {
      List<String> lines = new ArrayList<>(Files.readAllLines(file));
      Files.write(file, lines.subList(0, lines.size() - 1));
      assertThat(audit.verify()).isInstanceOfSatisfying(AuditVerification.Broken.class,
          b -> assertThat(b.reason()).contains("records at the end were deleted"));
    }
  }

  @Test
  void aBrokenLogIsNotContinued() throws Exception {
    tamper(lines -> lines.remove(1));
    assertThatThrownBy(() -> open(2)).isInstanceOf(IllegalStateException.class).hasMessageContaining("line 2");
  }

  // ---- crash: a torn last line

  @Test
  void aTornLastLineIsCutOffAtOpenAndNeverMergedWithTheNextRecord() throws Exception {
    run(1000).close();
    List<String> intact = Files.readAllLines(file);
    String whole = intact.get(intact.size() - 2);
    for (int cut : new int[] {1, whole.length() / 2, whole.length()}) { // a byte, half a record, all but the line break
      Files.write(file, (String.join("\n", intact) + "\n").getBytes(StandardCharsets.UTF_8));
      Files.write(file, whole.substring(0, cut).getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
      try (AuditLog reopened = open(1000)) {
        assertThat(reopened.size()).isEqualTo(5);
        try (OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(InMemoryCluster.create("prod"))
            .observer(reopened).build()) {
          plane.apply(shop("acme/api:3"), ALICE);
        }
        assertThat(reopened.verify().isIntact()).as("cut at %d", cut).isTrue();
        assertThat(reopened.size()).isEqualTo(7);
      }
      List<String> after = Files.readAllLines(file);
      assertThat(after.subList(0, intact.size())).isEqualTo(intact);
      assertThat(after.get(intact.size())).startsWith("{\"type\":\"record\",\"sequence\":5,");
    }
  }

  // ---- batching mode

  @Test
  void batchingWritesWhenEnoughArePendingOrTheDelayHasPassed() throws Exception {
    io.orchestrationplane.core.reconcile.Scheduler scheduler = io.orchestrationplane.core.reconcile.Scheduler.manual(clock);
    try (AuditLog audit = AuditLog.builder(AuditSinks.jsonLines(file), key).clock(clock)
        .batching(java.time.Duration.ofSeconds(1), 3, scheduler).build()) {
      audit.observe(submitted("a"));
      audit.observe(submitted("b"));
      assertThat(Files.readAllLines(file)).as("pending, not written").isEmpty();
      assertThat(audit.size()).isEqualTo(2);
      clock.advance(java.time.Duration.ofSeconds(1));
      assertThat(Files.readAllLines(file)).as("written once the delay passed").hasSize(2);

      audit.observe(submitted("c"));
      audit.observe(submitted("d"));
      audit.observe(submitted("e")); // the third pending record: the writer is due at once...
      assertThat(Files.readAllLines(file)).as("...on its own thread, never the observing one").hasSize(2);
      clock.advance(java.time.Duration.ZERO); // the manual scheduler runs the writer here
      assertThat(Files.readAllLines(file)).hasSize(5);
      audit.observe(submitted("f"));
      assertThat(audit.verify().isIntact()).as("verify writes what is pending first").isTrue();
      assertThat(Files.readAllLines(file)).hasSize(6);
    } finally {
      scheduler.close();
    }
    assertThat(AuditLog.verify(AuditSinks.jsonLines(file), key.getPublic())).isInstanceOfSatisfying(
        AuditVerification.Intact.class, v -> assertThat(v.records()).isEqualTo(6));
  }

  @Test
  void batchingChainsAndEncodesOnTheWriterInAcceptanceOrderAndTheLinesAreTheRecordsJson() throws Exception {
    io.orchestrationplane.core.reconcile.Scheduler scheduler = io.orchestrationplane.core.reconcile.Scheduler.manual(clock);
    try (AuditLog audit = AuditLog.builder(AuditSinks.jsonLines(file), key).clock(clock).checkpointEvery(4)
        .batching(java.time.Duration.ofSeconds(1), 100, scheduler).build()) {
      for (String name : List.of("a", "b", "c", "d", "e", "f")) {
        audit.observe(submitted(name));
      }
      assertThat(Files.readAllLines(file)).isEmpty();
      clock.advance(java.time.Duration.ofSeconds(1));
      List<String> lines = Files.readAllLines(file);
      assertThat(lines).hasSize(7); // six records and the checkpoint after the fourth
      assertThat(records(file)).extracting(AuditRecord::sequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
      assertThat(records(file)).extracting(AuditRecord::application)
          .containsExactly("shop.a", "shop.b", "shop.c", "shop.d", "shop.e", "shop.f");
      for (String line : lines) {
        assertThat(AuditEntry.parse(line).toJson()).as("the line the writer encoded while hashing").isEqualTo(line);
      }
      assertThat(audit.verify()).isEqualTo(new AuditVerification.Intact(6, 1, audit.head(), true));
    } finally {
      scheduler.close();
    }
  }

  @Test
  void recordsFromSeveralThreadsAreNumberedInAcceptanceOrderAndKeepEachThreadsOrder() throws Exception {
    io.orchestrationplane.core.reconcile.Scheduler scheduler = io.orchestrationplane.core.reconcile.Scheduler.manual(clock);
    try (AuditLog audit = AuditLog.builder(AuditSinks.jsonLines(file), key).clock(clock).checkpointEvery(7)
        .batching(java.time.Duration.ofSeconds(1), 25, scheduler).queueCapacity(40).build()) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String app = "shop.t" + t;
        threads.add(new Thread(() -> {
          for (int g = 0; g < 50; g++) {
            audit.observe(new io.orchestrationplane.core.observe.PlaneEvent(clock.instant(), app,
                io.orchestrationplane.core.observe.PlaneEvent.Type.SUBMITTED, "generation " + g, ALICE));
          }
        }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      audit.flush(); // the queue filled up (capacity 40) and the observing threads wrote it; this writes the rest
      List<AuditRecord> records = records(file);
      assertThat(records).extracting(AuditRecord::sequence)
          .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 200).boxed().toList());
      for (int t = 0; t < 4; t++) {
        String app = "shop.t" + t;
        assertThat(records.stream().filter(r -> r.application().equals(app)).map(AuditRecord::message).toList())
            .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).mapToObj(g -> "generation " + g).toList());
      }
      assertThat(audit.verify().isIntact()).isTrue();
    } finally {
      scheduler.close();
    }
  }

  @Test
  void batchingsQueueIsBoundedAndAFullQueueIsWrittenByTheObservingThread() throws Exception {
    io.orchestrationplane.core.reconcile.Scheduler scheduler = io.orchestrationplane.core.reconcile.Scheduler.manual(clock);
    try (AuditLog audit = AuditLog.builder(AuditSinks.jsonLines(file), key).clock(clock)
        .batching(java.time.Duration.ofSeconds(1), 4, scheduler).queueCapacity(4).build()) {
      for (String name : List.of("a", "b", "c", "d")) {
        audit.observe(submitted(name));
      }
      assertThat(Files.readAllLines(file)).as("the writer is due but has not run").isEmpty();
      audit.observe(submitted("e")); // the queue holds its four: this thread writes them first
      assertThat(records(file)).extracting(AuditRecord::application)
          .containsExactly("shop.a", "shop.b", "shop.c", "shop.d");
      clock.advance(java.time.Duration.ofSeconds(1));
      assertThat(records(file)).hasSize(5);
    } finally {
      scheduler.close();
    }
    assertThat(AuditLog.verify(AuditSinks.jsonLines(file), key.getPublic())).isInstanceOfSatisfying(
        AuditVerification.Intact.class, v -> assertThat(v.records()).isEqualTo(5));
  }

  /** A readable store that fails while {@code failing} is set, keeping nothing of the failed batch. */
  static final class FlakySink implements AuditSink {
    final AuditSink file;
    boolean failing;

    FlakySink(AuditSink file) {
      this.file = file;
    }

    @Override
    public void append(List<AuditEntry> batch) {
      if (failing) {
        throw new AuditSinkException("disk full");
      }
      file.append(batch);
    }

    @Override
    public void read(java.util.function.Consumer<String> into) {
      file.read(into);
    }

    @Override
    public boolean readable() {
      return true;
    }

    @Override
    public void close() {
      file.close();
    }
  }

  @Test
  void aFailingStoreSurfacesInBatchingModeAndAFullQueueRefusesRatherThanGrows() throws Exception {
    io.orchestrationplane.core.reconcile.Scheduler scheduler = io.orchestrationplane.core.reconcile.Scheduler.manual(clock);
    FlakySink sink = new FlakySink(AuditSinks.jsonLines(file));
    try (AuditLog audit = AuditLog.builder(sink, key).clock(clock)
        .batching(java.time.Duration.ofSeconds(1), 3, scheduler).queueCapacity(3).build()) {
      sink.failing = true;
      audit.observe(submitted("a"));
      audit.observe(submitted("b"));
      clock.advance(java.time.Duration.ofSeconds(1)); // the writer fails: logged, the entries kept in order
      assertThatThrownBy(audit::flush).isInstanceOf(AuditSinkException.class).hasMessageContaining("disk full");
      audit.observe(submitted("c")); // the third: the queue is full now
      assertThatThrownBy(() -> audit.observe(submitted("d")))
          .isInstanceOf(AuditSinkException.class)
          .hasMessageContaining("queue holds its 3 records").hasMessageContaining("not recorded")
          .hasMessageContaining("disk full");
      assertThat(Files.readAllLines(file)).isEmpty();

      sink.failing = false;
      audit.flush();
      assertThat(records(file)).extracting(AuditRecord::application).containsExactly("shop.a", "shop.b", "shop.c");
      audit.observe(submitted("e"));
      audit.flush();
      assertThat(records(file)).extracting(AuditRecord::sequence).containsExactly(0L, 1L, 2L, 3L);
      assertThat(audit.verify().isIntact()).isTrue();
    } finally {
      scheduler.close();
    }
  }

  @Test
  void closeWritesWhatIsQueuedWithASignedCheckpointAndRefusesLaterRecords() throws Exception {
    io.orchestrationplane.core.reconcile.Scheduler scheduler = io.orchestrationplane.core.reconcile.Scheduler.manual(clock);
    AuditLog audit = AuditLog.builder(AuditSinks.jsonLines(file), key).clock(clock)
        .batching(java.time.Duration.ofMinutes(1), 100, scheduler).build();
    audit.observe(submitted("a"));
    audit.observe(submitted("b"));
    audit.close(); // the writer never ran
    scheduler.close();
    assertThat(AuditLog.verify(AuditSinks.jsonLines(file), key.getPublic())).isInstanceOfSatisfying(
        AuditVerification.Intact.class, v -> {
          assertThat(v.records()).isEqualTo(2);
          assertThat(v.checkpoints()).isEqualTo(1);
        });
    assertThatThrownBy(() -> audit.observe(submitted("c"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void queueCapacityIsForBatchingModeAndAtLeastABatch() {
    io.orchestrationplane.core.reconcile.Scheduler scheduler = io.orchestrationplane.core.reconcile.Scheduler.manual(clock);
    assertThatThrownBy(() -> AuditLog.builder(AuditSinks.jsonLines(file), key).queueCapacity(10).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("batching");
    assertThatThrownBy(() -> AuditLog.builder(AuditSinks.jsonLines(file), key)
        .batching(java.time.Duration.ofSeconds(1), 100, scheduler).queueCapacity(10).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("maxRecords");
    assertThatThrownBy(() -> AuditLog.builder(AuditSinks.jsonLines(file), key).queueCapacity(0))
        .isInstanceOf(IllegalArgumentException.class);
    scheduler.close();
  }

  @Test
  void whatTheObservingThreadKeepsIsExactlyWhatTheWriterRecords() {
    List<io.orchestrationplane.core.observe.PlaneRecord> seen = Collections.synchronizedList(new ArrayList<>());
    try (AuditLog audit = open(1000); OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock)
        .cluster(InMemoryCluster.create("prod")).policies(PolicyEngine.builder().policies(PolicyLoader.load(POLICIES))
            .build()).observer(seen::add).observer(audit).build()) {
      plane.apply(shop("acme/api:1"), ALICE);
      plane.apply(shop("acme/api:1"), ALICE); // nothing to write: no decision
      assertThatThrownBy(() -> plane.apply(shop("acme/api:bad"), ALICE)).isInstanceOf(AdmissionDeniedException.class);
    }
    for (io.orchestrationplane.core.observe.PlaneEvent.Type type : io.orchestrationplane.core.observe.PlaneEvent.Type.values()) {
      seen.add(new io.orchestrationplane.core.observe.PlaneEvent(clock.instant(), "shop.shop", type, "m", ALICE));
    }
    assertThat(seen).hasSizeGreaterThan(io.orchestrationplane.core.observe.PlaneEvent.Type.values().length + 5);
    assertThat(seen).allSatisfy(r -> assertThat(io.orchestrationplane.core.audit.internal.AuditMapper.isDecision(r))
        .as(r.getClass().getSimpleName()).isEqualTo(io.orchestrationplane.core.audit.internal.AuditMapper.map(r) != null));
    assertThat(seen).anySatisfy(r -> assertThat(io.orchestrationplane.core.audit.internal.AuditMapper.isDecision(r)).isFalse());
  }

  private io.orchestrationplane.core.observe.PlaneEvent submitted(String name) {
    return new io.orchestrationplane.core.observe.PlaneEvent(clock.instant(), "shop." + name,
        io.orchestrationplane.core.observe.PlaneEvent.Type.SUBMITTED, "generation 1", ALICE);
  }

  @Test
  void theSlf4jSinkIsACopyNotAStore() {
    assertThatThrownBy(() -> AuditLog.builder(AuditSinks.slf4j(), key))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be read back");
  }

  @Test
  void aStrictReaderRejectsUnknownFields() {
    assertThatThrownBy(() -> AuditEntry.parse("{\"type\":\"checkpoint\",\"size\":1,\"root\":\"a\","
        + "\"time\":\"2026-01-01T00:00:00Z\",\"signature\":\"x\",\"extra\":1}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown field");
  }
}
