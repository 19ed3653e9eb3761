package io.orchestrationplane.benchmarks.audit;

import io.orchestrationplane.core.audit.AuditLog;
import io.orchestrationplane.core.audit.AuditSinks;
import io.orchestrationplane.core.observe.PlaneRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Audit append throughput (records/s) into the JSON Lines file, which syncs once per batch:
 * {@code single} appends one record per call from one thread (a sync per record), {@code
 * concurrent} from four threads (the group commit shares syncs), {@code batch} {@value #BATCH}
 * records per call (one sync per batch). Checkpoints every 1,000 records, as by default.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar audit.AuditAppendBenchmark -f 1 -wi 2 -w 2 -i 3 -r 2</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class AuditAppendBenchmark {
  static final int BATCH = 100;

  private Path dir;
  private AuditLog log;
  private final List<PlaneRecord> batch = new ArrayList<>();

  @Param({"1000"})
  public int checkpointEvery;

  @Setup(Level.Iteration)
  public void open() throws IOException {
    dir = Files.createTempDirectory("audit-bench");
    log = AuditLog.builder(AuditSinks.jsonLines(dir.resolve("audit.jsonl")), AuditRecords.key())
        .checkpointEvery(checkpointEvery).build();
    batch.clear();
    for (int i = 0; i < BATCH; i++) {
      batch.add(AuditRecords.decision(i));
    }
  }

  @TearDown(Level.Iteration)
  public void close() throws IOException {
    log.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public void single() {
    log.observe(batch.get(0));
  }

  @Benchmark
  @Threads(4)
  public void concurrent() {
    log.observe(batch.get(1));
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void batch() {
    log.observeAll(batch);
  }
}
