package io.orchestrationplane.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
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
 * <p>Callbacks and {@link LeadershipEvent} listeners run in order on one thread of this
 * election, never on fabric8's elector thread, so a slow {@code onStartLeading} (a plane starting
 * its informers) cannot hold up the renewals that keep the lease (client-go also starts its
 * leader's work on a goroutine of its own).
 *
 * <p>As a {@link io.orchestrationplane.core.cluster.WritePermit} the election is fenced in time:
 * writes are allowed only while the last renewal this replica wrote is younger than the renew
 * deadline, so a replica whose elector is starved stops writing on its own before any other can
 * take the lease.
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
  private final LeaseFence fence;
  private final ExecutorService callbacks;

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
    this.fence = new LeaseFence(identity, renewDeadline, System::nanoTime, () -> ZonedDateTime.now(ZoneOffset.UTC));
    this.callbacks = Executors.newSingleThreadExecutor(task -> {
      Thread t = new Thread(task, "leader-election-" + identity);
      t.setDaemon(true);
      return t;
    });
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

  /**
   * True while this candidate holds the lease: fabric8's elector says it leads and its last
   * renewal is younger than the renew deadline.
   */
  public boolean isLeader() {
    return leading.get() && fence.holds();
  }

  /**
   * As a {@link io.orchestrationplane.core.cluster.WritePermit}: writing is allowed only while this
   * candidate leads. fabric8's elector stops leading once it could not renew within the renew
   * deadline, which is shorter than the lease, so a replica refuses writes before any other
   * replica can acquire the lease; and the permit also lapses by itself when the last renewal
   * this replica wrote is older than the renew deadline, however late the elector notices.
   */
  @Override
  public Optional<String> refusal() {
    if (!leading.get()) {
      return Optional.of("this replica (" + identity + ") does not hold the lease " + namespace + "/" + leaseName
          + (leader.get() == null ? "" : "; " + leader.get() + " leads"));
    }
    return fence.holds() ? Optional.empty() : Optional.of("this replica (" + identity + ") has not renewed the lease "
        + namespace + "/" + leaseName + " within the renew deadline (" + renewDeadline + ")");
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
    fence.release();
    callbacks.shutdown();
    if (!Thread.currentThread().getName().equals("leader-election-" + identity)) {
      try { // onStopLeading has run when close() returns (unless close() was called from a callback)
        if (!callbacks.awaitTermination(leaseDuration.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("leadership callbacks of {} still running {} after close", identity, leaseDuration);
        }
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
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
        .withLock(new FencedLock(new LeaseLock(namespace, leaseName, identity)))
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
        dispatch(event(LeadershipEvent.Type.ELECTION_FAILED), null, null);
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
      dispatch(event(LeadershipEvent.Type.STARTED_LEADING), onStartLeading, "onStartLeading");
    }
  }

  private void stoppedLeading() {
    if (leading.compareAndSet(true, false)) {
      fence.release();
      LOG.info("{} stopped leading lease {}/{}", identity, namespace, leaseName);
      dispatch(event(LeadershipEvent.Type.STOPPED_LEADING), onStopLeading, "onStopLeading");
    }
  }

  private void newLeader(String who) {
    leader.set(who);
    dispatch(event(LeadershipEvent.Type.NEW_LEADER), null, null);
  }

  /**
   * Runs a callback and the listeners of its event on this election's own thread, in the order
   * the elector saw them; once the election is closed and drained, late events are dropped.
   */
  private void dispatch(LeadershipEvent event, @Nullable Runnable callback,
      @Nullable String what) {
    try {
      callbacks.execute(() -> {
        emit(event);
        if (callback != null) {
          runCallback(callback, what);
        }
      });
    } catch (RejectedExecutionException closed) {
      LOG.debug("{} after leader election {} closed: not delivered", event.type(), identity);
    }
  }

  private LeadershipEvent event(LeadershipEvent.Type type) {
    return new LeadershipEvent(type, identity, leader.get(), clock.instant());
  }

  private void runCallback(Runnable callback, String what) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.warn("{} of leader election {} failed", what, identity, e);
    }
  }

  private void emit(LeadershipEvent event) {
    for (Consumer<LeadershipEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("leadership listener of {} failed", identity, e);
      }
    }
  }

  /**
   * fabric8's Lease lock, with every record this replica writes timed by the {@link LeaseFence},
   * and any unexpected exception turned into a {@link KubernetesClientException}: fabric8's acquire
   * loop retries those, while any other exception ends its round without completing it, which
   * would leave this candidate out of the election until restart.
   */
  private final class FencedLock implements Lock {
    private final LeaseLock lease;

    FencedLock(LeaseLock lease) {
      this.lease = lease;
    }

    @Override
    public @Nullable LeaderElectionRecord get(KubernetesClient kubernetesClient) {
      try {
        return lease.get(kubernetesClient);
      } catch (KubernetesClientException e) {
        throw e;
      } catch (RuntimeException e) {
        throw unexpected("reading", e);
      }
    }

    @Override
    public void create(KubernetesClient kubernetesClient, LeaderElectionRecord record) {
      try {
        lease.create(kubernetesClient, record);
      } catch (KubernetesClientException e) {
        throw e;
      } catch (RuntimeException e) {
        throw unexpected("creating", e);
      }
      fence.written(record);
    }

    @Override
    public void update(KubernetesClient kubernetesClient, LeaderElectionRecord record) {
      try {
        lease.update(kubernetesClient, record);
      } catch (KubernetesClientException e) {
        throw e;
      } catch (RuntimeException e) {
        throw unexpected("updating", e);
      }
      fence.written(record);
    }

    @Override
    public String identity() {
      return lease.identity();
    }

    @Override
    public String describe() {
      return lease.describe();
    }

    private KubernetesClientException unexpected(String what, RuntimeException e) {
      return new KubernetesClientException(what + " lease " + namespace + "/" + leaseName + " as " + identity
          + " failed: " + e, e);
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
