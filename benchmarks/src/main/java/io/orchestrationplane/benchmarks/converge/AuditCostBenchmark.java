package io.orchestrationplane.benchmarks.converge;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.audit.AuditLog;
import io.orchestrationplane.core.audit.AuditSinks;
import io.orchestrationplane.core.audit.AuditVerification;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.DriftPolicy;
import io.orchestrationplane.core.observe.PlaneRecord;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.time.ManualClock;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What the audit log in batching mode costs per converged application, split between the thread
 * that tells the plane's observers (a reconcile worker: {@code observe}) and the writer ({@code
 * flush}: whatever is left to do before the records are in the file). The records are those a
 * real converge of {@code apps} applications tells its observers (submissions, plans, executions,
 * and the telemetry records the log skips), captured once; each round replays them, on one thread,
 * into a fresh log with a checkpoint every 1,000 records and batching's {@code maxRecords} above
 * the replay's size (so that neither version writes on the observing thread), and measures that
 * thread's CPU time for the two steps. The file is verified after each round, outside the timing.
 * CPU time of one thread rather than wall time, so that a loaded machine disturbs it less.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.orchestrationplane.benchmarks.converge.AuditCostBenchmark [apps] [rounds]
 * </pre>
 */
public final class AuditCostBenchmark {
  private AuditCostBenchmark() {}

  /** Every record a converge of {@code apps} applications tells its observers, in the order they came. */
  static List<PlaneRecord> converge(int apps) throws Exception {
    List<PlaneRecord> seen = Collections.synchronizedList(new ArrayList<>());
    ManualClock clock = ManualClock.create();
    try (Scheduler scheduler = Scheduler.manual(clock);
        OrchestrationPlane plane = OrchestrationPlane.builder().cluster(InMemoryCluster.create("bench")).clock(clock)
            .scheduler(scheduler).progressDeadline(Duration.ofHours(1)).workers(4).logging(false)
            .observer(seen::add).build()) {
      plane.start();
      for (int i = 0; i < apps; i++) {
        plane.submit(ConvergeBenchmark.app(i), DriftPolicy.CORRECT, Subject.of("user-" + i, "team-" + (i % 50)));
      }
      if (!plane.awaitIdle(Duration.ofMinutes(10))) {
        throw new IllegalStateException("did not converge in 10 minutes");
      }
    }
    return List.copyOf(seen);
  }

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    List<PlaneRecord> records = converge(apps);
    KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path dir = Files.createTempDirectory("audit-cost");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    System.out.printf("audit cost of a converge of %d applications: %d records told, %d rounds (the first third warm-up)%n",
        apps, records.size(), rounds);
    List<Double> observeUs = new ArrayList<>();
    List<Double> flushUs = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      Path file = dir.resolve("audit-" + round + ".jsonl");
      ManualClock clock = ManualClock.create();
      long stored;
      long observe;
      long flush;
      try (Scheduler scheduler = Scheduler.manual(clock);
          AuditLog audit = AuditLog.builder(AuditSinks.jsonLines(file), key).clock(clock)
              .batching(Duration.ofSeconds(1), 10 * records.size(), scheduler).build()) {
        long c0 = threads.getCurrentThreadCpuTime();
        for (PlaneRecord r : records) {
          audit.observe(r);
        }
        long c1 = threads.getCurrentThreadCpuTime();
        audit.flush();
        long c2 = threads.getCurrentThreadCpuTime();
        observe = c1 - c0;
        flush = c2 - c1;
        stored = audit.size();
      }
      AuditVerification v = AuditLog.verify(AuditSinks.jsonLines(file), key.getPublic());
      if (!(v instanceof AuditVerification.Intact intact) || intact.records() != stored) {
        throw new IllegalStateException("audit log does not verify: " + v);
      }
      Files.delete(file);
      System.out.printf(Locale.ROOT, "round %d: %d records stored; per application: observe %.1f us, flush %.1f us,"
          + " total %.1f us (CPU of the replaying thread)%n", round, stored, observe / 1e3 / apps, flush / 1e3 / apps,
          (observe + flush) / 1e3 / apps);
      if (round > rounds / 3) {
        observeUs.add(observe / 1e3 / apps);
        flushUs.add(flush / 1e3 / apps);
      }
    }
    System.out.printf(Locale.ROOT, "median of %d rounds, per application: observe %.1f us, flush %.1f us%n",
        observeUs.size(), median(observeUs), median(flushUs));
    Files.deleteIfExists(dir);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
