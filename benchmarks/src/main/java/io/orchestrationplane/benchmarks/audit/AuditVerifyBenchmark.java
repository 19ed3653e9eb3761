package io.orchestrationplane.benchmarks.audit;

import io.orchestrationplane.core.audit.AuditLog;
import io.orchestrationplane.core.audit.AuditSink;
import io.orchestrationplane.core.audit.AuditSinks;
import io.orchestrationplane.core.audit.AuditVerification;
import io.orchestrationplane.core.observe.PlaneRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

/**
 * Verification of a large audit log: writes {@code records} records (default 1,000,000, in
 * batches of 1,000, a checkpoint every 1,000) to a JSON Lines file, then verifies the file
 * {@code rounds} times as an auditor would ({@code AuditLog.verify(sink, publicKey)}: parse,
 * re-hash, chain, Merkle roots and Ed25519 signatures of every checkpoint) and prints each
 * round's time and rate.
 *
 * <pre>java -Xmx2g -cp benchmarks/target/benchmarks.jar io.orchestrationplane.benchmarks.audit.AuditVerifyBenchmark 1000000 3</pre>
 */
public final class AuditVerifyBenchmark {
  private AuditVerifyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir = Files.createTempDirectory("audit-verify");
    Path file = dir.resolve("audit.jsonl");
    KeyPair key = AuditRecords.key();
    long start = System.nanoTime();
    try (AuditLog log = AuditLog.builder(AuditSinks.jsonLines(file), key).build()) {
      List<PlaneRecord> batch = new ArrayList<>(1000);
      for (int i = 0; i < records; i++) {
        batch.add(AuditRecords.decision(i));
        if (batch.size() == 1000) {
          log.observeAll(batch);
          batch.clear();
        }
      }
      log.observeAll(batch);
    }
    System.out.printf("wrote %,d records (%,d bytes) in %d ms%n", records, Files.size(file),
        (System.nanoTime() - start) / 1_000_000);
    for (int round = 1; round <= rounds; round++) {
      long t = System.nanoTime();
      AuditVerification v;
      try (AuditSink sink = AuditSinks.jsonLines(file)) {
        v = AuditLog.verify(sink, key.getPublic());
      }
      long ms = (System.nanoTime() - t) / 1_000_000;
      System.out.printf("round %d: %s in %d ms (%,.0f records/s)%n", round, v, ms, records * 1000.0 / Math.max(1, ms));
      if (!v.isIntact()) {
        throw new IllegalStateException("the benchmark's own log does not verify: " + v);
      }
    }
    Files.delete(file);
    Files.delete(dir);
  }
}
