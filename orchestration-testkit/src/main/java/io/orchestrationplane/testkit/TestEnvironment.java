package io.orchestrationplane.testkit;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.testkit.internal.TrackingScheduler;
import io.orchestrationplane.testkit.simulator.WorkloadSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deterministic world for one test: an {@link OrchestrationPlane} in continuous mode with no
 * worker threads, wired to named, labelled {@link InMemoryCluster}s, a {@link ManualClock}, a
 * manual {@link Scheduler}, a {@link WorkloadSimulator} per cluster playing its controllers and
 * kubelet, and the captured {@link PlaneEvents}. Nothing runs unless the test makes it: {@link
 * #settle} advances simulated time from one due event to the next until nothing more is due.
 * {@code @OrchestrationTest} builds one per test; build your own where JUnit does not.
 *
 * <pre>{@code
 * try (TestEnvironment env = TestEnvironment.builder().cluster("prod:tier=prod").build()) {
 *   env.plane().submit(app);
 *   env.settle();                          // pods start, dependents roll out, status converges
 *   assertThat(env.plane().status(app)).isReady();
 * }
 * }</pre>
 *
 * <p>Not thread-safe: drive it from the test's thread.
 */
public final class TestEnvironment extends PlaneEnvironment {
  /** How long {@link #settle()} lets simulated time run at most. */
  public static final Duration DEFAULT_SETTLE_LIMIT = Duration.ofMinutes(5);
  private static final int MAX_STEPS = 1_000_000;
  private static final Logger LOG = LoggerFactory.getLogger(TestEnvironment.class);

  private final ManualClock clock;
  private final TrackingScheduler scheduler;
  private final Clusters clusters;
  private final boolean reactiveSimulators;
  private final List<AutoCloseable> watches = new ArrayList<>();
  private volatile boolean changed = true;
  private long reconciles;

  private TestEnvironment(Builder b, ManualClock clock) {
    super(b, clock);
    this.clock = clock;
    this.scheduler = new TrackingScheduler(Scheduler.manual(clock), clock);
    this.reactiveSimulators = b.reactiveSimulators;
    Map<String, InMemoryCluster> byName = new LinkedHashMap<>();
    declaredClusters().forEach((name, labels) -> {
      InMemoryCluster cluster = InMemoryCluster.builder(name).clock(clock).storedForm(b.storedForm).build();
      byName.put(name, cluster);
      ClusterDriver driver = Objects.requireNonNull(b.driver.apply(cluster, clock), "driver decorator result");
      if (!driver.name().equals(name)) {
        throw new IllegalArgumentException("the driver decorator must keep the cluster's name '" + name
            + "', got '" + driver.name() + "'");
      }
      addCluster(name, driver, WorkloadSimulator.builder(cluster, clock));
    });
    this.clusters = new Clusters(Collections.unmodifiableMap(byName), declaredClusters());
    buildPlane(pb -> pb.scheduler(scheduler).workers(0));
    if (reactiveSimulators) {
      simulators().forEach(WorkloadSimulator::start);
    } else {
      // a pass only runs when something was written or a transition is due: retries that fail
      // before writing anything cost no pass over thousands of objects
      byName.values().forEach(c -> watches.add(c.watch(List.of(), e -> changed = true)));
    }
    startPlaneIfWanted();
  }

  /** A builder; without clusters the environment has one unlabelled cluster named {@code dev}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Configures a {@link TestEnvironment}: the settings every environment takes (clusters, plane
   * settings, simulator customiser; see {@link PlaneEnvironment.Builder}) and those of simulated
   * time and in-memory clusters.
   */
  public static final class Builder extends PlaneEnvironment.Builder<Builder> {
    private Instant startAt = Instant.parse("2026-01-01T00:00:00Z");
    private boolean reactiveSimulators = true;
    private BiFunction<InMemoryCluster, ManualClock, ClusterDriver> driver = (c, clock) -> c;
    private boolean storedForm;

    private Builder() {}

    /** Where the manual clock starts (default 2026-01-01T00:00:00Z). */
    public Builder startingAt(Instant value) {
      startAt = Objects.requireNonNull(value, "start");
      return this;
    }

    /**
     * Whether the simulators react on their own to every watch event and clock advance (default
     * true). False runs them only from {@link TestEnvironment#settle} and {@link
     * TestEnvironment#runPending}: much cheaper with thousands of objects.
     */
    public Builder reactiveSimulators(boolean value) {
      reactiveSimulators = value;
      return this;
    }

    /**
     * Decorates the driver the plane talks to for each cluster, e.g. with a {@code FaultyCluster};
     * the simulators keep talking to the in-memory cluster directly.
     */
    public Builder driver(BiFunction<InMemoryCluster, ManualClock, ClusterDriver> decorator) {
      driver = Objects.requireNonNull(decorator, "decorator");
      return this;
    }

    /**
     * Whether the in-memory clusters store objects as a Kubernetes API server does (canonical
     * quantities, defaults, {@code omitempty}, admission's additions to Pods; default false), so
     * that the plane's comparisons meet what a real cluster returns.
     */
    public Builder storedForm(boolean value) {
      this.storedForm = value;
      return this;
    }

    @Override
    public TestEnvironment build() {
      return new TestEnvironment(this, ManualClock.at(startAt));
    }
  }

  /**
   * Replaces the plane with a new one built the same way over the same clusters, as a process that
   * crashed and started again: it remembers nothing (no submitted application, no status, no
   * cache); the clusters, their objects and the simulators carry on. Started again if the old one
   * was. Returns the new plane, which {@link #plane()} answers from now on.
   */
  public OrchestrationPlane restartPlane() {
    return replacePlane();
  }

  /** The manual clock shared by the plane, the clusters and the simulators. */
  @Override
  public ManualClock clock() {
    return clock;
  }

  /** The plane's scheduler (retries, requeues, resyncs); tasks run when the clock advances. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** The in-memory clusters by name, with their placement labels. */
  public Clusters clusters() {
    return clusters;
  }

  /** The in-memory cluster of that name. */
  public InMemoryCluster cluster(String name) {
    return clusters.get(name);
  }

  /** The only cluster. */
  public InMemoryCluster cluster() {
    return clusters.only();
  }

  /** Submits the application, {@link #settle()}s and returns its status (ready or not). */
  @Override
  public ApplicationStatus deploy(Application app) {
    plane().submit(app);
    settle();
    return plane().status(app);
  }

  /**
   * Runs what is due now: simulator passes and the plane's queued reconciles, until neither does
   * anything. Returns how many reconciles ran.
   */
  public int runPending() {
    int ran = 0;
    for (int round = 0; ; round++) {
      int work = 0;
      if (!reactiveSimulators && (changed || transitionDue())) {
        changed = false;
        for (WorkloadSimulator s : simulators()) {
          work += s.runUntilIdle();
        }
        changed = false;
      }
      OrchestrationPlane plane = plane();
      if (plane.isStarted()) {
        int r = plane.runPending();
        ran += r;
        work += r;
      }
      if (work == 0 && !(changed && !reactiveSimulators)) {
        this.reconciles += ran;
        return ran;
      }
      if (round >= MAX_STEPS) {
        throw new IllegalStateException("the environment did not quiesce at " + clock.instant());
      }
    }
  }

  /** How many reconciles the plane ran through this environment so far. */
  public long reconciles() {
    return reconciles;
  }

  private boolean transitionDue() {
    Instant now = clock.instant();
    for (WorkloadSimulator s : simulators()) {
      if (s.nextTransition().map(t -> !t.isAfter(now)).orElse(false)) {
        return true;
      }
    }
    return false;
  }

  /** {@link #settle(Duration)} with {@link #DEFAULT_SETTLE_LIMIT}. */
  public Duration settle() {
    return settle(DEFAULT_SETTLE_LIMIT);
  }

  /**
   * Lets simulated time run until nothing more is due within {@code limit}: runs what is due,
   * then advances the clock to the next simulator transition or plane timer (retry, requeue,
   * progress deadline, resync) and repeats. Stops at the last event, not at the limit. Returns
   * how much simulated time passed.
   */
  public Duration settle(Duration limit) {
    return run(limit, false);
  }

  /**
   * Advances the clock by exactly {@code by}, stopping at every simulator transition and plane
   * timer on the way to run what is due there.
   */
  public Instant advance(Duration by) {
    run(by, true);
    return clock.instant();
  }

  /**
   * Advances the clock by {@code by} in fixed {@code step}s, running what is due after each: events
   * between two steps run late, at the step. Costs {@code by / step} simulator passes however many
   * retries and transitions fall in between, so it suits environments with thousands of objects
   * where {@link #advance} would stop at every one of them.
   */
  public Instant advanceInSteps(Duration by, Duration step) {
    if (by == null || by.isNegative()) {
      throw new IllegalArgumentException("by must be zero or positive, got " + by);
    }
    if (step == null || step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("step must be positive, got " + step);
    }
    Instant end = clock.instant().plus(by);
    runPending();
    while (clock.instant().isBefore(end)) {
      Duration left = Duration.between(clock.instant(), end);
      clock.advance(left.compareTo(step) < 0 ? left : step);
      runPending();
    }
    return clock.instant();
  }

  private Duration run(Duration limit, boolean toEnd) {
    if (limit == null || limit.isNegative()) {
      throw new IllegalArgumentException("limit must be zero or positive, got " + limit);
    }
    Instant begin = clock.instant();
    Instant end = begin.plus(limit);
    for (int step = 0; ; step++) {
      runPending();
      Optional<Instant> next = nextEvent();
      if (next.isEmpty() || next.get().isAfter(end)) {
        break;
      }
      Instant now = clock.instant();
      clock.advance(next.get().isAfter(now) ? Duration.between(now, next.get()) : Duration.ZERO);
      if (step >= MAX_STEPS) {
        throw new IllegalStateException("simulated time did not settle within " + MAX_STEPS + " steps, at "
            + clock.instant());
      }
    }
    if (toEnd && clock.instant().isBefore(end)) {
      clock.advance(Duration.between(clock.instant(), end));
      runPending();
    }
    Duration passed = Duration.between(begin, clock.instant());
    LOG.debug("settled after {} of simulated time", passed);
    return passed;
  }

  /** The earliest simulator transition or plane timer. */
  private Optional<Instant> nextEvent() {
    Instant next = scheduler.nextDue().orElse(null);
    for (WorkloadSimulator s : simulators()) {
      Instant t = s.nextTransition().orElse(null);
      if (t != null && (next == null || t.isBefore(next))) {
        next = t;
      }
    }
    return Optional.ofNullable(next);
  }

  /** Stops the plane, the simulators and the scheduler; the clusters keep their objects. Idempotent. */
  @Override
  public void close() {
    if (!markClosed()) {
      return;
    }
    for (AutoCloseable w : watches) {
      try {
        w.close();
      } catch (Exception e) {
        LOG.warn("could not stop a cluster watch", e);
      }
    }
    closePlane();
    simulators().forEach(WorkloadSimulator::close);
    scheduler.close();
  }

  @Override
  public String toString() {
    return "TestEnvironment[" + clusters + " at " + clock.instant() + "]";
  }
}
