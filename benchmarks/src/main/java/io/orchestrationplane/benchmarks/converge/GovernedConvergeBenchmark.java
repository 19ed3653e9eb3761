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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What governance adds to {@link ConvergeBenchmark}: the same applications converged from empty
 * and resynced, in turn without governance ({@code bare}) and with what a platform team turns on
 * ({@code governed}): access control from an Argo CD RBAC policy CSV (every submission is
 * authorized for its subject), a {@link Project} fencing the tenants' namespaces (checked on every
 * rendered object before admission), and an {@link AuditLog} in a JSON Lines file signing a
 * checkpoint every 1,000 records. The log is the embedded default, durable when the call returns
 * (one group-committed sync per batch); {@code governed-batching} is the same with {@link
 * AuditLog.Builder#batching} (at most 50 ms or 1,000 records pending). Variants run in turn in one
 * JVM so that machine load falls on each alike; each round prints the ratio to the bare round
 * before it. After a governed round the audit file is verified.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.orchestrationplane.benchmarks.converge.GovernedConvergeBenchmark \
 *     [apps] [rounds] [variants, default bare,governed]
 * </pre>
 */
public final class GovernedConvergeBenchmark {
  private static final int RESYNCS = 5;
  private static final int WORKERS = Integer.getInteger("workers", 2 * Runtime.getRuntime().availableProcessors());
  private static final int TEAMS = 50;
  /** Rounds left out of the medians: the JIT is still compiling the plane's code in them. */
  private static final int WARMUP = Integer.getInteger("warmup", 3);

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

  record Result(long converge, long convergeCpu, long resync, long resyncWrites, long auditRecords) {}

  /** CPU time of the whole process (every thread: workers, the audit writer, JIT and GC alike), in nanoseconds. */
  static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  static Result run(List<Application> all, String variant, RbacPolicy policy, KeyPair key, Path dir)
      throws Exception {
    boolean governed = !variant.equals("bare");
    InMemoryCluster cluster = InMemoryCluster.create("bench");
    ManualClock clock = ManualClock.create();
    Path file = dir.resolve("audit-" + System.nanoTime() + ".jsonl");
    try (Scheduler scheduler = Scheduler.manual(clock);
        Scheduler auditScheduler = Scheduler.threaded("audit")) {
      AuditLog audit = null;
      OrchestrationPlane.Builder b = OrchestrationPlane.builder().cluster(cluster).clock(clock).scheduler(scheduler)
          .progressDeadline(Duration.ofHours(1)).workers(WORKERS).logging(false);
      if (variant.equals("fenced")) {
        b.accessControl(policy)
            .projects(Project.builder("tenants").applicationNamespaces("tenant-*").destination("*", "tenant-*").build());
      } else if (governed) {
        AuditLog.Builder ab = AuditLog.builder(AuditSinks.jsonLines(file), key);
        if (variant.equals("governed-batching")) {
          ab.batching(Duration.ofMillis(50), 1_000, auditScheduler);
        } else if (!variant.equals("governed")) {
          throw new IllegalArgumentException("unknown variant " + variant + ": bare, fenced, governed, governed-batching");
        }
        audit = ab.build();
        b.accessControl(policy)
            .projects(Project.builder("tenants").applicationNamespaces("tenant-*").destination("*", "tenant-*").build())
            .observer(audit);
      }
      long converge;
      long convergeCpu;
      long resync;
      long resyncWrites;
      try (OrchestrationPlane plane = b.build()) {
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
        if (audit != null) {
          audit.flush(); // what the batching variant still owes is part of the converge
        }
        converge = System.nanoTime() - t0;
        convergeCpu = processCpu() - c0;
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
      return new Result(converge, convergeCpu, resync, resyncWrites, records);
    }
  }

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> variants = List.of((args.length > 2 ? args[2] : "bare,governed").split(","));
    List<Application> all = new ArrayList<>();
    for (int i = 0; i < apps; i++) {
      all.add(ConvergeBenchmark.app(i));
    }
    RbacPolicy policy = RbacPolicy.parse(policyCsv());
    KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path dir = Files.createTempDirectory("governed-converge");
    System.out.printf("converge %d applications x 5 resources, %d rounds of %s (the first %d are warm-up), %d workers%n",
        apps, rounds, variants, WARMUP, WORKERS);
    Map<String, List<Double>> convergeRatios = new LinkedHashMap<>();
    Map<String, List<Double>> resyncRatios = new LinkedHashMap<>();
    Map<String, List<Double>> cpuRatios = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      // each round starts with another variant, so that none always runs on the heap and JIT the others left
      Map<String, Result> results = new LinkedHashMap<>();
      for (int v = 0; v < variants.size(); v++) {
        String variant = variants.get((v + round - 1) % variants.size());
        results.put(variant, run(all, variant, policy, key, dir));
      }
      Result base = results.get("bare");
      for (String variant : variants) {
        Result r = results.get(variant);
        String ratio = base == null || variant.equals("bare") ? "" : String.format(Locale.ROOT,
            " | converge x%.3f (cpu x%.3f), resync x%.3f of bare", (double) r.converge / base.converge,
            (double) r.convergeCpu / base.convergeCpu, (double) r.resync / base.resync);
        if (base != null && !variant.equals("bare") && round > WARMUP) {
          convergeRatios.computeIfAbsent(variant, k -> new ArrayList<>()).add((double) r.converge / base.converge);
          resyncRatios.computeIfAbsent(variant, k -> new ArrayList<>()).add((double) r.resync / base.resync);
          cpuRatios.computeIfAbsent(variant, k -> new ArrayList<>()).add((double) r.convergeCpu / base.convergeCpu);
        }
        System.out.printf(Locale.ROOT, "round %d %-17s converge %6.0f ms (cpu %6.0f ms), resync %5.0f ms median of %d, resync writes %d,"
            + " audit records %d%s%n", round, variant, r.converge / 1e6, r.convergeCpu / 1e6, r.resync / 1e6, RESYNCS, r.resyncWrites,
            r.auditRecords, ratio);
      }
    }
    convergeRatios.forEach((variant, ratios) -> System.out.printf(Locale.ROOT,
        "%s / bare, median of %d rounds after warm-up: converge x%.3f, converge cpu x%.3f, resync x%.3f%n",
        variant, ratios.size(), median(ratios), median(cpuRatios.get(variant)), median(resyncRatios.get(variant))));
    Files.deleteIfExists(dir);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
