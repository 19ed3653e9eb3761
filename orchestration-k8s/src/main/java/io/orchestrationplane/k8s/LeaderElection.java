package io.orchestrationplane.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lease-based leader election among replicas of a controller, on fabric8's
 * {@link LeaderElector} and a {@code coordination.k8s.io/v1} Lease. Only the leader should
 * reconcile. Losing leadership calls {@code onStopLeading} and the candidate keeps campaigning,
 * so it can lead again later; nothing here ever exits the JVM. {@link #close()} steps down and
 * releases the lease so another candidate takes over without waiting for it to expire.
 *
 * <pre>{@code
 * LeaderElection election = LeaderElection.builder(client, "ops", "orchestration-plane", podName)
 *     .onStartLeading(controller::start)
 *     .onStopLeading(controller::stop)
 *     .build();
 * election.start();
 * }</pre>
 *
 * <p>Defaults: 15 s lease, 10 s renew deadline, 2 s retry period. fabric8's elector times the
 * lease with the system clock; the injected clock only stamps {@link LeadershipEvent}s.
 */
public final class LeaderElection implements AutoCloseable, io.orchestrationplane.core.cluster.WritePermit {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
  /** fabric8 jitters the retry period by up to this factor, and requires renewDeadline above it. */
  private static final double JITTER = 1.2;

  private final KubernetesClient client;
  private final String namespace;
  private final String leaseName;
  private final String identity;
  private final Duration leaseDuration;
  private final Duration renewDeadline;
  private final Duration retryPeriod;
  private final Runnable onStartLeading;
  private final Runnable onStopLeading;
  private final List<Consumer<LeadershipEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Clock clock;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicReference<String> leader = new AtomicReference<>();
  private final AtomicReference<LeaderElector> elector = new AtomicReference<>();
  private final AtomicReference<CompletableFuture<?>> round = new AtomicReference<>();

  private LeaderElection(Builder b) {
    this.client = b.client;
    this.namespace = b.namespace;
    this.leaseName = b.leaseName;
    this.identity = b.identity;
    this.leaseDuration = b.leaseDuration;
    this.renewDeadline = b.renewDeadline;
    this.retryPeriod = b.retryPeriod;
    this.onStartLeading = b.onStartLeading;
    this.onStopLeading = b.onStopLeading;
    this.listeners.addAll(b.listeners);
    this.clock = b.clock;
  }

  /**
   * A builder for the candidate {@code identity} (unique per replica, e.g. the pod name)
   * competing for the Lease {@code namespace/leaseName} through {@code client}.
   */
  public static Builder builder(KubernetesClient client, String namespace, String leaseName, String identity) {
    return new Builder(client, namespace, leaseName, identity);
  }

  /** The same, through a {@link KubernetesCluster}'s client. */
  public static Builder builder(KubernetesCluster cluster, String namespace, String leaseName, String identity) {
    return new Builder(cluster.client(), namespace, leaseName, identity);
  }

  /** Builds a {@link LeaderElection}; timing values are checked together at {@link #build()}. */
  public static final class Builder {
    private final KubernetesClient client;
    private final String namespace;
    private final String leaseName;
    private final String identity;
    private Duration leaseDuration = Duration.ofSeconds(15);
    private Duration renewDeadline = Duration.ofSeconds(10);
    private Duration retryPeriod = Duration.ofSeconds(2);
    private Runnable onStartLeading = () -> {};
    private Runnable onStopLeading = () -> {};
    private final List<Consumer<LeadershipEvent>> listeners = new CopyOnWriteArrayList<>();
    private Clock clock = Clock.systemUTC();

    private Builder(KubernetesClient client, String namespace, String leaseName, String identity) {
      this.client = Objects.requireNonNull(client, "client");
      this.namespace = notBlank(namespace, "namespace");
      this.leaseName = notBlank(leaseName, "leaseName");
      this.identity = notBlank(identity, "identity");
    }

    /** How long a lease is valid after its last renewal (default 15 s). */
    public Builder leaseDuration(Duration value) {
      this.leaseDuration = positive(value, "leaseDuration");
      return this;
    }

    /** How long the leader keeps trying to renew before it steps down (default 10 s). */
    public Builder renewDeadline(Duration value) {
      this.renewDeadline = positive(value, "renewDeadline");
      return this;
    }

    /** How often candidates try to acquire or renew (default 2 s). */
    public Builder retryPeriod(Duration value) {
      this.retryPeriod = positive(value, "retryPeriod");
      return this;
    }

    /** Runs (on fabric8's executor) when this candidate becomes the leader. */
    public Builder onStartLeading(Runnable value) {
      this.onStartLeading = Objects.requireNonNull(value, "onStartLeading");
      return this;
    }

    /** Runs when this candidate stops leading: lost the lease, or closed. */
    public Builder onStopLeading(Runnable value) {
      this.onStopLeading = Objects.requireNonNull(value, "onStopLeading");
      return this;
    }

    /** Receives every {@link LeadershipEvent}. */
    public Builder onEvent(Consumer<LeadershipEvent> listener) {
      this.listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The clock that stamps events. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The election, not yet started. Throws {@link IllegalArgumentException} unless
     * leaseDuration &gt; renewDeadline &gt; 1.2 × retryPeriod (fabric8's jitter).
     */
    public LeaderElection build() {
      if (leaseDuration.compareTo(renewDeadline) <= 0) {
        throw new IllegalArgumentException("leaseDuration (" + leaseDuration + ") must be longer than renewDeadline ("
            + renewDeadline + ")");
      }
      if (renewDeadline.toMillis() <= JITTER * retryPeriod.toMillis()) {
        throw new IllegalArgumentException("renewDeadline (" + renewDeadline + ") must be longer than 1.2 x retryPeriod ("
            + retryPeriod + ")");
      }
      return new LeaderElection(this);
    }
  }

  /** Starts campaigning in the background; returns at once. */
  public void start() {
    if (closed.get()) {
      throw new IllegalStateException("leader election " + identity + " for lease " + namespace + "/" + leaseName
          + " is closed");
    }
    if (started.compareAndSet(false, true)) {
      campaign();
    }
  }

  /** True while this candidate holds the lease. */
  public boolean isLeader() {
    return leading.get();
  }

  /**
   * As a {@link io.orchestrationplane.core.cluster.WritePermit}: writing is allowed only while this
   * candidate leads. fabric8's elector stops leading once it could not renew within the renew
   * deadline, which is shorter than the lease, so a replica refuses writes before any other
   * replica can acquire the lease.
   */
  @Override
  public Optional<String> refusal() {
    return leading.get() ? Optional.empty() : Optional.of("this replica (" + identity + ") does not hold the lease "
        + namespace + "/" + leaseName + (leader.get() == null ? "" : "; " + leader.get() + " leads"));
  }

  /** The leader the lease last named, when known. */
  public Optional<String> currentLeader() {
    return Optional.ofNullable(leader.get());
  }

  public String identity() {
    return identity;
  }

  /** Adds a listener for leadership events. */
  public void addListener(Consumer<LeadershipEvent> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private final Object campaignLock = new Object();

  /** Stops campaigning; a leader steps down (onStopLeading runs) and releases the lease. */
  @Override
  public void close() {
    CompletableFuture<?> current;
    synchronized (campaignLock) { // no new round can start once this holds
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      current = round.get();
    }
    if (current != null) {
      current.cancel(true);
    }
    LeaderElector e = elector.get();
    if (e != null && leading.get()) {
      try {
        e.release();
      } catch (RuntimeException ex) {
        LOG.warn("releasing lease {}/{} as {} failed", namespace, leaseName, identity, ex);
      }
    }
    stoppedLeading();
  }

  private void campaign() {
    synchronized (campaignLock) {
      if (closed.get()) {
        return;
      }
      startRound();
    }
  }

  private void startRound() {
    LeaderElectionConfig config = new LeaderElectionConfigBuilder()
        .withName(leaseName)
        .withLock(new LeaseLock(namespace, leaseName, identity))
        .withLeaseDuration(leaseDuration)
        .withRenewDeadline(renewDeadline)
        .withRetryPeriod(retryPeriod)
        .withReleaseOnCancel(true)
        .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader))
        .build();
    LeaderElector next = client.leaderElector().withConfig(config).build();
    elector.set(next);
    CompletableFuture<?> future = next.start();
    round.set(future);
    future.whenComplete((ignored, failure) -> {
      if (closed.get()) {
        return;
      }
      if (failure != null && !(failure instanceof CancellationException)) {
        LOG.warn("leader election round for lease {}/{} as {} failed; campaigning again", namespace, leaseName,
            identity, failure);
        emit(LeadershipEvent.Type.ELECTION_FAILED);
      }
      stoppedLeading();
      // fabric8's elector ends its round when leadership is lost; campaign again (after one
      // retry period, so a round failing at once cannot spin) so this candidate can lead later,
      // instead of exiting as some operator frameworks do.
      CompletableFuture.runAsync(this::campaign,
          CompletableFuture.delayedExecutor(retryPeriod.toMillis(), TimeUnit.MILLISECONDS));
    });
  }

  private void startedLeading() {
    if (closed.get()) {
      return; // a round that won the lease as the election closed: close() releases it
    }
    if (leading.compareAndSet(false, true)) {
      LOG.info("{} leads lease {}/{}", identity, namespace, leaseName);
      emit(LeadershipEvent.Type.STARTED_LEADING);
      runCallback(onStartLeading, "onStartLeading");
    }
  }

  private void stoppedLeading() {
    if (leading.compareAndSet(true, false)) {
      LOG.info("{} stopped leading lease {}/{}", identity, namespace, leaseName);
      emit(LeadershipEvent.Type.STOPPED_LEADING);
      runCallback(onStopLeading, "onStopLeading");
    }
  }

  private void newLeader(String who) {
    leader.set(who);
    emit(LeadershipEvent.Type.NEW_LEADER);
  }

  private void runCallback(Runnable callback, String what) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.warn("{} of leader election {} failed", what, identity, e);
    }
  }

  private void emit(LeadershipEvent.Type type) {
    LeadershipEvent event = new LeadershipEvent(type, identity, leader.get(), clock.instant());
    for (Consumer<LeadershipEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("leadership listener of {} failed", identity, e);
      }
    }
  }

  private static String notBlank(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  private static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }
}
