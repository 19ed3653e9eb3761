package io.orchestrationplane.benchmarks.reconcile;

import io.orchestrationplane.core.reconcile.Controller;
import io.orchestrationplane.core.reconcile.Result;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.reconcile.WorkQueue;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Queue throughput in keys per second for no-op reconciles: how fast the runtime itself hands
 * keys to a reconciler that does nothing. Scores are keys/s (one operation = one key).
 *
 * <ul>
 *   <li>{@code controller}: 10,000 distinct keys enqueued, then reconciled by {@code workers}
 *       worker threads until the queue is idle (enqueue, hand-out, reconcile, status, done);
 *   <li>{@code queueOnly}: the bare {@link WorkQueue} on one thread (add, poll, done), the
 *       ceiling the controller works under.
 * </ul>
 *
 * Run: see docs/reconcile.md ("Benchmark").
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class QueueThroughputBenchmark {
  static final int KEYS = 10_000;

  /** A started controller with a no-op reconciler. */
  @State(Scope.Benchmark)
  public static class ControllerState {
    @Param({"1", "2", "4"})
    int workers;

    Controller<Integer> controller;
    Integer[] keys;

    @Setup(Level.Trial)
    public void start() {
      keys = new Integer[KEYS];
      for (int i = 0; i < KEYS; i++) {
        keys[i] = i;
      }
      controller = Controller.<Integer>builder("bench", (key, ctx) -> Result.done())
          .workers(workers)
          .clock(Clock.systemUTC())
          .build();
      controller.start();
    }

    @TearDown(Level.Trial)
    public void close() {
      controller.close();
    }
  }

  /** A bare queue; its scheduler is never used because nothing is delayed. */
  @State(Scope.Benchmark)
  public static class QueueState {
    ManualClock clock;
    Scheduler scheduler;
    WorkQueue<Integer> queue;
    Integer[] keys;

    @Setup(Level.Trial)
    public void create() {
      keys = new Integer[KEYS];
      for (int i = 0; i < KEYS; i++) {
        keys[i] = i;
      }
      clock = ManualClock.create();
      scheduler = Scheduler.manual(clock);
      queue = WorkQueue.create(WorkQueue.Config.defaults(), clock, scheduler);
    }

    @TearDown(Level.Trial)
    public void close() {
      queue.shutdown(WorkQueue.ShutdownMode.ABANDON);
      scheduler.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(KEYS)
  public int controller(ControllerState s) throws InterruptedException {
    for (Integer key : s.keys) {
      s.controller.enqueue(key);
    }
    if (!s.controller.awaitIdle(Duration.ofMinutes(1))) {
      throw new IllegalStateException("controller did not drain 10,000 keys within a minute");
    }
    return s.controller.queue().size();
  }

  @Benchmark
  @OperationsPerInvocation(KEYS)
  public int queueOnly(QueueState s) {
    for (Integer key : s.keys) {
      s.queue.add(key);
    }
    int handed = 0;
    Integer key;
    while ((key = s.queue.poll()) != null) {
      s.queue.done(key);
      handed++;
    }
    return handed;
  }
}
