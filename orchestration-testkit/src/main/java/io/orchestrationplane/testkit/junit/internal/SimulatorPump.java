package io.orchestrationplane.testkit.junit.internal;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.testkit.simulator.WorkloadSimulator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link WorkloadSimulator} on a real clock against a cluster whose watch events arrive on
 * other threads: every event only marks the simulator dirty, one thread of its own runs passes
 * (coalescing bursts of events into one pass, and never blocking an informer thread with HTTP
 * calls), and a timer wakes it at the simulator's next transition (a container starting, a pod
 * becoming ready) or after {@link #RESYNC} at the latest, as controllers resync, so a pass that
 * read a cache lagging behind its event cannot stall the simulation. A failed pass (a conflict
 * with a concurrent write, say) is retried shortly.
 */
public final class SimulatorPump implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatorPump.class);
  private static final Duration RETRY = Duration.ofMillis(20);
  /** The longest time between two passes. */
  static final Duration RESYNC = Duration.ofMillis(500);

  private final ClusterDriver driver;
  private final WorkloadSimulator simulator;
  private final Clock clock;
  private final ScheduledExecutorService thread;
  private final AtomicBoolean queued = new AtomicBoolean();
  private final AtomicLong passes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean running;
  private @Nullable ScheduledFuture<?> timer;
  private @Nullable AutoCloseable watch;

  public SimulatorPump(ClusterDriver driver, WorkloadSimulator simulator, Clock clock) {
    this.driver = driver;
    this.simulator = simulator;
    this.clock = clock;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "orchestration-testkit-simulator-" + driver.name());
      t.setDaemon(true);
      return t;
    });
  }

  /** Watches the simulator's kinds and runs a first pass. */
  public synchronized SimulatorPump start() {
    watch = driver.watch(simulator.kinds(), e -> poke());
    poke();
    return this;
  }

  /** True while a pass is queued or running. */
  public boolean isBusy() {
    return queued.get() || running;
  }

  /** Passes run so far. */
  public long passes() {
    return passes.get();
  }

  /** Passes that failed so far (each retried). */
  public long failures() {
    return failures.get();
  }

  private void poke() {
    if (queued.compareAndSet(false, true)) {
      try {
        thread.execute(this::pass);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        queued.set(false); // closing
      }
    }
  }

  private void pass() {
    running = true;
    queued.set(false);
    Duration wakeIn;
    try {
      simulator.runUntilIdle();
      Optional<Instant> next = simulator.nextTransition();
      wakeIn = next.map(t -> Duration.between(clock.instant(), t)).map(d -> d.isNegative() ? Duration.ZERO : d)
          .filter(d -> d.compareTo(RESYNC) < 0).orElse(RESYNC);
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      LOG.debug("simulator pass on {} failed, retrying in {}: {}", driver.name(), RETRY, e.toString());
      wakeIn = RETRY;
    } finally {
      passes.incrementAndGet();
      running = false;
    }
    synchronized (this) {
      if (timer != null) {
        timer.cancel(false);
      }
      if (!thread.isShutdown()) {
        // one millisecond late, so the transition is due when the pass looks at the clock
        timer = thread.schedule(this::poke, wakeIn.toMillis() + 1, TimeUnit.MILLISECONDS);
      }
    }
  }

  /**
   * Stops passing (the simulator writes nothing more) but keeps the watch open; waits for a
   * running pass to end. Lets the cluster go quiet before its watches are closed.
   */
  public void stopPassing() {
    synchronized (this) {
      thread.shutdownNow();
    }
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("the simulator pass on {} did not end within 10 s", driver.name());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops passing and watching. */
  @Override
  public void close() {
    stopPassing();
    AutoCloseable w;
    synchronized (this) {
      w = watch;
      watch = null;
    }
    if (w != null) {
      try {
        w.close();
      } catch (Exception e) {
        LOG.warn("could not stop the simulator's watch on {}", driver.name(), e);
      }
    }
  }
}
