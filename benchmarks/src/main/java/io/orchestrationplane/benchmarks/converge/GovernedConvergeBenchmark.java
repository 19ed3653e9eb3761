package io.orchestrationplane.benchmarks.converge;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.access.Project;
import io.orchestrationplane.core.access.RbacPolicy;
import io.orchestrationplane.core.audit.AuditLog;
import io.orchestrationplane.core.audit.AuditSinks;
import io.orchestrationplane.core.audit.AuditVerification;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.DriftPolicy;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.time.ManualClock;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What governance adds to {@link ConvergeBenchmark}: the same applications converged from empty
 * and resynced, in turn without governance ({@code bare}) and with what a platform team turns on
 * ({@code governed}): access control from an Argo CD RBAC policy CSV (every submission is
 * authorized for its subject), a {@link Project} fencing the tenants' namespaces (checked on every
 * rendered object before admission), and an {@link AuditLog} in a JSON Lines file signing a
 * checkpoint every 1,000 records. The log is the embedded default, durable when the call returns
 * (one group-committed sync per batch); {@code governed-batching} is the same with {@link
 * AuditLog.Builder#batching} (at most 50 ms or 1,000 records pending); {@code fenced} is access
 * control and the project without the log. Two more take {@code fenced} apart: {@code subject}
 * submits with a subject to a plane without governance, {@code project} adds the project's fence
 * alone (access control needs the project to name its objects, so it has no variant of its own).
 * After a governed run the audit file is verified.
 *
 * <p>How it measures, so that a few per cent can be told from the noise of a shared machine:
 *
 * <ul>
 *   <li><b>Pairs, AB then BA.</b> A round runs every variant once, in one JVM, and the next round
 *       runs them in the reverse order, so that none always inherits the heap and the JIT state the
 *       others left; each governed run is compared with the {@code bare} run of its own round.
 *   <li><b>Warmed.</b> The first {@code -Dwarmup} rounds (default 30) are run and left out: a
 *       converge of a cold plane is interpreted code, and the JIT reaches the governance code and
 *       the converge's code at different times.
 *   <li><b>CPU, per thread.</b> {@link System#gc()} before each run; the measure is the CPU time
 *       that every Java thread spent from the start of the plane to the end of the converge
 *       (the submitting thread, the reconcile workers, the audit writer's thread and the final
 *       {@code flush}), by {@link ThreadMXBean}: other processes' load changes wall time a lot and
 *       this little. The process CPU (which adds the JVM's own GC and JIT threads) and the wall time
 *       are printed beside it.
 *   <li><b>Medians with a 95% confidence interval</b> of the per-round ratio governed ÷ bare: the
 *       order statistics of the sorted ratios that bracket the median with at least 95%
 *       probability (binomial, distribution-free).
 *   <li><b>The audit writer's CPU per application</b> ({@code governed-batching}): its thread's
 *       CPU plus the final {@code flush} on the submitting thread.
 * </ul>
 *
 * <pre>
 * java -Xms4g -Xmx4g -Xmn1g -Dwarmup=30 -cp benchmarks/target/benchmarks.jar \
 *     io.orchestrationplane.benchmarks.converge.GovernedConvergeBenchmark \
 *     [apps, default 1000] [rounds including warm-up, default 70] [variants, default bare,governed-batching]
 * </pre>
 */
public final class GovernedConvergeBenchmark {
  private static final int RESYNCS = 5;
  private static final int WORKERS = Integer.getInteger("workers", 2 * Runtime.getRuntime().availableProcessors());
  private static final int TEAMS = 50;
  /** Rounds run first and left out of the medians: the JIT is still compiling the plane's code in them. */
  private static final int WARMUP = Integer.getInteger("warmup", 30);
  private static final String AUDIT_THREAD = "audit-bench";
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private GovernedConvergeBenchmark() {}

  /** Fifty teams, each with a deployer role over its tenants and a deny on production; users bound through groups. */
  static String policyCsv() {
    StringBuilder csv = new StringBuilder();
    for (int p = 0; p < TEAMS; p++) {
      csv.append("p, role:deployer-").append(p).append(", applications, *, tenants/tenant-*, allow\n");
      csv.append("p, role:deployer-").append(p).append(", applications, sync, tenants/*/*/prod, deny\n");
      csv.append("g, team-").append(p).append(", role:deployer-").append(p).append('\n');
    }
    return csv.toString();
  }

  /**
   * One run: wall time, CPU of every Java thread and of the process, and the audit writer's CPU, of
   * the converge from empty (nanoseconds); the resync median; what it wrote and recorded.
   */
  record Result(long converge, long threadCpu, long processCpu, long writerCpu, long resync, long resyncWrites,
      long auditRecords) {}

  /** CPU time of the whole process (every thread: workers, the audit writer, JIT and GC alike), in nanoseconds. */
  static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU time so far of every live Java thread, by id; a thread started later counts from zero. */
  static Map<Long, Long> threadCpu() {
    Map<Long, Long> out = new HashMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      long cpu = THREADS.getThreadCpuTime(id);
      if (cpu >= 0) {
        out.put(id, cpu);
      }
    }
    return out;
  }

  /** CPU the threads spent since {@code before}: in total, and on the threads named {@code name}. */
  static long[] threadCpuSince(Map<Long, Long> before, String name) {
    long total = 0;
    long named = 0;
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = THREADS.getThreadCpuTime(info.getThreadId());
      if (cpu < 0) {
        continue;
      }
      long spent = cpu - before.getOrDefault(info.getThreadId(), 0L);
      total += spent;
      if (info.getThreadName().equals(name)) {
        named += spent;
      }
    }
    return new long[] {total, named};
  }

  static Result run(List<Application> all, String variant, RbacPolicy policy, KeyPair key, Path dir)
      throws Exception {
    boolean governed = !variant.equals("bare");
    InMemoryCluster cluster = InMemoryCluster.create("bench");
    ManualClock clock = ManualClock.create();
    Path file = dir.resolve("audit-" + System.nanoTime() + ".jsonl");
    System.gc();
    try (Scheduler scheduler = Scheduler.manual(clock);
        Scheduler auditScheduler = Scheduler.threaded(AUDIT_THREAD)) {
      AuditLog audit = null;
      OrchestrationPlane.Builder b = OrchestrationPlane.builder().cluster(cluster).clock(clock).scheduler(scheduler)
          .progressDeadline(Duration.ofHours(1)).workers(WORKERS).logging(false);
      if (variant.equals("project")) {
        b.projects(Project.builder("tenants").applicationNamespaces("tenant-*").destination("*", "tenant-*").build());
      } else if (variant.equals("fenced")) {
        b.accessControl(policy)
            .projects(Project.builder("tenants").applicationNamespaces("tenant-*").destination("*", "tenant-*").build());
      } else if (governed && !variant.equals("subject")) {
        AuditLog.Builder ab = AuditLog.builder(AuditSinks.jsonLines(file), key);
        if (variant.equals("governed-batching")) {
          ab.batching(Duration.ofMillis(50), 1_000, auditScheduler);
        } else if (!variant.equals("governed")) {
          throw new IllegalArgumentException("unknown variant " + variant
              + ": bare, subject, project, fenced, governed, governed-batching");
        }
        audit = ab.build();
        b.accessControl(policy)
            .projects(Project.builder("tenants").applicationNamespaces("tenant-*").destination("*", "tenant-*").build())
            .observer(audit);
      }
      long converge;
      long threadCpu;
      long processCpu;
      long writerCpu;
      long resync;
      long resyncWrites;
      try (OrchestrationPlane plane = b.build()) {
        Map<Long, Long> cpu0 = threadCpu();
        long c0 = processCpu();
        long t0 = System.nanoTime();
        plane.start();
        for (int i = 0; i < all.size(); i++) {
          Application app = all.get(i);
          if (governed) {
            plane.submit(app, DriftPolicy.CORRECT, Subject.of("user-" + i, "team-" + (i % TEAMS)));
          } else {
            plane.submit(app);
          }
        }
        if (!plane.awaitIdle(Duration.ofMinutes(10))) {
          throw new IllegalStateException("did not converge in 10 minutes");
        }
        long flushCpu = 0;
        if (audit != null) {
          long f0 = THREADS.getCurrentThreadCpuTime();
          audit.flush(); // what the batching variant still owes is part of the converge
          flushCpu = THREADS.getCurrentThreadCpuTime() - f0;
        }
        converge = System.nanoTime() - t0;
        processCpu = processCpu() - c0;
        long[] spent = threadCpuSince(cpu0, AUDIT_THREAD);
        threadCpu = spent[0];
        writerCpu = spent[1] + flushCpu;
        // with access control, statuses are those the caller may get
        long inSync = plane.statuses(Subject.of("checker", "team-0")).values().stream().filter(s -> s.isInSync()).count();
        if (inSync != all.size() || cluster.size() < all.size() * 5L) {
          throw new IllegalStateException(variant + ": converged " + inSync + " apps, " + cluster.size() + " objects");
        }
        long writesBefore = cluster.stats().writes();
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < RESYNCS; i++) {
          long t1 = System.nanoTime();
          clock.advance(Duration.ofMinutes(10));
          plane.awaitIdle(Duration.ofMinutes(10));
          times.add(System.nanoTime() - t1);
        }
        resync = times.stream().sorted().toList().get(RESYNCS / 2);
        resyncWrites = cluster.stats().writes() - writesBefore;
      }
      long records = 0;
      if (audit != null) {
        audit.close();
        AuditVerification v = AuditLog.verify(AuditSinks.jsonLines(file), key.getPublic());
        if (!(v instanceof AuditVerification.Intact intact)) {
          throw new IllegalStateException("audit log does not verify: " + v);
        }
        records = intact.records();
        Files.deleteIfExists(file);
      }
      return new Result(converge, threadCpu, processCpu, writerCpu, resync, resyncWrites, records);
    }
  }

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 70;
    List<String> variants = List.of((args.length > 2 ? args[2] : "bare,governed-batching").split(","));
    if (!variants.contains("bare") || variants.size() < 2 || Set.copyOf(variants).size() != variants.size()) {
      throw new IllegalArgumentException("variants: bare and at least one other, each once; was " + variants);
    }
    if (rounds <= WARMUP) {
      throw new IllegalArgumentException(rounds + " rounds leave none after the " + WARMUP + " of warm-up (-Dwarmup)");
    }
    List<Application> all = new ArrayList<>();
    for (int i = 0; i < apps; i++) {
      all.add(ConvergeBenchmark.app(i));
    }
    RbacPolicy policy = RbacPolicy.parse(policyCsv());
    KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path dir = Files.createTempDirectory("governed-converge");
    System.out.printf("converge %d applications x 5 resources, %d rounds of %s in alternating order (the first %d are"
        + " warm-up), %d workers, CPU of every Java thread (process CPU in brackets)%n", apps, rounds, variants, WARMUP,
        WORKERS);
    Map<String, List<Double>> wallRatios = new LinkedHashMap<>();
    Map<String, List<Double>> cpuRatios = new LinkedHashMap<>();
    Map<String, List<Double>> processRatios = new LinkedHashMap<>();
    Map<String, List<Double>> resyncRatios = new LinkedHashMap<>();
    Map<String, List<Double>> writerPerApp = new LinkedHashMap<>();
    Map<String, List<Double>> writerShare = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      // AB, then BA: the order reverses every round
      List<String> order = new ArrayList<>(variants);
      if (round % 2 == 0) {
        Collections.reverse(order);
      }
      Map<String, Result> results = new LinkedHashMap<>();
      for (String variant : order) {
        results.put(variant, run(all, variant, policy, key, dir));
      }
      Result base = results.get("bare");
      boolean measured = round > WARMUP;
      for (String variant : order) {
        Result r = results.get(variant);
        String ratio = "";
        if (!variant.equals("bare")) {
          double cpu = (double) r.threadCpu / base.threadCpu;
          ratio = String.format(Locale.ROOT, " | cpu x%.3f (x%.3f), wall x%.3f, resync x%.3f of bare; writer %.1f us/app",
              cpu, (double) r.processCpu / base.processCpu, (double) r.converge / base.converge,
              (double) r.resync / base.resync, r.writerCpu / 1e3 / apps);
          if (measured) {
            cpuRatios.computeIfAbsent(variant, k -> new ArrayList<>()).add(cpu);
            processRatios.computeIfAbsent(variant, k -> new ArrayList<>()).add((double) r.processCpu / base.processCpu);
            wallRatios.computeIfAbsent(variant, k -> new ArrayList<>()).add((double) r.converge / base.converge);
            resyncRatios.computeIfAbsent(variant, k -> new ArrayList<>()).add((double) r.resync / base.resync);
            writerPerApp.computeIfAbsent(variant, k -> new ArrayList<>()).add(r.writerCpu / 1e3 / apps);
            writerShare.computeIfAbsent(variant, k -> new ArrayList<>()).add((double) r.writerCpu / base.threadCpu);
          }
        }
        System.out.printf(Locale.ROOT, "round %d%s %-17s converge %6.0f ms, cpu %6.0f ms (%6.0f ms), resync %4.0f ms"
            + " median of %d, resync writes %d, audit records %d%s%n", round, measured ? "" : " (warm-up)", variant,
            r.converge / 1e6, r.threadCpu / 1e6, r.processCpu / 1e6, r.resync / 1e6, RESYNCS, r.resyncWrites,
            r.auditRecords, ratio);
      }
    }
    for (String variant : cpuRatios.keySet()) {
      int n = cpuRatios.get(variant).size();
      System.out.printf(Locale.ROOT, "%s / bare, median of %d rounds after %d of warm-up [95%% CI of the median]:%n",
          variant, n, WARMUP);
      System.out.printf(Locale.ROOT, "  converge CPU (every Java thread) %s%n", summary(cpuRatios.get(variant)));
      System.out.printf(Locale.ROOT, "  converge CPU (process)           %s%n", summary(processRatios.get(variant)));
      System.out.printf(Locale.ROOT, "  converge wall time               %s%n", summary(wallRatios.get(variant)));
      System.out.printf(Locale.ROOT, "  resync wall time                 %s%n", summary(resyncRatios.get(variant)));
      if (variant.equals("governed-batching")) { // the durable log writes on the reconcile workers
        System.out.printf(Locale.ROOT, "  audit writer CPU per application %s us, %s of the bare converge's CPU%n",
            summary(writerPerApp.get(variant)).replace("x", ""), percent(writerShare.get(variant)));
      }
    }
    Files.deleteIfExists(dir);
  }

  private static String summary(List<Double> values) {
    double[] ci = medianCi(values);
    return String.format(Locale.ROOT, "x%.3f [%.3f, %.3f]", median(values), ci[0], ci[1]);
  }

  private static String percent(List<Double> values) {
    double[] ci = medianCi(values);
    return String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]", 100 * median(values), 100 * ci[0], 100 * ci[1]);
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /**
   * A distribution-free 95% confidence interval of the median: the sorted values {@code j} and
   * {@code n + 1 - j} (1-based) for the largest {@code j} with P(Binomial(n, 1/2) &lt; j) ≤ 2.5%;
   * the smallest and largest values when {@code n} is too small for that (fewer than 6).
   */
  static double[] medianCi(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    double cumulative = 0;
    int j = 0; // P(B < j + 1) = sum of P(B = k) for k <= j
    double p = Math.pow(0.5, n); // P(B = 0)
    for (int k = 0; k < n; k++) {
      cumulative += p;
      if (cumulative > 0.025) {
        break;
      }
      j = k + 1;
      p = p * (n - k) / (k + 1);
    }
    int lo = Math.max(j, 1);
    return new double[] {sorted.get(lo - 1), sorted.get(n - lo)};
  }
}
