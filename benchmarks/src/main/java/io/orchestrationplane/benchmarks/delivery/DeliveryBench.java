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
 * {@code java -cp benchmarks.jar io.orchestrationplane.benchmarks.delivery.DeliveryBench [apps] [rounds] [memory|directory]}
 *
 * <p>Each round builds fresh clusters, plane and store and measures two things on the same
 * number of applications (each one ConfigMap, healthy as soon as written, in dev, staging and
 * prod):
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
 * It prints both times, their ratio, the state-store writes (all keys: workflow documents,
 * releases, revisions) and the workflow-document writes per step. Each time is given twice: wall
 * clock, and the CPU time of the benchmark's thread (which a loaded machine inflates far less:
 * time spent waiting for a core is not counted; garbage collection on other threads is not either).
 */
public final class DeliveryBench {
  private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

  private DeliveryBench() {}

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    boolean directory = args.length > 2 && args[2].equals("directory");
    Workflow workflow = Workflow.builder("bench")
        .step(Step.apply("deploy-dev", "dev"))
        .step(Step.waitHealthy("dev-healthy", "dev", Duration.ZERO))
        .step(Step.promote("to-staging", "dev", "staging", Duration.ZERO))
        .step(Step.check("staging-ready", "staging", "status.phase == 'READY'"))
        .step(Step.promote("to-prod", "staging", "prod", Duration.ZERO))
        .build();
    int steps = workflow.steps().size();
    System.out.printf("%d applications, %d-step workflow, %s store%n", apps, steps, directory ? "directory" : "in-memory");
    for (int round = 1; round <= rounds; round++) {
      long plainNanos;
      long plainCpu;
      long plainWrites;
      try (World w = new World(directory)) {
        long c0 = CPU.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
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
        plainNanos = System.nanoTime() - t0;
        plainCpu = CPU.getCurrentThreadCpuTime() - c0;
        plainWrites = w.store.writes.get();
      }
      try (World w = new World(directory)) {
        Delivery delivery = Delivery.builder().plane(w.plane).store(w.store).identity("bench").build();
        long c0 = CPU.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
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
        long nanos = System.nanoTime() - t0;
        long cpu = CPU.getCurrentThreadCpuTime() - c0;
        long succeeded = 0;
        for (int i = 0; i < apps; i++) {
          if (delivery.status("bench-" + i + ".shop").run().map(ReleaseStatus.Run::phase).orElse(null)
              == ReleaseStatus.RunPhase.SUCCEEDED) {
            succeeded++;
          }
        }
        long workflowWrites = delivery.stateWrites();
        System.out.printf("round %d: plain %d ms (%d store writes); workflow %d ms (%d store writes, %d workflow-document "
                + "writes = %.2f per step, %d transitions), %d/%d runs succeeded; workflow/plain = %.2f; "
                + "bookkeeping %.0f µs per step%n",
            round, plainNanos / 1_000_000, plainWrites, nanos / 1_000_000, w.store.writes.get(), workflowWrites,
            workflowWrites / (double) (apps * steps), transitions, succeeded, apps, nanos / (double) plainNanos,
            (nanos - plainNanos) / 1000.0 / (apps * steps));
        System.out.printf("round %d cpu: plain %d ms; workflow %d ms; workflow/plain = %.2f; bookkeeping %.0f µs per step%n",
            round, plainCpu / 1_000_000, cpu / 1_000_000, cpu / (double) plainCpu,
            (cpu - plainCpu) / 1000.0 / (apps * steps));
      }
    }
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
