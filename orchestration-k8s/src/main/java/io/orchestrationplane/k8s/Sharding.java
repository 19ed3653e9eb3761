package io.orchestrationplane.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.orchestrationplane.core.cluster.WritePermit;
import io.orchestrationplane.k8s.internal.ShardLeases;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the applications among replicas of a plane through Kubernetes Leases: each application
 * belongs to one of S shards ({@link ShardAssignment#shardOf}), each shard is owned through its
 * own {@code coordination.k8s.io/v1} Lease, and shards are balanced over the live replicas (each
 * replica keeps a heartbeat Lease) by {@link ShardAssignment#owners}. As a {@link WritePermit} it
 * allows writes only for applications of shards this replica owns; continuous mode does not
 * reconcile the others. The shard count lives in the ConfigMap {@code <name>-sharding} and may be
 * changed at run time ({@link #changeShardCount}); so may the replicas.
 *
 * <pre>{@code
 * Sharding sharding = Sharding.builder(cluster, "ops", "orchestration-plane", podName).shards(12).build();
 * OrchestrationPlane plane = OrchestrationPlane.builder().clusters(registry).writePermit(sharding).build();
 * try (ShardedPlane sharded = ShardedPlane.start(plane, sharding)) {
 *   plane.submit(app);   // every replica knows every application; the shard's owner reconciles it
 * }
 * }</pre>
 *
 * <p>Timing as client-go's leader election: a Lease held by another is taken over once this
 * replica has seen it unrenewed for the lease duration; the owner stops writing for a shard it
 * could not renew within the renew deadline, which is shorter. Defaults: 15 s lease, 10 s renew
 * deadline, 2 s retry period. All timing is on the builder's clock; {@link #tick()} runs one round
 * (what the background thread of {@link #start()} does every retry period). See
 * docs/kubernetes.md, "Sharding across replicas", for the model and its limits.
 */
public final class Sharding implements WritePermit, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sharding.class);
  private static final Pattern IDENTITY = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

  private final ShardLeases leases;
  private final String namespace;
  private final String name;
  private final String identity;
  private final Duration retryPeriod;
  private final Clock clock;
  private final List<Consumer<ShardingEvent>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Supplier<Collection<String>> inFlight = List::of;
  private volatile @Nullable ScheduledExecutorService ticker;

  private Sharding(Builder b) {
    this.namespace = b.namespace;
    this.name = b.name;
    this.identity = b.identity;
    this.retryPeriod = b.retryPeriod;
    this.clock = b.clock;
    this.listeners.addAll(b.listeners);
    this.leases = new ShardLeases(b.client, b.namespace, b.name, b.identity, b.shards, b.leaseDuration,
        b.renewDeadline, b.clock);
  }

  /**
   * A builder for replica {@code identity} (unique per replica, e.g. the pod name; a DNS label)
   * sharing the sharding {@code name} in {@code namespace} with the other replicas.
   */
  public static Builder builder(KubernetesClient client, String namespace, String name, String identity) {
    return new Builder(client, namespace, name, identity);
  }

  /** The same, through a {@link KubernetesCluster}'s client. */
  public static Builder builder(KubernetesCluster cluster, String namespace, String name, String identity) {
    return new Builder(cluster.client(), namespace, name, identity);
  }

  /** Builds a {@link Sharding}; timing values are checked together at {@link #build()}. */
  public static final class Builder {
    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String identity;
    private int shards = 16;
    private Duration leaseDuration = Duration.ofSeconds(15);
    private Duration renewDeadline = Duration.ofSeconds(10);
    private Duration retryPeriod = Duration.ofSeconds(2);
    private Clock clock = Clock.systemUTC();
    private final List<Consumer<ShardingEvent>> listeners = new CopyOnWriteArrayList<>();

    private Builder(KubernetesClient client, String namespace, String name, String identity) {
      this.client = Objects.requireNonNull(client, "client");
      this.namespace = dnsName(namespace, "namespace");
      this.name = dnsName(name, "name");
      this.identity = dnsName(identity, "identity");
      if (name.length() + identity.length() + 8 > 253) {
        throw new IllegalArgumentException("name and identity are too long for Lease names (name-member-identity "
            + "must fit 253 characters)");
      }
    }

    /**
     * The shard count used when the ConfigMap {@code <name>-sharding} does not exist yet (it is
     * created with it); once it exists its {@code data.shards} wins (default 16, 1 to 4096).
     */
    public Builder shards(int value) {
      ShardAssignment.checkShards(value);
      this.shards = value;
      return this;
    }

    /** How long a Lease is valid after its last renewal (whole seconds, at least 1; default 15 s). */
    public Builder leaseDuration(Duration value) {
      Objects.requireNonNull(value, "leaseDuration");
      if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.toNanosPart() != 0) {
        throw new IllegalArgumentException("leaseDuration must be whole seconds, at least 1 s (Lease "
            + "spec.leaseDurationSeconds), got " + value);
      }
      this.leaseDuration = value;
      return this;
    }

    /** How long after its last renewal a replica stops writing for a shard (default 10 s). */
    public Builder renewDeadline(Duration value) {
      this.renewDeadline = positive(value, "renewDeadline");
      return this;
    }

    /** How often the background thread runs a round (default 2 s). */
    public Builder retryPeriod(Duration value) {
      this.retryPeriod = positive(value, "retryPeriod");
      return this;
    }

    /** The clock every Lease time is read from and written with. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Receives every {@link ShardingEvent}. */
    public Builder onEvent(Consumer<ShardingEvent> listener) {
      this.listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The sharding, not yet started. Throws {@link IllegalArgumentException} unless leaseDuration
     * &gt; renewDeadline &gt; retryPeriod.
     */
    public Sharding build() {
      if (leaseDuration.compareTo(renewDeadline) <= 0) {
        throw new IllegalArgumentException("leaseDuration (" + leaseDuration + ") must be longer than renewDeadline ("
            + renewDeadline + "): a replica must stop writing before another may take its shards");
      }
      if (renewDeadline.compareTo(retryPeriod) <= 0) {
        throw new IllegalArgumentException("renewDeadline (" + renewDeadline + ") must be longer than retryPeriod ("
            + retryPeriod + ")");
      }
      return new Sharding(this);
    }
  }

  /** Runs a round every retry period on a background thread; returns at once. */
  public void start() {
    if (closed.get()) {
      throw new IllegalStateException("sharding " + identity + " is closed");
    }
    if (started.compareAndSet(false, true)) {
      ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sharding-" + name + "-" + identity);
        t.setDaemon(true);
        return t;
      });
      ticker = s;
      s.scheduleWithFixedDelay(this::safeTick, 0, retryPeriod.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void safeTick() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warn("sharding round of {} failed", identity, e);
    }
  }

  /**
   * One round, now: reads the shard count, renews this replica's heartbeat, lists the Leases,
   * releases shards no longer assigned here whose work has stopped, renews the rest, and acquires
   * assigned shards that are free or expired. Listeners hear what changed.
   */
  public void tick() {
    if (closed.get()) {
      return;
    }
    List<ShardLeases.Change> changes = leases.tick(
        (count, members) -> ShardAssignment.shardsOf(identity, count, members), this::busy);
    changes.forEach(this::emit);
  }

  private int busy(int shard, int count) {
    for (String id : inFlight.get()) {
      if (ShardAssignment.shardOf(id, count) == shard) {
        return 1;
      }
    }
    return 0;
  }

  /** Where {@link ShardedPlane} says which applications are being reconciled, which holds releases back. */
  void workInProgress(Supplier<Collection<String>> applications) {
    this.inFlight = Objects.requireNonNull(applications, "applications");
  }

  /** Writes allowed for some application: empty while this replica owns at least one shard. */
  @Override
  public Optional<String> refusal() {
    return leases.owned().isEmpty() ? Optional.of("replica " + identity + " owns no shard of " + namespace + "/" + name)
        : Optional.empty();
  }

  /** Empty when this replica owns the shard of {@code applicationId} now; else why not. */
  @Override
  public Optional<String> refusal(String applicationId) {
    int count = leases.shards();
    int shard = ShardAssignment.shardOf(applicationId, count);
    return leases.owns(shard, count) ? Optional.empty() : Optional.of("replica " + identity + " does not own shard "
        + shard + " of " + count + " (" + leases.describe(shard) + ") that application " + applicationId
        + " belongs to");
  }

  /** True when this replica owns the application's shard now. */
  public boolean owns(String applicationId) {
    return refusal(applicationId).isEmpty();
  }

  /**
   * The Lease epoch ({@code spec.leaseTransitions} of the shard's Lease when this replica acquired
   * it) under which this replica owns the application now, when it does. Epochs of a shard only
   * grow: two owners of one application never share one.
   */
  public Optional<Integer> epoch(String applicationId) {
    int count = leases.shards();
    return leases.epoch(ShardAssignment.shardOf(applicationId, count), count);
  }

  /** The shard of an application under the current shard count. */
  public int shardOf(String applicationId) {
    return ShardAssignment.shardOf(applicationId, leases.shards());
  }

  /** The shards this replica owns now. */
  public Set<Integer> ownedShards() {
    return leases.owned();
  }

  /** The shard count, as last read. */
  public int shardCount() {
    return leases.shards();
  }

  /** The replicas whose heartbeat was live at the last round, this one included. */
  public Set<String> members() {
    return leases.members();
  }

  /**
   * Changes the shard count for every replica (writes {@code data.shards} of the ConfigMap
   * {@code <name>-sharding}); each replica switches at its next round: it stops writing for its
   * shards of the old count, releases them once their work stopped, and shards of the new count
   * are acquired only when no Lease of the old count is held any more.
   */
  public void changeShardCount(int shards) {
    ShardAssignment.checkShards(shards);
    leases.changeShardCount(shards);
  }

  public String identity() {
    return identity;
  }

  /** Adds a listener. */
  public void addListener(Consumer<ShardingEvent> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Stops the rounds, stops writing for every shard and releases the shards whose work has
   * stopped and the heartbeat, so the other replicas take them over at their next round instead
   * of after a lease duration.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ScheduledExecutorService s = ticker;
    if (s != null) {
      s.shutdownNow();
    }
    leases.releaseAll(this::busy).forEach(this::emit);
  }

  private void emit(ShardLeases.Change change) {
    ShardingEvent event;
    if (change instanceof ShardLeases.Change.Acquired a) {
      event = new ShardingEvent(ShardingEvent.Type.ACQUIRED, identity, a.shard(), a.shards(), a.transitions(),
          clock.instant());
    } else if (change instanceof ShardLeases.Change.Released r) {
      event = new ShardingEvent(ShardingEvent.Type.RELEASED, identity, r.shard(), r.shards(), -1, clock.instant());
    } else if (change instanceof ShardLeases.Change.Lost l) {
      event = new ShardingEvent(ShardingEvent.Type.LOST, identity, l.shard(), l.shards(), -1, clock.instant());
    } else {
      ShardLeases.Change.CountChanged c = (ShardLeases.Change.CountChanged) change;
      event = new ShardingEvent(ShardingEvent.Type.SHARD_COUNT_CHANGED, identity, -1, c.to(), -1, clock.instant());
    }
    for (Consumer<ShardingEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("sharding listener of {} failed", identity, e);
      }
    }
  }

  private static String dnsName(String value, String what) {
    if (value == null || value.length() > 63 || !IDENTITY.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " must be a lower-case DNS name (a-z, 0-9, '-', '.'; at most 63 "
          + "characters), got " + (value == null ? "null" : "'" + value + "'"));
    }
    return value;
  }

  private static Duration positive(Duration value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
    return value;
  }
}
