package io.orchestrationplane.k8s;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.Preconditions;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.k8s.internal.ApiDiscovery;
import io.orchestrationplane.k8s.internal.CallGuard;
import io.orchestrationplane.k8s.internal.ClusterReads;
import io.orchestrationplane.k8s.internal.ClusterWatches;
import io.orchestrationplane.k8s.internal.ClusterWrites;
import io.orchestrationplane.k8s.internal.ObjectMemory;
import io.orchestrationplane.k8s.internal.RetryAfterHints;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ClusterDriver} for a real Kubernetes API server, on fabric8 kubernetes-client with
 * the JDK HTTP client. Any kind the server serves works, CRDs included (API discovery, cached
 * and refreshed on a miss). Every call goes through the cluster's {@link ClusterLimits}: rate
 * limiter, circuit breaker, retry with backoff; failures are {@link
 * io.orchestrationplane.core.cluster.ClusterException}s.
 *
 * <pre>{@code
 * try (KubernetesCluster prod = KubernetesCluster.builder("prod")
 *     .config(Config.autoConfigure("prod-context"))
 *     .limits(ClusterLimits.builder().requestsPerSecond(100).build())
 *     .onWatchFailure(f -> alerts.raise(f))
 *     .onRetry(r -> metrics.retried(r.cluster()))
 *     .build()) {
 *   prod.apply(resource);
 * }
 * }</pre>
 *
 * <p>Apply uses server-side apply with field manager {@value #FIELD_MANAGER} where the server
 * supports it and otherwise a create or a read-merge-update with optimistic concurrency (see
 * {@link ApplyMode}). Watches run one fabric8 informer per requested kind; their events arrive on
 * fabric8's informer threads, and informer failures are logged and passed to
 * {@link Builder#onWatchFailure}. The driver passes the {@code ClusterDriverConformance} kit of
 * the testkit (docs/drivers.md).
 *
 * <p>This class is the facade; the work is done by collaborators in {@code k8s.internal}, built
 * once per cluster: discovery ({@code ApiDiscovery}), resilience ({@code CallGuard}), reads
 * ({@code ClusterReads}), writes ({@code ClusterWrites}) and watches ({@code ClusterWatches}),
 * sharing what the driver remembers about objects ({@code ObjectMemory}).
 */
public final class KubernetesCluster implements ClusterDriver {
  /** The field manager of server-side apply. */
  public static final String FIELD_MANAGER = "orchestration-plane";

  private final String name;
  private final KubernetesClient client;
  private final boolean ownsClient;
  private final ClusterLimits limits;
  private final CallGuard guard;
  private final ApiDiscovery discovery;
  private final ResourceConverter converter;
  private final ClusterWatches watches;
  private final ClusterReads reads;
  private final ClusterWrites writes;

  private KubernetesCluster(Builder b) {
    this.name = b.name;
    this.limits = b.limits;
    RetryAfterHints hints = new RetryAfterHints();
    if (b.client != null) {
      this.client = b.client;
      this.ownsClient = false;
    } else {
      Config base = b.config != null ? b.config : Config.autoConfigure(null);
      // Our own retry replaces fabric8's, so a failing call is retried once per policy, not twice.
      Config config = new ConfigBuilder(base)
          .withRequestRetryBackoffLimit(0)
          .withRequestTimeout((int) limits.requestTimeout().toMillis())
          .withConnectionTimeout((int) limits.connectTimeout().toMillis())
          .withWatchReconnectInterval((int) limits.initialBackoff().toMillis())
          .build();
      this.client = new KubernetesClientBuilder()
          .withConfig(config)
          .withHttpClientFactory(b.httpClientFactory != null ? b.httpClientFactory : new JdkHttpClientFactory())
          .withHttpClientBuilderConsumer(http -> http.addOrReplaceInterceptor("orchestration-plane-retry-after", hints))
          .build();
      this.ownsClient = true;
    }
    this.guard = new CallGuard(name, limits, b.clock, hints::take, b.retries, b.transitions);
    this.discovery = new ApiDiscovery(name, client, guard);
    this.converter = ResourceConverter.of(client.getKubernetesSerialization());
    ObjectMemory memory = new ObjectMemory(client.getKubernetesSerialization(), b.clock);
    this.watches = new ClusterWatches(name, client, discovery, memory, b.watchFailures, b.cachedReads, b.clock,
        limits.watchStallTimeout(), limits.requestTimeout().multipliedBy(3));
    this.reads = new ClusterReads(client, guard, discovery, watches, memory);
    this.writes = new ClusterWrites(name, client, guard, discovery, converter, reads, watches, memory, b.applyMode,
        limits.requestTimeout());
  }

  /** A builder for the cluster of that name (unique in a registry). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a {@link KubernetesCluster}. Give a fabric8 {@link Config} or a client; default: auto-configured. */
  public static final class Builder {
    private final String name;
    private @Nullable Config config;
    private @Nullable KubernetesClient client;
    private HttpClient.Factory httpClientFactory;
    private ClusterLimits limits = ClusterLimits.defaults();
    private ApplyMode applyMode = ApplyMode.AUTO;
    private boolean cachedReads = true;
    private Clock clock = Clock.systemUTC();
    private Consumer<WatchFailure> watchFailures = f -> {};
    private Consumer<RetryEvent> retries = e -> {};
    private Consumer<CircuitTransition> transitions = t -> {};

    private Builder(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("cluster name must not be blank");
      }
      this.name = name;
    }

    /** Where and how to connect; the cluster builds and owns its client. */
    public Builder config(Config value) {
      this.config = Objects.requireNonNull(value, "config");
      this.client = null;
      return this;
    }

    /**
     * Use this client as is (its own retry settings stay; the caller keeps ownership and closes
     * it). Limits still apply to every call the cluster makes.
     */
    public Builder client(KubernetesClient value) {
      this.client = Objects.requireNonNull(value, "client");
      this.config = null;
      return this;
    }

    /**
     * The fabric8 HTTP client for a client built from {@link #config}. Default: the JDK client
     * ({@code JdkHttpClientFactory}); pass e.g. {@code new OkHttpClientFactory()} after adding
     * {@code kubernetes-httpclient-okhttp} to swap it.
     */
    public Builder httpClientFactory(HttpClient.Factory value) {
      this.httpClientFactory = Objects.requireNonNull(value, "httpClientFactory");
      return this;
    }

    /** Retry, circuit breaker, rate limit and timeouts (default {@link ClusterLimits#defaults()}). */
    public Builder limits(ClusterLimits value) {
      this.limits = Objects.requireNonNull(value, "limits");
      return this;
    }

    /**
     * Whether get and list of a kind this cluster is watching are answered from the watch's
     * informer store (default true): no request per read, as fresh as the last watch event. Turn
     * off to read through to the API server every time.
     */
    public Builder cachedReads(boolean value) {
      this.cachedReads = value;
      return this;
    }

    public Builder applyMode(ApplyMode value) {
      this.applyMode = Objects.requireNonNull(value, "applyMode");
      return this;
    }

    /** The clock of the circuit breaker's open period. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Called (on an informer thread) whenever a watch's informer fails. */
    public Builder onWatchFailure(Consumer<WatchFailure> value) {
      this.watchFailures = Objects.requireNonNull(value, "onWatchFailure");
      return this;
    }

    /**
     * Called on the calling thread each time a call is sent again, with the wait before it (to
     * observe backoff and Retry-After, or to count retries in metrics). A listener that throws is
     * logged and ignored.
     */
    public Builder onRetry(Consumer<RetryEvent> value) {
      this.retries = Objects.requireNonNull(value, "onRetry");
      return this;
    }

    /**
     * Called each time the circuit breaker changes state (opens after repeated failures, lets a
     * probe through, closes again). A listener that throws is logged and ignored.
     */
    public Builder onCircuitTransition(Consumer<CircuitTransition> value) {
      this.transitions = Objects.requireNonNull(value, "onCircuitTransition");
      return this;
    }

    public KubernetesCluster build() {
      return new KubernetesCluster(this);
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** The fabric8 client this cluster talks through. */
  public KubernetesClient client() {
    return client;
  }

  /** Converts between {@link Resource} and fabric8 objects with this client's serialization. */
  public ResourceConverter converter() {
    return converter;
  }

  public ClusterLimits limits() {
    return limits;
  }

  /** How apply writes now: {@link ApplyMode#AUTO} until the first apply has found out. */
  public ApplyMode applyMode() {
    return writes.applyMode();
  }

  /** True while the circuit breaker rejects calls because the cluster kept failing. */
  public boolean isCircuitOpen() {
    return guard.circuitState() == CircuitState.OPEN;
  }

  /** The circuit breaker's state now; {@link Builder#onCircuitTransition} reports each change. */
  public CircuitState circuitState() {
    return guard.circuitState();
  }

  /**
   * The circuit breaker's state explained: why it is in it, since when and what happens next
   * ({@code circuit breaker OPEN for 12s (since ...): 4 of the last 5 calls failed (80%; it opens at
   * 50% of the last 8 calls failing ...); calls fail at once without reaching the cluster ...; a
   * probe goes through in 48s}).
   * Calls refused by an open circuit fail with this explanation in their message.
   */
  public String describeCircuit() {
    return guard.describe();
  }

  /** Forgets discovered kinds; the next call of each kind asks the server again. */
  public void refreshDiscovery() {
    discovery.invalidate();
  }

  /**
   * The object read in {@code apiVersion}, the version the plane writes it in; from then on reads
   * of its kind use that version (a cluster that serves a kind in several versions would
   * otherwise answer in its preferred one).
   */
  @Override
  public Optional<Resource> get(ResourceKey key, String apiVersion) {
    return reads.get(key, apiVersion);
  }

  @Override
  public Optional<Resource> get(ResourceKey key) {
    return reads.get(key);
  }

  @Override
  public List<Resource> list(GroupKind groupKind, @Nullable String namespace, Map<String, String> labels) {
    return reads.list(groupKind, namespace, labels);
  }

  @Override
  public Resource apply(Resource desired) {
    return writes.apply(desired);
  }

  /**
   * Creates the object with a POST, which the API server refuses with 409 AlreadyExists when an
   * object of that name exists: nothing is ever taken over.
   */
  @Override
  public Resource create(Resource object) {
    return writes.create(object);
  }

  /**
   * Replaces the object with a PUT carrying its resourceVersion: the API server refuses it with
   * 409 Conflict when the object moved on, and nothing is written.
   */
  @Override
  public Resource update(Resource object) {
    return writes.update(object);
  }

  /**
   * What a server-side apply of {@code desired} would store ({@code dryRun=All}, the plane's field
   * manager); empty when the server does not do server-side apply (kubernetes-mock-server) or the
   * cluster is set to client-side apply.
   */
  @Override
  public Optional<Resource> dryRunApply(Resource desired) {
    return writes.dryRunApply(desired);
  }

  @Override
  public Resource updateStatus(Resource withStatus) {
    return writes.updateStatus(withStatus);
  }

  @Override
  public boolean delete(ResourceKey key) {
    return writes.delete(key, DeletionPropagation.BACKGROUND);
  }

  /**
   * Deletes the object only while it has the given uid and resourceVersion: the DELETE carries
   * them as {@code DeleteOptions.preconditions}, which the API server checks atomically (409
   * Conflict otherwise). The object is also read first, so that servers that ignore
   * preconditions (kubernetes-mock-server) refuse a changed object too.
   */
  @Override
  public boolean delete(ResourceKey key, Preconditions preconditions) {
    return writes.delete(key, preconditions);
  }

  /** Deletes the object with the given propagation policy; false when it did not exist. */
  public boolean delete(ResourceKey key, DeletionPropagation propagation) {
    return writes.delete(key, propagation);
  }

  /**
   * Watches the given kinds (at least one: a real cluster serves too many kinds to watch them
   * all) in every namespace through one informer each. Each informer first lists, so the
   * listener sees an ADDED event for every existing object. Returns once every informer has
   * started; events arrive on informer threads.
   */
  @Override
  public AutoCloseable watch(Collection<GroupKind> kinds, Consumer<WatchEvent> listener) {
    Objects.requireNonNull(listener, "listener");
    return watches.watch(kinds, listener);
  }

  /** Stops every watch and, when the cluster built its client, closes it. */
  @Override
  public void close() {
    watches.close();
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "KubernetesCluster[" + name + "]";
  }
}
