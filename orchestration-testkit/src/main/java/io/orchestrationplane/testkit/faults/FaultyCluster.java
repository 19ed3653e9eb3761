package io.orchestrationplane.testkit.faults;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.Preconditions;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ClusterDriver} decorator that fails calls the way a real API server and network do:
 * random failures at a per-operation rate drawn from a seeded mix, scripted failures for chosen
 * objects, added latency and partitions. The same seed and the same sequence of calls give the
 * same failures, so a test that found a bug finds it again.
 *
 * <pre>{@code
 * FaultyCluster prod = FaultyCluster.builder(InMemoryCluster.create("prod"))
 *     .seed(7)
 *     .errorRate(0.2)                                   // every operation
 *     .failures(Failure.CONFLICT, Failure.TOO_MANY_REQUESTS, Failure.SERVER_ERROR, Failure.TIMEOUT)
 *     .build();
 * prod.failNext(2, Operation.APPLY, "Deployment", "shop/api", Failure.CONFLICT);
 * prod.partition();   // every call fails UNAVAILABLE, watch events are lost
 * prod.heal();
 * prod.stats().injected(Failure.CONFLICT);
 * }</pre>
 *
 * <p>Scripted failures are used first, in the order they were added; then the random rate
 * applies. Latency never sleeps: with a {@link ManualClock} ({@link Builder#clock}) each call
 * moves that clock forward by its latency before it reaches the cluster, so timers come due as
 * they would; without one it is only counted in {@link FaultStats#addedLatency()}. Watches are
 * never failed at start; while partitioned their events are dropped (and not replayed on heal:
 * the plane's resync has to catch up, as after a real broken watch). Thread-safe.
 */
public final class FaultyCluster implements ClusterDriver {
  private final ClusterDriver delegate;
  private final Random random;
  private final Map<Operation, Double> rates;
  private final List<Failure> mix;
  private final Duration retryAfter;
  private final Map<Operation, Duration> latency;
  private final @Nullable ManualClock clock;
  private final List<Script> scripts = new ArrayList<>();
  private final Map<Operation, Long> calls = new EnumMap<>(Operation.class);
  private final Map<Failure, Long> injected = new EnumMap<>(Failure.class);
  private final Map<Operation, Long> injectedByOperation = new EnumMap<>(Operation.class);
  private Duration addedLatency = Duration.ZERO;
  private volatile boolean partitioned;

  /** A scripted failure: {@code remaining} more calls of {@code operation} on matching objects fail. */
  private static final class Script {
    final Operation operation;
    final @Nullable String kind;
    final @Nullable String namespacedName;
    final Failure failure;
    int remaining;

    Script(Operation operation, @Nullable String kind, @Nullable String namespacedName, Failure failure, int remaining) {
      this.operation = operation;
      this.kind = kind;
      this.namespacedName = namespacedName;
      this.failure = failure;
      this.remaining = remaining;
    }

    boolean matches(Operation op, GroupKind gk, String nsName) {
      if (op != operation) {
        return false;
      }
      if (kind != null && !kind.equals(gk.kind()) && !kind.equals(gk.toString())
          && !kind.equals(gk.group() + "/" + gk.kind())) {
        return false;
      }
      return namespacedName == null || namespacedName.equals(nsName);
    }
  }

  private FaultyCluster(Builder b) {
    this.delegate = b.delegate;
    this.random = new Random(b.seed);
    this.rates = new EnumMap<>(b.rates);
    this.mix = List.copyOf(b.mix);
    this.retryAfter = b.retryAfter;
    this.latency = new EnumMap<>(b.latency);
    this.clock = b.clock;
  }

  /** A builder decorating {@code delegate}; with no further settings nothing fails. */
  public static Builder builder(ClusterDriver delegate) {
    return new Builder(delegate);
  }

  /** Configures a {@link FaultyCluster}; every setter rejects a bad value at once. */
  public static final class Builder {
    private final ClusterDriver delegate;
    private long seed = 1;
    private final Map<Operation, Double> rates = new EnumMap<>(Operation.class);
    private final List<Failure> mix = new ArrayList<>(List.of(Failure.CONFLICT, Failure.TOO_MANY_REQUESTS,
        Failure.SERVER_ERROR, Failure.TIMEOUT));
    private Duration retryAfter = Duration.ofSeconds(1);
    private final Map<Operation, Duration> latency = new EnumMap<>(Operation.class);
    private @Nullable ManualClock clock;

    private Builder(ClusterDriver delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The seed of the random failures (default 1). */
    public Builder seed(long value) {
      seed = value;
      return this;
    }

    /** The probability, 0 to 1, that a call of any operation fails. */
    public Builder errorRate(double rate) {
      for (Operation op : Operation.values()) {
        errorRate(op, rate);
      }
      return this;
    }

    /** The probability, 0 to 1, that a call of {@code operation} fails. */
    public Builder errorRate(Operation operation, double rate) {
      if (Double.isNaN(rate) || rate < 0 || rate > 1) {
        throw new IllegalArgumentException("errorRate of " + operation + " must be between 0 and 1, got " + rate);
      }
      rates.put(Objects.requireNonNull(operation, "operation"), rate);
      return this;
    }

    /**
     * The failures random errors are drawn from, with equal weight (list one twice to double its
     * weight). Default: CONFLICT, TOO_MANY_REQUESTS, SERVER_ERROR, TIMEOUT.
     */
    public Builder failures(Failure... failures) {
      if (failures.length == 0) {
        throw new IllegalArgumentException("failures must name at least one Failure");
      }
      mix.clear();
      for (Failure f : failures) {
        mix.add(Objects.requireNonNull(f, "failure"));
      }
      return this;
    }

    /** The Retry-After of injected 429s (default 1 s); must be positive. */
    public Builder retryAfter(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("retryAfter must be positive, got " + value);
      }
      retryAfter = value;
      return this;
    }

    /** Latency added to every call. */
    public Builder latency(Duration value) {
      for (Operation op : Operation.values()) {
        latency(op, value);
      }
      return this;
    }

    /** Latency added to calls of one operation; zero or positive. */
    public Builder latency(Operation operation, Duration value) {
      if (value == null || value.isNegative()) {
        throw new IllegalArgumentException("latency of " + operation + " must be zero or positive, got " + value);
      }
      latency.put(Objects.requireNonNull(operation, "operation"), value);
      return this;
    }

    /** The clock that latency moves forward; without one latency is only counted. */
    public Builder clock(ManualClock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    public FaultyCluster build() {
      return new FaultyCluster(this);
    }
  }

  /** The decorated driver. */
  public ClusterDriver delegate() {
    return delegate;
  }

  /** The next {@code times} calls of {@code operation}, on any object, fail with {@code failure}. */
  public FaultyCluster failNext(int times, Operation operation, Failure failure) {
    return script(times, operation, null, null, failure);
  }

  /**
   * The next {@code times} calls of {@code operation} on objects of {@code kind} ({@code
   * "Deployment"} or {@code "apps/Deployment"}) named {@code namespacedName} ({@code "shop/api"},
   * or {@code null} for any) fail with {@code failure}. For LIST the name is the namespace listed.
   */
  public FaultyCluster failNext(int times, Operation operation, String kind, String namespacedName, Failure failure) {
    if (kind == null || kind.isBlank()) {
      throw new IllegalArgumentException("kind must not be blank");
    }
    return script(times, operation, kind, namespacedName, failure);
  }

  private FaultyCluster script(int times, Operation operation, @Nullable String kind, @Nullable String nsName, Failure failure) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1, got " + times);
    }
    Script s = new Script(Objects.requireNonNull(operation, "operation"), kind, nsName,
        Objects.requireNonNull(failure, "failure"), times);
    synchronized (this) {
      scripts.add(s);
    }
    return this;
  }

  /** Cuts the cluster off: every call fails UNAVAILABLE and watch events are dropped until {@link #heal()}. */
  public FaultyCluster partition() {
    partitioned = true;
    return this;
  }

  /** Ends a {@link #partition()}. */
  public FaultyCluster heal() {
    partitioned = false;
    return this;
  }

  public boolean isPartitioned() {
    return partitioned;
  }

  /** Calls, injected failures and added latency so far. */
  public synchronized FaultStats stats() {
    return new FaultStats(calls, injected, injectedByOperation, addedLatency);
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Optional<Resource> get(ResourceKey key) {
    return call(Operation.GET, key.groupKind(), key.namespacedName(), key.display(), () -> delegate.get(key));
  }

  @Override
  public Optional<Resource> get(ResourceKey key, String apiVersion) {
    return call(Operation.GET, key.groupKind(), key.namespacedName(), key.display(), () -> delegate.get(key, apiVersion));
  }

  @Override
  public List<Resource> list(GroupKind kind, @Nullable String namespace, Map<String, String> labels) {
    String subject = kind.kind() + (namespace == null ? " in every namespace" : " in " + namespace);
    return call(Operation.LIST, kind, namespace, subject, () -> delegate.list(kind, namespace, labels));
  }

  /** Several kinds in one call, as the delegate answers them: one LIST, which fails or not as a whole. */
  @Override
  public List<Resource> list(Collection<GroupKind> kinds, @Nullable String namespace, Map<String, String> labels) {
    GroupKind first = kinds.isEmpty() ? new GroupKind("", "*") : kinds.iterator().next();
    String subject = kinds.size() + " kinds" + (namespace == null ? " in every namespace" : " in " + namespace);
    return call(Operation.LIST, first, namespace, subject, () -> delegate.list(kinds, namespace, labels));
  }

  @Override
  public Resource apply(Resource desired) {
    return call(Operation.APPLY, desired.groupKind(), nsName(desired), display(desired), () -> delegate.apply(desired));
  }

  @Override
  public Resource create(Resource object) {
    return call(Operation.APPLY, object.groupKind(), nsName(object), display(object), () -> delegate.create(object));
  }

  @Override
  public Resource update(Resource object) {
    return call(Operation.APPLY, object.groupKind(), nsName(object), display(object), () -> delegate.update(object));
  }

  @Override
  public Optional<Resource> dryRunApply(Resource desired) {
    return call(Operation.GET, desired.groupKind(), nsName(desired), display(desired),
        () -> delegate.dryRunApply(desired));
  }

  @Override
  public Resource updateStatus(Resource withStatus) {
    return call(Operation.UPDATE_STATUS, withStatus.groupKind(), nsName(withStatus), display(withStatus),
        () -> delegate.updateStatus(withStatus));
  }

  @Override
  public boolean delete(ResourceKey key) {
    return call(Operation.DELETE, key.groupKind(), key.namespacedName(), key.display(), () -> delegate.delete(key));
  }

  @Override
  public boolean delete(ResourceKey key, Preconditions preconditions) {
    return call(Operation.DELETE, key.groupKind(), key.namespacedName(), key.display(),
        () -> delegate.delete(key, preconditions));
  }

  @Override
  public AutoCloseable watch(Collection<GroupKind> kinds, Consumer<WatchEvent> listener) {
    return delegate.watch(kinds, e -> {
      if (!partitioned) {
        listener.accept(e);
      }
    });
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "FaultyCluster[" + delegate.name() + "]";
  }

  private <T> T call(Operation op, GroupKind kind, @Nullable String nsName, String subject, Supplier<T> work) {
    Failure failure;
    Duration delay;
    synchronized (this) {
      calls.merge(op, 1L, Long::sum);
      failure = decide(op, kind, nsName);
      if (failure != null) {
        injected.merge(failure, 1L, Long::sum);
        injectedByOperation.merge(op, 1L, Long::sum);
      }
      delay = latency.getOrDefault(op, Duration.ZERO);
      addedLatency = addedLatency.plus(delay);
    }
    if (clock != null && !delay.isZero()) {
      clock.advance(delay);
    }
    if (failure == null) {
      return work.get();
    }
    if (failure == Failure.TIMEOUT_AFTER_WRITE && op.isWrite()) {
      work.get(); // the write lands; only the answer is lost
    }
    throw exception(failure, op, subject);
  }

  private @Nullable Failure decide(Operation op, GroupKind kind, @Nullable String nsName) {
    if (partitioned) {
      return Failure.UNAVAILABLE;
    }
    for (int i = 0; i < scripts.size(); i++) {
      Script s = scripts.get(i);
      if (s.matches(op, kind, nsName)) {
        if (--s.remaining == 0) {
          scripts.remove(i);
        }
        return s.failure;
      }
    }
    double rate = rates.getOrDefault(op, 0.0);
    if (rate > 0 && random.nextDouble() < rate) {
      return mix.get(random.nextInt(mix.size()));
    }
    return null;
  }

  private ClusterException exception(Failure failure, Operation op, String subject) {
    String cluster = delegate.name();
    String what = op.name().toLowerCase(java.util.Locale.ROOT) + " " + subject;
    return switch (failure) {
      case CONFLICT -> ClusterException.conflict(cluster, "injected conflict on " + what
          + ": the object has been modified; please apply your changes to the latest version and try again");
      case TOO_MANY_REQUESTS -> new ClusterException(cluster, ClusterException.Reason.TOO_MANY_REQUESTS,
          "injected 429 on " + what + ": too many requests, retry after " + retryAfter.toMillis() + "ms",
          retryAfter, null);
      case SERVER_ERROR -> ClusterException.serverError(cluster, "injected 500 on " + what + ": internal error");
      case TIMEOUT, TIMEOUT_AFTER_WRITE -> ClusterException.timeout(cluster, "injected timeout on " + what
          + ": no answer in time");
      case UNAVAILABLE -> ClusterException.unavailable(cluster, "cluster " + cluster + " unreachable (injected "
          + (partitioned ? "partition" : "failure") + ") on " + what, null);
    };
  }

  private static String nsName(Resource r) {
    String ns = r.namespace();
    return ns == null || ns.isEmpty() ? r.name() : ns + "/" + r.name();
  }

  private static String display(Resource r) {
    return r.kind() + " " + nsName(r);
  }
}
