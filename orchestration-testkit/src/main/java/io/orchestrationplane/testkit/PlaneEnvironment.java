package io.orchestrationplane.testkit;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.testkit.internal.ClusterLookup;
import io.orchestrationplane.testkit.simulator.WorkloadSimulator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * What every test environment of the testkit is: an {@link OrchestrationPlane} wired to named,
 * labelled clusters, a {@link WorkloadSimulator} per cluster playing its controllers and kubelet,
 * and the captured {@link PlaneEvents}, built from the same settings. {@link TestEnvironment} runs
 * in memory on simulated time; {@code junit.KubernetesEnvironment} runs over HTTP against
 * kubernetes-mock-server on the real clock. Write helpers against this type to use them with
 * either:
 *
 * <pre>{@code
 * static void deploysTheShop(PlaneEnvironment env) {
 *   assertThat(env.deploy(shop())).isReady();
 *   assertThat(env.driver(env.clusterNames().get(0))).hasResource("Deployment", "shop/api");
 * }
 * }</pre>
 *
 * <p>Only the testkit's environments extend it: its protected members are the testkit's own
 * plumbing and may change without notice. Thread-safety is the subclass's: see each.
 */
public abstract class PlaneEnvironment implements AutoCloseable {
  private final Clock clock;
  private final Map<String, Map<String, String>> labels;
  private final Map<String, ClusterDriver> drivers = new LinkedHashMap<>();
  private final Map<String, WorkloadSimulator> simulators = new LinkedHashMap<>();
  private final PlaneEvents events = new PlaneEvents();
  private final boolean readinessGates;
  private final @Nullable Duration progressDeadline;
  private final boolean startPlane;
  private final UnaryOperator<WorkloadSimulator.Builder> simulator;
  private final List<Consumer<OrchestrationPlane.Builder>> planeSettings;
  private final AtomicBoolean closed = new AtomicBoolean();
  private @Nullable Consumer<OrchestrationPlane.Builder> runtime;
  private volatile @Nullable OrchestrationPlane plane;

  /** Takes the shared settings; the subclass then adds its clusters and builds the plane. */
  protected PlaneEnvironment(Builder<?> settings, Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    Map<String, Map<String, String>> declared = settings.clusters.isEmpty()
        ? Map.of("dev", Map.of()) : settings.clusters;
    this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(declared));
    this.readinessGates = settings.readinessGates;
    this.progressDeadline = settings.progressDeadline;
    this.startPlane = settings.startPlane;
    this.simulator = settings.simulator;
    this.planeSettings = List.copyOf(settings.plane);
  }

  /**
   * Settings every environment takes. Without clusters, an environment has one unlabelled cluster
   * named {@code dev}.
   *
   * @param <B> the environment's own builder, which every setter returns
   */
  public abstract static class Builder<B extends Builder<B>> {
    private final Map<String, Map<String, String>> clusters = new LinkedHashMap<>();
    private boolean readinessGates = true;
    private @Nullable Duration progressDeadline;
    private boolean startPlane = true;
    private UnaryOperator<WorkloadSimulator.Builder> simulator = UnaryOperator.identity();
    private final List<Consumer<OrchestrationPlane.Builder>> plane = new ArrayList<>();

    /** For the testkit's environments. */
    protected Builder() {}

    /**
     * Adds a cluster from {@code "name"} or {@code "name:key=value,key2=value2"} (its placement
     * labels), e.g. {@code "prod:tier=prod,region=eu"}.
     */
    public B cluster(String spec) {
      ClusterSpec parsed = ClusterSpec.parse(spec);
      return cluster(parsed.name(), parsed.labels());
    }

    /** Adds a cluster with placement labels. */
    public B cluster(String name, Map<String, String> labels) {
      ClusterSpec spec = new ClusterSpec(name, labels);
      if (clusters.containsKey(spec.name())) {
        throw new IllegalArgumentException("cluster '" + spec.name() + "' is declared twice");
      }
      clusters.put(spec.name(), spec.labels());
      return self();
    }

    /** Whether dependents wait for their dependencies to be healthy (default true, as the plane). */
    public B readinessGates(boolean value) {
      readinessGates = value;
      return self();
    }

    /** The plane's progress deadline (default the plane's, 10 minutes). */
    public B progressDeadline(Duration value) {
      progressDeadline = Objects.requireNonNull(value, "progressDeadline");
      return self();
    }

    /** Whether the plane starts in continuous mode (default true); false for plan/apply-only tests. */
    public B startPlane(boolean value) {
      startPlane = value;
      return self();
    }

    /** Customises every cluster's simulator (timings, nodes, scripted faults). */
    public B simulator(UnaryOperator<WorkloadSimulator.Builder> customiser) {
      simulator = Objects.requireNonNull(customiser, "customiser");
      return self();
    }

    /** Further plane settings (component types, health assessors, queue), applied last. */
    public B plane(Consumer<OrchestrationPlane.Builder> customiser) {
      plane.add(Objects.requireNonNull(customiser, "customiser"));
      return self();
    }

    /** Builds the environment: its clusters, simulators and plane, started unless told otherwise. */
    public abstract PlaneEnvironment build();

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }
  }

  // ---------------------------------------------------------------- for the subclasses' constructors

  /** The declared clusters' names and placement labels, in declaration order. */
  protected final Map<String, Map<String, String>> declaredClusters() {
    return labels;
  }

  /**
   * Registers a cluster: {@code driver} is what the plane talks to; the simulator is built from
   * {@code simulatorDefaults} with the builder's {@code simulator} customiser applied. Returns the
   * simulator, not started.
   */
  protected final WorkloadSimulator addCluster(String name, ClusterDriver driver,
      WorkloadSimulator.Builder simulatorDefaults) {
    if (!labels.containsKey(name) || drivers.containsKey(name)) {
      throw new IllegalStateException("cluster '" + name + "' is not declared or added twice");
    }
    drivers.put(name, driver);
    WorkloadSimulator built = simulator.apply(simulatorDefaults).build();
    simulators.put(name, built);
    return built;
  }

  /**
   * Builds the plane over the added clusters: the clock, the event listener, readiness gates and
   * progress deadline of the settings, then {@code runtime} (scheduler, workers...), the
   * clusters with their labels, and the builder's {@code plane} customisers last. Not started.
   */
  protected final void buildPlane(Consumer<OrchestrationPlane.Builder> runtime) {
    if (!drivers.keySet().equals(labels.keySet())) {
      throw new IllegalStateException("clusters declared " + labels.keySet() + " but added " + drivers.keySet());
    }
    if (plane != null) {
      throw new IllegalStateException("the plane is built already");
    }
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.plane = newPlane();
  }

  /** Starts the plane in continuous mode unless the settings said not to. */
  protected final void startPlaneIfWanted() {
    if (startPlane) {
      plane().start();
    }
  }

  /**
   * Closes the plane and builds a new one the same way over the same clusters, started if the old
   * one was; returns it.
   */
  protected final OrchestrationPlane replacePlane() {
    OrchestrationPlane old = plane();
    boolean started = old.isStarted();
    old.close();
    OrchestrationPlane fresh = newPlane();
    plane = fresh;
    if (started) {
      fresh.start();
    }
    return fresh;
  }

  /** Closes the plane, if it was built. */
  protected final void closePlane() {
    OrchestrationPlane p = plane;
    if (p != null) {
      p.close();
    }
  }

  /** Marks the environment closed; false if it already was. */
  protected final boolean markClosed() {
    return closed.compareAndSet(false, true);
  }

  /** Every cluster's simulator, in declaration order. */
  protected final Collection<WorkloadSimulator> simulators() {
    return Collections.unmodifiableCollection(simulators.values());
  }

  private OrchestrationPlane newPlane() {
    OrchestrationPlane.Builder pb = OrchestrationPlane.builder()
        .clock(clock).listener(events).readinessGates(readinessGates);
    Objects.requireNonNull(runtime, "runtime").accept(pb);
    if (progressDeadline != null) {
      pb.progressDeadline(progressDeadline);
    }
    labels.forEach((name, clusterLabels) -> pb.cluster(ClusterLookup.byName(drivers, name), clusterLabels));
    planeSettings.forEach(c -> c.accept(pb));
    return pb.build();
  }

  // ---------------------------------------------------------------- what users see

  /** The plane under test. */
  public OrchestrationPlane plane() {
    OrchestrationPlane p = plane;
    if (p == null) {
      throw new IllegalStateException("the plane is not built yet");
    }
    return p;
  }

  /** The clock of the plane, the clusters and the simulators. */
  public Clock clock() {
    return clock;
  }

  /** The events the plane emitted so far. */
  public PlaneEvents events() {
    return events;
  }

  /** Cluster names in declaration order. */
  public List<String> clusterNames() {
    return List.copyOf(labels.keySet());
  }

  /** The placement labels of a cluster; {@link NoSuchElementException} naming the known ones otherwise. */
  public Map<String, String> labels(String cluster) {
    return ClusterLookup.byName(labels, cluster);
  }

  /** What the plane talks to for that cluster. */
  public ClusterDriver driver(String name) {
    return ClusterLookup.byName(drivers, name);
  }

  /** What the plane talks to for the only cluster; {@link IllegalStateException} when there are several. */
  public ClusterDriver driver() {
    return ClusterLookup.only(drivers);
  }

  /** The simulator of that cluster. */
  public WorkloadSimulator simulator(String name) {
    return ClusterLookup.byName(simulators, name);
  }

  /** The simulator of the only cluster; {@link IllegalStateException} when there are several. */
  public WorkloadSimulator simulator() {
    return ClusterLookup.only(simulators);
  }

  /**
   * Submits the application and lets it converge, the environment's way (see the subclass);
   * returns its status.
   */
  public abstract ApplicationStatus deploy(Application app);

  /** True once {@link #close()} ran. */
  public boolean isClosed() {
    return closed.get();
  }

  /** Stops the plane and the simulators; see the subclass for what becomes of the clusters. */
  @Override
  public abstract void close();
}
