package io.orchestrationplane.testkit.simulator;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Plays kube-controller-manager and the kubelet on any {@link ClusterDriver}, so workloads
 * become ready (or fail as scripted) on a cluster without nodes, such as {@code InMemoryCluster}.
 *
 * <p>It runs the Deployment, ReplicaSet, StatefulSet, DaemonSet and Job controllers (creating
 * real Pod objects, labelled from the template and owned through {@code ownerReferences}), a
 * kubelet that moves pods through Pending, Running and Ready with container statuses, and the
 * infrastructure a cluster provides (LoadBalancer addresses for Services and Ingresses,
 * PersistentVolumeClaim binding, Namespace, CRD and APIService status, autoscaling/v2 HPA
 * conditions). Every status is written through {@link ClusterDriver#updateStatus} in the shape
 * Kubernetes writes it.
 *
 * <p>Time comes only from the clock. The simulator has no threads: {@link #tick()} runs one
 * pass at the clock's instant, {@link #runUntilIdle()} repeats passes until nothing changes, and
 * with a {@link ManualClock} {@link #advance(Duration)} moves time forward stopping at every
 * instant where something changes by itself. {@link #start()} makes it react to watch events and
 * clock advances on its own; {@link #close()} stops that.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.create();
 * InMemoryCluster cluster = InMemoryCluster.builder("dev").clock(clock).build();
 * try (WorkloadSimulator sim = WorkloadSimulator.builder(cluster, clock)
 *     .failImage("shop/api:broken", Fault.CRASH_LOOP)
 *     .build()) {
 *   cluster.apply(deployment);
 *   sim.advance(Duration.ofSeconds(30)); // the Deployment is available, or crash-looping
 * }
 * }</pre>
 */
public final class WorkloadSimulator implements AutoCloseable {
  private static final int MAX_PASSES = 1000;

  private final ClusterDriver driver;
  private final Clock clock;
  private final Timings timings;
  private final List<String> nodes;
  /** The controllers played, in the order they step in a pass. */
  private final List<SimulatedController> controllers;
  private final SimState state = new SimState();
  private final List<AutoCloseable> subscriptions = new ArrayList<>();
  private @Nullable Instant next;
  private boolean inPass;
  private boolean dirty;

  private WorkloadSimulator(Builder b) {
    this.driver = b.driver;
    this.clock = b.clock;
    this.timings = new Timings(b.containerStart, b.readiness, b.jobRun, b.crashAfter, b.provisioning);
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= b.nodes; i++) {
      names.add("sim-node-" + i);
    }
    this.nodes = List.copyOf(names);
    this.controllers = controllers(b.infrastructure);
    state.resourceFaults.putAll(b.faults.resourceFaults);
    state.imageFaults.putAll(b.faults.imageFaults);
  }

  private static List<SimulatedController> controllers(boolean infrastructure) {
    List<SimulatedController> out = new ArrayList<>(List.of(new DeploymentController(), new ReplicaSetController(),
        new StatefulSetController(), new DaemonSetController(), new JobController()));
    if (infrastructure) {
      out.addAll(List.of(new LoadBalancerController(), new PersistentVolumeBinder(), new NamespaceController(),
          new CustomResourceDefinitionController(), new ApiServiceController(), new HorizontalPodAutoscalerController()));
    }
    out.add(new Kubelet());
    out.add(new GarbageCollector());
    return List.copyOf(out);
  }

  /** A builder for a simulator of {@code cluster} on {@code clock}. */
  public static Builder builder(ClusterDriver cluster, Clock clock) {
    return new Builder(cluster, clock);
  }

  /** Configures a {@link WorkloadSimulator}; every duration must be zero or positive. */
  public static final class Builder {
    private final ClusterDriver driver;
    private final Clock clock;
    private Duration containerStart = Duration.ofSeconds(2);
    private Duration readiness = Duration.ofSeconds(1);
    private Duration jobRun = Duration.ofSeconds(5);
    private Duration crashAfter = Duration.ofSeconds(1);
    private Duration provisioning = Duration.ofSeconds(1);
    private int nodes = 1;
    private boolean infrastructure = true;
    private final SimState faults = new SimState();

    private Builder(ClusterDriver driver, Clock clock) {
      this.driver = Objects.requireNonNull(driver, "cluster");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** From pod creation until its containers run (scheduling, image pull, start). Default 2s. */
    public Builder containerStart(Duration value) {
      containerStart = checked("containerStart", value);
      return this;
    }

    /** From a container running until it is ready. Default 1s. */
    public Builder readiness(Duration value) {
      readiness = checked("readiness", value);
      return this;
    }

    /** How long a job's container runs before it exits. Default 5s. */
    public Builder jobRun(Duration value) {
      jobRun = checked("jobRun", value);
      return this;
    }

    /** How long a crash-looping container runs before it exits. Default 1s. */
    public Builder crashAfter(Duration value) {
      crashAfter = checked("crashAfter", value);
      return this;
    }

    /** Until a load balancer address is assigned or a volume claim is bound. Default 1s. */
    public Builder provisioning(Duration value) {
      provisioning = checked("provisioning", value);
      return this;
    }

    /** How many nodes there are (one DaemonSet pod each). Default 1. */
    public Builder nodes(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("nodes must be at least 1, got " + count);
      }
      nodes = count;
      return this;
    }

    /**
     * Whether to also play load balancers, volume binding and the API server's status for
     * Namespaces, CRDs, APIServices and HPAs. Default true.
     */
    public Builder infrastructure(boolean value) {
      infrastructure = value;
      return this;
    }

    /** Scripts a fault for the pods of a workload (or of a Pod itself); the key's cluster is ignored. */
    public Builder fail(ResourceKey workload, Fault fault) {
      faults.resourceFaults.put(Objects.requireNonNull(workload, "workload").inCluster(""), Objects.requireNonNull(fault, "fault"));
      return this;
    }

    /** Scripts a fault for every container running exactly this image reference. */
    public Builder failImage(String image, Fault fault) {
      if (image == null || image.isBlank()) {
        throw new IllegalArgumentException("image must not be blank");
      }
      faults.imageFaults.put(image, Objects.requireNonNull(fault, "fault"));
      return this;
    }

    public WorkloadSimulator build() {
      return new WorkloadSimulator(this);
    }

    private static Duration checked(String name, Duration value) {
      if (value == null || value.isNegative()) {
        throw new IllegalArgumentException(name + " must be zero or positive, got " + value);
      }
      return value;
    }
  }

  /** Scripts a fault for pods created from now on for a workload; the key's cluster is ignored. */
  public synchronized WorkloadSimulator fail(ResourceKey workload, Fault fault) {
    state.resourceFaults.put(Objects.requireNonNull(workload, "workload").inCluster(""), Objects.requireNonNull(fault, "fault"));
    return this;
  }

  /** Scripts a fault for containers of pods created from now on that run this image. */
  public synchronized WorkloadSimulator failImage(String image, Fault fault) {
    state.imageFaults.put(Objects.requireNonNull(image, "image"), Objects.requireNonNull(fault, "fault"));
    return this;
  }

  /** Removes every scripted fault; pods that already have one keep it (replace them to heal). */
  public synchronized WorkloadSimulator clearFaults() {
    state.resourceFaults.clear();
    state.imageFaults.clear();
    return this;
  }

  /** One pass of every simulated controller at the clock's instant; returns the number of writes. */
  public synchronized int tick() {
    if (inPass) {
      dirty = true;
      return 0;
    }
    inPass = true;
    try {
      Pass pass = new Pass(driver, state, timings, nodes, clock.instant());
      pass.run(controllers);
      next = pass.next().orElse(null);
      return pass.writes();
    } finally {
      inPass = false;
    }
  }

  /**
   * Repeats passes at the clock's instant until one writes nothing; returns the number of
   * writes. Throws {@link IllegalStateException} if the cluster does not settle (a bug).
   */
  public synchronized int runUntilIdle() {
    if (inPass) {
      dirty = true;
      return 0;
    }
    int total = 0;
    for (int passes = 1; ; passes++) {
      dirty = false;
      int writes = tick();
      total += writes;
      if (writes == 0 && !dirty) {
        return total;
      }
      if (passes >= MAX_PASSES) {
        throw new IllegalStateException("the simulated cluster " + driver.name() + " did not settle after "
            + MAX_PASSES + " passes at " + clock.instant());
      }
    }
  }

  /**
   * The next instant at which something changes by itself (a container starts, a pod becomes
   * ready, a job finishes, a progress deadline passes), as of the last pass; empty when nothing
   * is pending.
   */
  public synchronized Optional<Instant> nextTransition() {
    return Optional.ofNullable(next);
  }

  /**
   * Moves the {@link ManualClock} forward by {@code by}, stopping at every transition on the way
   * to run the simulation there, so states in between are written as they would be.
   */
  public synchronized Instant advance(Duration by) {
    ManualClock manual = manualClock();
    if (by.isNegative()) {
      throw new IllegalArgumentException("cannot advance by a negative duration: " + by);
    }
    Instant end = manual.instant().plus(by);
    runUntilIdle();
    while (next != null && !next.isAfter(end)) {
      manual.advance(Duration.between(manual.instant(), next));
      runUntilIdle();
    }
    if (manual.instant().isBefore(end)) {
      manual.advance(Duration.between(manual.instant(), end));
      runUntilIdle();
    }
    return manual.instant();
  }

  /**
   * Advances the {@link ManualClock} from transition to transition until nothing is pending or
   * {@code limit} has passed; returns how much time passed.
   */
  public synchronized Duration settle(Duration limit) {
    ManualClock manual = manualClock();
    Instant start = manual.instant();
    Instant end = start.plus(limit);
    runUntilIdle();
    while (next != null && !next.isAfter(end)) {
      manual.advance(Duration.between(manual.instant(), next));
      runUntilIdle();
    }
    return Duration.between(start, manual.instant());
  }

  /**
   * The kinds this simulator plays and reads: what to watch to run it from outside (as {@link
   * #start()} does), e.g. on a real API server where events arrive on other threads.
   */
  public List<GroupKind> kinds() {
    return Pass.kinds(controllers);
  }

  /**
   * Reacts on its own from now on: runs until idle on every watch event for the kinds it plays and, with
   * a {@link ManualClock}, after every advance. Calls run on the thread that delivers them.
   */
  public synchronized WorkloadSimulator start() {
    if (!subscriptions.isEmpty()) {
      throw new IllegalStateException("the simulator is already started");
    }
    subscriptions.add(driver.watch(kinds(), e -> runUntilIdle()));
    if (clock instanceof ManualClock manual) {
      subscriptions.add(manual.onAdvance(t -> runUntilIdle()));
    }
    runUntilIdle();
    return this;
  }

  /** Stops reacting to events and clock advances; the cluster keeps what was written. */
  @Override
  public synchronized void close() {
    for (AutoCloseable s : subscriptions) {
      try {
        s.close();
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger(WorkloadSimulator.class).warn("could not stop a simulator subscription", e);
      }
    }
    subscriptions.clear();
  }

  private ManualClock manualClock() {
    if (clock instanceof ManualClock manual) {
      return manual;
    }
    throw new IllegalStateException("advance and settle need a ManualClock; with " + clock
        + " call tick() or runUntilIdle() when time has passed");
  }
}
