package io.orchestrationplane.benchmarks.delivery;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.state.StateEntry;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.state.StateWriteResult;
import io.orchestrationplane.core.state.DeleteResult;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.delivery.Delivery;
import io.orchestrationplane.delivery.ReleaseStatus;
import io.orchestrationplane.delivery.Step;
import io.orchestrationplane.delivery.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * {@code java -cp benchmarks.jar io.orchestrationplane.benchmarks.delivery.DeliveryBench [apps] [warm-up pairs]
 * [measured pairs] [memory|directory]} (defaults 500, 20, 60, memory).
 *
 * <p>A pair measures two things on the same applications (each one ConfigMap, healthy as soon as
 * written, in dev, staging and prod), each on fresh clusters, plane and store, back to back:
 * <ul>
 *   <li><b>plain</b>: the plane calls the workflow makes, called directly: the three applies
 *       ({@code plane.apply} of each environment's application) and the two status reads the
 *       workflow's gates make (dev after its apply, for the wait and the promotion from dev;
 *       staging after its apply, for the check and the promotion from staging; the workflow
 *       reads each once per transition and never reads prod's), as a script without a workflow
 *       would check health before promoting;</li>
 *   <li><b>workflow</b>: {@code Delivery.start} for every application, then {@code runPending}
 *       until every run has succeeded, with the five steps apply dev, wait-healthy dev, promote
 *       to staging, check staging, promote to prod.</li>
 * </ul>
 * Pairs alternate which of the two goes first. Each side's time is the CPU time of the
 * benchmark's thread (ThreadMXBean: time spent waiting for a core on a loaded machine is not
 * counted; garbage collection on other threads is not either). After the warm-up pairs (JIT),
 * it prints the median and quartiles of the measured pairs' ratios workflow / plain, the medians
 * of both sides' times, the bookkeeping per step (the median of the pairs' (workflow - plain) /
 * steps) and the state-store writes per step. A pair in which a run did not succeed stops the
 * benchmark.
 */
public final class DeliveryBench {
  private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

  private DeliveryBench() {}

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int measured = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    String storeKind = args.length > 3 ? args[3] : "memory";
    if (!storeKind.equals("memory") && !storeKind.equals("directory")) {
      throw new IllegalArgumentException("store must be memory or directory, was " + storeKind);
    }
    if (apps < 1 || warmup < 0 || measured < 1) {
      throw new IllegalArgumentException("need at least 1 application and 1 measured pair");
    }
    boolean directory = storeKind.equals("directory");
    Workflow workflow = Workflow.builder("bench")
        .step(Step.apply("deploy-dev", "dev"))
        .step(Step.waitHealthy("dev-healthy", "dev", Duration.ZERO))
        .step(Step.promote("to-staging", "dev", "staging", Duration.ZERO))
        .step(Step.check("staging-ready", "staging", "status.phase == 'READY'"))
        .step(Step.promote("to-prod", "staging", "prod", Duration.ZERO))
        .build();
    int steps = apps * workflow.steps().size();
    System.out.printf("%d applications, %d-step workflow, %s store; %d warm-up pairs, %d measured pairs "
        + "(CPU time of the benchmark's thread)%n", apps, workflow.steps().size(), directory ? "directory" : "in-memory",
        warmup, measured);
    double[] ratios = new double[measured];
    double[] plainMs = new double[measured];
    double[] workflowMs = new double[measured];
    double[] bookkeepingUs = new double[measured];
    Side plain = null;
    Side flow = null;
    long t0 = System.nanoTime();
    for (int pair = 0; pair < warmup + measured; pair++) {
      if (pair % 2 == 0) {
        plain = plain(apps, directory);
        flow = workflow(apps, directory, workflow);
      } else {
        flow = workflow(apps, directory, workflow);
        plain = plain(apps, directory);
      }
      if (pair == warmup - 1) {
        System.out.printf("warm-up done after %.1f s%n", (System.nanoTime() - t0) / 1e9);
      }
      int m = pair - warmup;
      if (m >= 0) {
        ratios[m] = flow.cpuNanos / (double) plain.cpuNanos;
        plainMs[m] = plain.cpuNanos / 1e6;
        workflowMs[m] = flow.cpuNanos / 1e6;
        bookkeepingUs[m] = (flow.cpuNanos - plain.cpuNanos) / 1e3 / steps;
      }
    }
    System.out.printf("workflow / plain: median %.2f (quartiles %.2f-%.2f, min %.2f, max %.2f) over %d pairs%n",
        median(ratios), quantile(ratios, 0.25), quantile(ratios, 0.75), quantile(ratios, 0), quantile(ratios, 1), measured);
    System.out.printf("CPU per round: plain median %.0f ms, workflow median %.0f ms%n", median(plainMs), median(workflowMs));
    System.out.printf("bookkeeping: median %.1f µs per step (%d steps per round)%n", median(bookkeepingUs), steps);
    System.out.printf("state-store writes (all keys): plain %d = %.2f per step; workflow %d = %.2f per step, of which "
            + "%d workflow-document writes = %.2f per step; %d transitions, %d/%d runs succeeded%n",
        plain.storeWrites, plain.storeWrites / (double) steps, flow.storeWrites, flow.storeWrites / (double) steps,
        flow.documentWrites, flow.documentWrites / (double) steps, flow.transitions, apps, apps);
  }

  /** One side of a pair: its CPU time and what it wrote. */
  private record Side(long cpuNanos, long storeWrites, long documentWrites, int transitions) {}

  private static Side plain(int apps, boolean directory) throws Exception {
    try (World w = new World(directory)) {
      long c0 = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < apps; i++) {
        Application app = app(i);
        for (String env : List.of("dev", "staging", "prod")) {
          Application stage = Delivery.environmentApplication(app, env);
          w.plane.apply(stage, Subject.local(), Origin.code());
          if (!env.equals("prod")) {
            w.plane.status(stage); // what the workflow reads before promoting from env
          }
        }
      }
      long cpu = CPU.getCurrentThreadCpuTime() - c0;
      return new Side(cpu, w.store.writes.get(), 0, 0);
    }
  }

  private static Side workflow(int apps, boolean directory, Workflow workflow) throws Exception {
    try (World w = new World(directory)) {
      Delivery delivery = Delivery.builder().plane(w.plane).store(w.store).identity("bench").build();
      long c0 = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < apps; i++) {
        delivery.start(app(i), workflow, Subject.of("bench"), Origin.code());
      }
      int transitions = 0;
      for (int pass = 0; pass < 100; pass++) {
        int made = delivery.runPending();
        transitions += made;
        if (made == 0) {
          break;
        }
      }
      long cpu = CPU.getCurrentThreadCpuTime() - c0;
      for (int i = 0; i < apps; i++) {
        ReleaseStatus.RunPhase phase = delivery.status("bench-" + i + ".shop").run().map(ReleaseStatus.Run::phase)
            .orElse(null);
        if (phase != ReleaseStatus.RunPhase.SUCCEEDED) {
          throw new IllegalStateException("the run of bench-" + i + ".shop ended " + phase + ", not SUCCEEDED");
        }
      }
      return new Side(cpu, w.store.writes.get(), delivery.stateWrites(), transitions);
    }
  }

  private static double median(double[] values) {
    return quantile(values, 0.5);
  }

  /** The {@code q} quantile, interpolating between the two nearest values. */
  private static double quantile(double[] values, double q) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    double at = q * (sorted.length - 1);
    int lo = (int) Math.floor(at);
    int hi = (int) Math.ceil(at);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
  }

  static Application app(int i) {
    Application.Builder b = Application.builder("shop").namespace("bench-" + i)
        .component(Component.builder("settings", "k8s-objects")
            .property("objects", List.of(Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "settings"),
                "data", Map.of("release", "1")))).build());
    for (String env : List.of("dev", "staging", "prod")) {
      b.environment(Environment.builder(env).clusters(env).build());
    }
    return b.build();
  }

  /** Fresh clusters, a counting store and a plane over them. */
  private static final class World implements AutoCloseable {
    final ManualClock clock = ManualClock.create();
    final CountingStore store;
    final OrchestrationPlane plane;
    private final Path dir;

    World(boolean directory) throws Exception {
      dir = directory ? Files.createTempDirectory("delivery-bench") : null;
      store = new CountingStore(directory ? StateStore.directory(dir) : StateStore.inMemory());
      plane = OrchestrationPlane.builder().clock(clock).logging(false).stateStore(store)
          .cluster(InMemoryCluster.builder("dev").clock(clock).build())
          .cluster(InMemoryCluster.builder("staging").clock(clock).build())
          .cluster(InMemoryCluster.builder("prod").clock(clock).build())
          .build();
    }

    @Override
    public void close() throws Exception {
      plane.close();
      store.close();
      if (dir != null) {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  /** Counts successful writes of every key. */
  private static final class CountingStore implements StateStore {
    final StateStore delegate;
    final AtomicLong writes = new AtomicLong();

    CountingStore(StateStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Config config() {
      return delegate.config();
    }

    @Override
    public Optional<StateEntry> get(StateKey key) {
      return delegate.get(key);
    }

    @Override
    public List<StateEntry> list(String namespace, String namePrefix) {
      return delegate.list(namespace, namePrefix);
    }

    // forwarded like every other call, so that what is measured is the store's own filtering
    @Override
    public List<StateEntry> list(String namespace, String namePrefix, java.util.function.Predicate<JsonNode> filter) {
      return delegate.list(namespace, namePrefix, filter);
    }

    @Override
    public StateWriteResult compareAndSet(StateKey key, long expectedVersion, JsonNode value) {
      StateWriteResult r = delegate.compareAndSet(key, expectedVersion, value);
      if (r instanceof StateWriteResult.Written) {
        writes.incrementAndGet();
      }
      return r;
    }

    @Override
    public DeleteResult delete(StateKey key, long expectedVersion) {
      return delegate.delete(key, expectedVersion);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
