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
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
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
public final class TestEnvironment implements AutoCloseable {
  /** How long {@link #settle()} lets simulated time run at most. */
  public static final Duration DEFAULT_SETTLE_LIMIT = Duration.ofMinutes(5);
  private static final int MAX_STEPS = 1_000_000;
  private static final Logger LOG = LoggerFactory.getLogger(TestEnvironment.class);

  private final ManualClock clock;
  private final TrackingScheduler scheduler;
  private final Clusters clusters;
  private final Map<String, ClusterDriver> drivers;
  private final Map<String, WorkloadSimulator> simulators;
  private final boolean reactiveSimulators;
  private final PlaneEvents events = new PlaneEvents();
  private volatile OrchestrationPlane plane;
  /** Builds a plane like the first one, over the same drivers: what {@link #restartPlane()} uses. */
  private final java.util.function.Supplier<OrchestrationPlane> planeFactory;
  private final List<String> clusterOrder;
  private final List<AutoCloseable> watches = new ArrayList<>();
  private volatile boolean changed = true;
  private long reconciles;
  private volatile boolean closed;

  private TestEnvironment(Builder b) {
    this.clock = ManualClock.at(b.startAt);
    this.scheduler = new TrackingScheduler(Scheduler.manual(clock), clock);
    this.reactiveSimulators = b.reactiveSimulators;
    Map<String, InMemoryCluster> byName = new LinkedHashMap<>();
    Map<String, ClusterDriver> seen = new LinkedHashMap<>();
    Map<String, WorkloadSimulator> sims = new LinkedHashMap<>();
    Map<String, Map<String, String>> specs = b.clusters.isEmpty() ? Map.of("dev", Map.of()) : b.clusters;
    specs.forEach((name, labels) -> {
      InMemoryCluster cluster = InMemoryCluster.builder(name).clock(clock).storedForm(b.storedForm).build();
      byName.put(name, cluster);
      ClusterDriver driver = Objects.requireNonNull(b.driver.apply(cluster, clock), "driver decorator result");
      if (!driver.name().equals(name)) {
        throw new IllegalArgumentException("the driver decorator must keep the cluster's name '" + name
            + "', got '" + driver.name() + "'");
      }
      seen.put(name, driver);
      sims.put(name, b.simulator.apply(WorkloadSimulator.builder(cluster, clock)).build());
    });
    List<Consumer<OrchestrationPlane.Builder>> customisers = List.copyOf(b.plane);
    boolean readinessGates = b.readinessGates;
    Duration progressDeadline = b.progressDeadline;
    this.planeFactory = () -> {
      OrchestrationPlane.Builder pb = OrchestrationPlane.builder()
          .clock(clock).scheduler(scheduler).workers(0).listener(events)
          .readinessGates(readinessGates);
      if (progressDeadline != null) {
        pb.progressDeadline(progressDeadline);
      }
      seen.forEach((name, driver) -> pb.cluster(driver, specs.get(name)));
      customisers.forEach(c -> c.accept(pb));
      return pb.build();
    };
    this.clusters = new Clusters(Collections.unmodifiableMap(byName), Collections.unmodifiableMap(new LinkedHashMap<>(specs)));
    this.clusterOrder = List.copyOf(byName.keySet());
    this.drivers = seen;
    this.simulators = sims;
    this.plane = planeFactory.get();
    if (reactiveSimulators) {
      sims.values().forEach(WorkloadSimulator::start);
    } else {
      // a pass only runs when something was written or a transition is due: retries that fail
      // before writing anything cost no pass over thousands of objects
      byName.values().forEach(c -> watches.add(c.watch(List.of(), e -> changed = true)));
    }
    if (b.start) {
      plane.start();
    }
  }

  /** A builder; without clusters the environment has one unlabelled cluster named {@code dev}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link TestEnvironment}. */
  public static final class Builder {
    private final Map<String, Map<String, String>> clusters = new LinkedHashMap<>();
    private Instant startAt = Instant.parse("2026-01-01T00:00:00Z");
    private boolean readinessGates = true;
    private Duration progressDeadline;
    private boolean start = true;
    private boolean reactiveSimulators = true;
    private UnaryOperator<WorkloadSimulator.Builder> simulator = UnaryOperator.identity();
    private BiFunction<InMemoryCluster, ManualClock, ClusterDriver> driver = (c, clock) -> c;
    private final List<Consumer<OrchestrationPlane.Builder>> plane = new ArrayList<>();
    private boolean storedForm;

    private Builder() {}

    /**
     * Adds a cluster from {@code "name"} or {@code "name:key=value,key2=value2"} (its placement
     * labels), e.g. {@code "prod:tier=prod,region=eu"}.
     */
    public Builder cluster(String spec) {
      ClusterSpec parsed = ClusterSpec.parse(spec);
      return cluster(parsed.name(), parsed.labels());
    }

    /** Adds a cluster with placement labels. */
    public Builder cluster(String name, Map<String, String> labels) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("cluster name must not be blank");
      }
      if (clusters.containsKey(name)) {
        throw new IllegalArgumentException("cluster '" + name + "' is declared twice");
      }
      clusters.put(name, Map.copyOf(labels));
      return this;
    }

    /** Where the manual clock starts (default 2026-01-01T00:00:00Z). */
    public Builder startingAt(Instant value) {
      startAt = Objects.requireNonNull(value, "start");
      return this;
    }

    /** Whether dependents wait for their dependencies to be healthy (default true, as the plane). */
    public Builder readinessGates(boolean value) {
      readinessGates = value;
      return this;
    }

    /** The plane's progress deadline (default the plane's, 10 minutes). */
    public Builder progressDeadline(Duration value) {
      progressDeadline = Objects.requireNonNull(value, "progressDeadline");
      return this;
    }

    /** Whether the plane starts in continuous mode (default true); false for plan/apply-only tests. */
    public Builder startPlane(boolean value) {
      start = value;
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

    /** Customises every cluster's simulator (timings, nodes, scripted faults). */
    public Builder simulator(UnaryOperator<WorkloadSimulator.Builder> customiser) {
      simulator = Objects.requireNonNull(customiser, "customiser");
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

    /** Further plane settings (component types, health assessors, queue), applied last. */
    public Builder plane(Consumer<OrchestrationPlane.Builder> customiser) {
      plane.add(Objects.requireNonNull(customiser, "customiser"));
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

    public TestEnvironment build() {
      return new TestEnvironment(this);
    }
  }

  /** The plane under test. */
  public OrchestrationPlane plane() {
    return plane;
  }

  /**
   * Replaces the plane with a new one built the same way over the same clusters, as a process that
   * crashed and started again: it remembers nothing (no submitted application, no status, no
   * cache); the clusters, their objects and the simulators carry on. Started again if the old one
   * was. Returns the new plane, which {@link #plane()} answers from now on.
   */
  public OrchestrationPlane restartPlane() {
    OrchestrationPlane old = plane;
    boolean started = old.isStarted();
    old.close();
    OrchestrationPlane fresh = planeFactory.get();
    plane = fresh;
    if (started) {
      fresh.start();
    }
    return fresh;
  }

  /** The manual clock shared by the plane, the clusters and the simulators. */
  public ManualClock clock() {
    return clock;
  }

  /** The plane's scheduler (retries, requeues, resyncs); tasks run when the clock advances. */
  public Scheduler scheduler() {
    return scheduler;
  }

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

  /** The driver the plane talks to for that cluster (the cluster itself unless decorated). */
  public ClusterDriver driver(String name) {
    clusters.get(name);
    return drivers.get(name);
  }

  /** The simulator of that cluster. */
  public WorkloadSimulator simulator(String name) {
    WorkloadSimulator s = simulators.get(name);
    if (s == null) {
      throw new NoSuchElementException("no cluster named '" + name + "'; the environment has " + clusterOrder);
    }
    return s;
  }

  /** The simulator of the only cluster. */
  public WorkloadSimulator simulator() {
    return simulator(clusters.only().name());
  }

  /** The events the plane emitted so far. */
  public PlaneEvents events() {
    return events;
  }

  /** Submits the application, {@link #settle()}s and returns its status. */
  public ApplicationStatus deploy(Application app) {
    plane.submit(app);
    settle();
    return plane.status(app);
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
        for (WorkloadSimulator s : simulators.values()) {
          work += s.runUntilIdle();
        }
        changed = false;
      }
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

  /** True once {@link #close()} ran. */
  public boolean isClosed() {
    return closed;
  }

  /** How many reconciles the plane ran through this environment so far. */
  public long reconciles() {
    return reconciles;
  }

  private boolean transitionDue() {
    Instant now = clock.instant();
    for (WorkloadSimulator s : simulators.values()) {
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
    for (WorkloadSimulator s : simulators.values()) {
      Instant t = s.nextTransition().orElse(null);
      if (t != null && (next == null || t.isBefore(next))) {
        next = t;
      }
    }
    return Optional.ofNullable(next);
  }

  /** Stops the plane, the simulators and the scheduler; the clusters keep their objects. */
  @Override
  public void close() {
    closed = true;
    for (AutoCloseable w : watches) {
      try {
        w.close();
      } catch (Exception e) {
        LOG.warn("could not stop a cluster watch", e);
      }
    }
    plane.close();
    simulators.values().forEach(WorkloadSimulator::close);
    scheduler.close();
  }

  @Override
  public String toString() {
    return "TestEnvironment[" + clusters + " at " + clock.instant() + "]";
  }
}
