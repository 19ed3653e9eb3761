package io.orchestrationplane.testkit.junit;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.k8s.ClusterLimits;
import io.orchestrationplane.k8s.KubernetesCluster;
import io.orchestrationplane.testkit.PlaneEnvironment;
import io.orchestrationplane.testkit.PlaneEvents;
import io.orchestrationplane.testkit.internal.ClusterLookup;
import io.orchestrationplane.testkit.junit.internal.MockApiServers;
import io.orchestrationplane.testkit.junit.internal.QuietTrackingDriver;
import io.orchestrationplane.testkit.junit.internal.SimulatorPump;
import io.orchestrationplane.testkit.simulator.WorkloadSimulator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A world for one test over HTTP: an {@link OrchestrationPlane} in continuous mode with worker
 * threads, wired to one kubernetes-mock-server (CRUD mode) per named cluster through a {@link
 * KubernetesCluster} driver, a {@link WorkloadSimulator} per cluster writing pod and workload
 * status there on the real clock, a raw fabric8 {@link KubernetesClient} per cluster for
 * out-of-band edits, and the captured {@link PlaneEvents}. {@code @KubernetesOrchestrationTest}
 * builds one per test over mock servers it starts once per test class; build your own where
 * JUnit does not (it then starts and destroys its own servers).
 *
 * <pre>{@code
 * try (KubernetesEnvironment env = KubernetesEnvironment.builder().cluster("prod:tier=prod").build()) {
 *   assertThat(env.deploy(app)).isReady();            // submit, then await READY (simulated pods)
 *   env.client("prod").configMaps().inNamespace("shop").withName("cfg").edit(...);
 *   env.await(() -> ..., Duration.ofSeconds(10));     // polls; the plane works on its own threads
 * }
 * }</pre>
 *
 * <p>Real threads and HTTP are involved, so a test waits for what it expects: {@link #await},
 * {@link #awaitReady} or {@link #awaitIdle}. {@link #close()} leaves every server empty (servers
 * it was given are {@code reset()}, its own are destroyed), so the next test starts from nothing.
 * Thread-safe.
 */
public final class KubernetesEnvironment extends PlaneEnvironment {
  /** Driver limits for tests: a high rate limit and retries waiting milliseconds, not seconds. */
  public static final ClusterLimits FAST_LIMITS = ClusterLimits.builder()
      .requestsPerSecond(10_000)
      .initialBackoff(Duration.ofMillis(1))
      .maxBackoff(Duration.ofMillis(5))
      .jitter(0.1)
      .maxAttempts(4)
      .maxRetryAfter(Duration.ofMillis(50))
      .requestTimeout(Duration.ofSeconds(5))
      .connectTimeout(Duration.ofSeconds(2))
      .watchStallTimeout(Duration.ofSeconds(2))
      .build();

  /** How long {@link #await(BooleanSupplier)} and {@link #deploy} wait by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesEnvironment.class);
  private static final long POLL_NANOS = Duration.ofMillis(10).toNanos();
  /** How long watches must deliver nothing before they are closed (see {@link #close()}). */
  private static final Duration QUIET = Duration.ofMillis(150);
  private static final Duration QUIET_LIMIT = Duration.ofSeconds(5);

  private final Map<String, KubernetesMockServer> servers = new LinkedHashMap<>();
  private final List<KubernetesMockServer> ownServers = new ArrayList<>();
  private final Map<String, KubernetesCluster> clusters = new LinkedHashMap<>();
  private final Map<String, KubernetesClient> clients = new LinkedHashMap<>();
  private final List<KubernetesCluster> simulatorClusters = new ArrayList<>();
  private final Map<String, SimulatorPump> pumps = new LinkedHashMap<>();
  private final AtomicLong lastWatchActivity = new AtomicLong(System.nanoTime());
  private final Duration timeout;

  private KubernetesEnvironment(Builder b) {
    super(b, b.clock);
    this.timeout = b.timeout;
    Clock clock = b.clock;
    try {
      for (String name : declaredClusters().keySet()) {
        KubernetesMockServer server = b.servers.get(name);
        if (server == null) {
          server = MockApiServers.start();
          ownServers.add(server);
        }
        servers.put(name, server);
        Config config = new ConfigBuilder(Config.empty())
            .withMasterUrl(server.url("/")).withTrustCerts(true).withNamespace("default").build();
        KubernetesCluster cluster = KubernetesCluster.builder(name).config(config).limits(b.limits).clock(clock).build();
        clusters.put(name, cluster);
        clients.put(name, new KubernetesClientBuilder().withConfig(config)
            .withHttpClientFactory(new JdkHttpClientFactory()).build());
        // The simulator gets a driver of its own, as a controller in its own process would: then
        // the informer whose event starts a pass is the cache that pass reads, and the plane's
        // reads are served only by the plane's informers (a pass or a reconcile reading another
        // watch's lagging cache could miss what its event announced, and stall).
        KubernetesCluster simulatorCluster = KubernetesCluster.builder(name).config(config).limits(b.limits)
            .clock(clock).build();
        simulatorClusters.add(simulatorCluster);
        ClusterDriver simulatorDriver = new QuietTrackingDriver(simulatorCluster, lastWatchActivity);
        WorkloadSimulator simulator = addCluster(name, new QuietTrackingDriver(cluster, lastWatchActivity),
            WorkloadSimulator.builder(simulatorDriver, clock)
                .containerStart(Duration.ofMillis(50)).readiness(Duration.ofMillis(50)).jobRun(Duration.ofMillis(100))
                .crashAfter(Duration.ofMillis(50)).provisioning(Duration.ofMillis(50)));
        pumps.put(name, new SimulatorPump(simulatorDriver, simulator, clock));
      }
      buildPlane(pb -> pb.workers(b.workers).closeTimeout(Duration.ofSeconds(10)));
      pumps.values().forEach(SimulatorPump::start);
      startPlaneIfWanted();
    } catch (RuntimeException e) {
      closeParts();
      ownServers.forEach(KubernetesMockServer::destroy);
      throw e;
    }
  }

  /** A builder; without clusters the environment has one unlabelled cluster named {@code dev}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Configures a {@link KubernetesEnvironment}: the settings every environment takes (clusters,
   * plane settings, simulator customiser; see {@link PlaneEnvironment.Builder}) and those of HTTP
   * and the real clock. The simulators' timings start at 50 ms per step (100 ms for a job's run)
   * instead of seconds, since they pass on the real clock; {@code simulator(...)} changes them.
   */
  public static final class Builder extends PlaneEnvironment.Builder<Builder> {
    private final Map<String, KubernetesMockServer> servers = new HashMap<>();
    private int workers = 2;
    private Duration timeout = DEFAULT_TIMEOUT;
    private ClusterLimits limits = FAST_LIMITS;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Uses this running mock server for the cluster of that name instead of starting one; the
     * caller keeps it, and {@link KubernetesEnvironment#close()} resets it (empties its store).
     */
    public Builder server(String cluster, KubernetesMockServer server) {
      servers.put(Objects.requireNonNull(cluster, "cluster"), Objects.requireNonNull(server, "server"));
      return this;
    }

    /** The plane's worker threads (default 2). */
    public Builder workers(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("workers must be at least 1 (events arrive on other threads), got " + value);
      }
      workers = value;
      return this;
    }

    /** How long {@code await}, {@code awaitReady} and {@code deploy} wait by default (default 30 s). */
    public Builder timeout(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + value);
      }
      timeout = value;
      return this;
    }

    /** The drivers' limits (default {@link #FAST_LIMITS}). */
    public Builder limits(ClusterLimits value) {
      limits = Objects.requireNonNull(value, "limits");
      return this;
    }

    /**
     * The clock of the plane, the drivers and the simulators (default the system clock). It must
     * move on its own: the plane's and the simulators' timers run on real threads.
     */
    public Builder clock(Clock value) {
      if (value instanceof io.orchestrationplane.core.time.ManualClock) {
        throw new IllegalArgumentException("a ManualClock does not move on its own, and the environment's timers"
            + " run on real threads; use @OrchestrationTest / TestEnvironment for simulated time");
      }
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    @Override
    public KubernetesEnvironment build() {
      return new KubernetesEnvironment(this);
    }
  }

  /** The plane's driver of that cluster (the simulator has one of its own, with its own watch cache). */
  public KubernetesCluster cluster(String name) {
    return ClusterLookup.byName(clusters, name);
  }

  /** The driver of the only cluster. */
  public KubernetesCluster cluster() {
    return ClusterLookup.only(clusters);
  }

  /** A raw fabric8 client of that cluster's server, for out-of-band edits and checks (closed with the environment). */
  public KubernetesClient client(String name) {
    return ClusterLookup.byName(clients, name);
  }

  /** The raw client of the only cluster. */
  public KubernetesClient client() {
    return ClusterLookup.only(clients);
  }

  /** The mock API server of that cluster (to add expectations, say; they are cleared after the test). */
  public KubernetesMockServer server(String name) {
    return ClusterLookup.byName(servers, name);
  }

  /** The default timeout of the waiting methods. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Submits the application, waits (up to {@link #timeout()}) until it is READY and returns its
   * status; an {@link AssertionError} showing the status otherwise.
   */
  @Override
  public ApplicationStatus deploy(Application app) {
    plane().submit(app);
    return awaitReady(app);
  }

  /** Waits (up to {@link #timeout()}) until the plane reports the application READY; returns its status. */
  public ApplicationStatus awaitReady(Application app) {
    OrchestrationPlane plane = plane();
    await(() -> "application " + app.id() + " is not READY: " + plane.status(app).toText(),
        () -> plane.status(app).isReady(), timeout);
    return plane.status(app);
  }

  /**
   * Waits until the plane has nothing queued or running and no simulator pass is pending; false
   * on timeout. Idle is not converged: an application waiting for pods to become ready is idle.
   */
  public boolean awaitIdle(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (plane().awaitIdle(Duration.ofNanos(Math.max(left, 0))) && pumps.values().stream().noneMatch(SimulatorPump::isBusy)) {
          return true;
        }
        if (left <= 0) {
          return false;
        }
        LockSupport.parkNanos(POLL_NANOS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@link #await(BooleanSupplier, Duration)} with {@link #timeout()}. */
  public void await(BooleanSupplier condition) {
    await(condition, timeout);
  }

  /**
   * Polls the condition every 10 ms until it holds; an {@link AssertionError} after {@code limit}.
   * The one place the testkit waits on the wall clock: the plane, the informers and the simulator
   * work on their own threads, so a test can only wait for what it expects to see.
   */
  public static void await(BooleanSupplier condition, Duration limit) {
    await(() -> "condition not met", condition, limit);
  }

  /** Like {@link #await(BooleanSupplier, Duration)}; the failure says {@code describe.get()}, asked once at the timeout. */
  public static void await(Supplier<String> describe, BooleanSupplier condition, Duration limit) {
    Objects.requireNonNull(condition, "condition");
    if (limit == null || limit.isNegative()) {
      throw new IllegalArgumentException("limit must be zero or positive, got " + limit);
    }
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(describe.get() + " (waited " + limit + ")");
      }
      LockSupport.parkNanos(POLL_NANOS);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting: " + describe.get());
      }
    }
  }

  /**
   * Stops the simulators' passes, lets the watches go quiet, closes the plane, the simulators, the
   * drivers and the raw clients, lets the watches' closing settle, then empties every server:
   * given servers are reset (store, CRDs and expectations cleared), own servers destroyed.
   * Idempotent.
   */
  @Override
  public synchronized void close() {
    if (!markClosed()) {
      return;
    }
    // Closing an informer while the mock is still sending its watch replay can hang the mock's
    // event loop (every later request then times out), so the watches must be quiet first; the
    // simulators stop writing so that a test ending mid-rollout goes quiet too.
    pumps.values().forEach(SimulatorPump::stopPassing);
    awaitQuiet();
    closeParts();
    awaitQuiet();
    servers.forEach((name, server) -> {
      if (!ownServers.contains(server)) {
        server.reset();
      }
    });
    ownServers.forEach(KubernetesMockServer::destroy);
  }

  private void closeParts() {
    closePlane();
    pumps.values().forEach(SimulatorPump::close);
    clusters.values().forEach(KubernetesCluster::close);
    simulatorClusters.forEach(KubernetesCluster::close);
    clients.values().forEach(KubernetesClient::close);
  }

  /** Waits until no watch delivered an event or started for {@link #QUIET}, at most {@link #QUIET_LIMIT}. */
  private void awaitQuiet() {
    long limit = System.nanoTime() + QUIET_LIMIT.toNanos();
    while (true) {
      long now = System.nanoTime();
      long quietFor = now - lastWatchActivity.get();
      if (quietFor >= QUIET.toNanos()) {
        return;
      }
      if (now - limit > 0) {
        LOG.warn("watches were still busy after {}; closing anyway", QUIET_LIMIT);
        return;
      }
      LockSupport.parkNanos(QUIET.toNanos() - quietFor);
    }
  }

  @Override
  public String toString() {
    return "KubernetesEnvironment" + declaredClusters();
  }
}
