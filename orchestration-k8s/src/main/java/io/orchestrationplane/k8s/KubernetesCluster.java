package io.orchestrationplane.k8s;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.k8s.internal.ApiDiscovery.ApiKind;
import io.orchestrationplane.k8s.internal.ApiDiscovery;
import io.orchestrationplane.k8s.internal.CallGuard;
import io.orchestrationplane.k8s.internal.ClientSideApply;
import io.orchestrationplane.k8s.internal.ClusterErrors;
import io.orchestrationplane.k8s.internal.InformerWatch;
import io.orchestrationplane.k8s.internal.RetryAfterHints;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link ClusterDriver} for a real Kubernetes API server, on fabric8 kubernetes-client with
 * the JDK HTTP client. Any kind the server serves works, CRDs included (API discovery, cached
 * and refreshed on a miss). Every call goes through the cluster's {@link ClusterLimits}: rate
 * limiter, circuit breaker, retry with backoff; failures are {@link ClusterException}s.
 *
 * <pre>{@code
 * try (KubernetesCluster prod = KubernetesCluster.builder("prod")
 *     .config(Config.autoConfigure("prod-context"))
 *     .limits(ClusterLimits.builder().requestsPerSecond(100).build())
 *     .onWatchFailure(f -> alerts.raise(f))
 *     .build()) {
 *   prod.apply(resource);
 * }
 * }</pre>
 *
 * <p>Apply uses server-side apply with field manager {@value #FIELD_MANAGER} where the server
 * supports it and otherwise a create or a read-merge-update with optimistic concurrency (see
 * {@link ApplyMode}). Watches run one fabric8 informer per requested kind; their events arrive on
 * fabric8's informer threads, and informer failures are logged and passed to
 * {@link Builder#onWatchFailure}.
 */
public final class KubernetesCluster implements ClusterDriver {
  /** The field manager of server-side apply. */
  public static final String FIELD_MANAGER = "orchestration-plane";

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesCluster.class);
  private static final int CONFLICT_RETRIES = 5;
  private static final Comparator<Resource> BY_NAMESPACE_AND_NAME =
      Comparator.comparing(Resource::namespace).thenComparing(Resource::name);

  private final String name;
  private final KubernetesClient client;
  private final boolean ownsClient;
  private final ClusterLimits limits;
  private final CallGuard guard;
  private final ApiDiscovery discovery;
  private final ResourceConverter converter;
  private final Consumer<WatchFailure> watchFailures;
  private final AtomicReference<ApplyMode> applyMode;
  private final Set<InformerWatch> watches = ConcurrentHashMap.newKeySet();
  private final boolean cachedReads;
  private final Map<String, Written> written = new ConcurrentHashMap<>();
  private final Clock clock;
  /**
   * Objects this cluster has seen exist (by apply, get or list; dropped on delete or a 404): a
   * hint that lets client-side apply create at once (one request) what is new, and read before
   * writing what exists, so re-applying a converged set sends no write request at all.
   */
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  /**
   * The last conversion of each cached object, by slot. Objects with the same resourceVersion
   * have the same content, so reads and watch events of an unchanged object hand out the very
   * same {@link Resource}: the planner sees by identity that nothing changed. Dropped on delete.
   */
  private final Map<String, Resource> converted = new ConcurrentHashMap<>();
  private volatile ScheduledExecutorService watchMonitor;

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
    this.guard = new CallGuard(name, limits, b.clock, hints::take);
    this.discovery = new ApiDiscovery(name, client, guard);
    this.converter = ResourceConverter.of(client.getKubernetesSerialization());
    this.watchFailures = b.watchFailures;
    this.applyMode = new AtomicReference<>(b.applyMode);
    this.cachedReads = b.cachedReads;
    this.clock = b.clock;
  }

  /** A builder for the cluster of that name (unique in a registry). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a {@link KubernetesCluster}. Give a fabric8 {@link Config} or a client; default: auto-configured. */
  public static final class Builder {
    private final String name;
    private Config config;
    private KubernetesClient client;
    private HttpClient.Factory httpClientFactory;
    private ClusterLimits limits = ClusterLimits.defaults();
    private ApplyMode applyMode = ApplyMode.AUTO;
    private boolean cachedReads = true;
    private Clock clock = Clock.systemUTC();
    private Consumer<WatchFailure> watchFailures = f -> {};

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
    return applyMode.get();
  }

  /** True while the circuit breaker rejects calls because the cluster kept failing. */
  public boolean isCircuitOpen() {
    CircuitBreaker.State s = guard.circuitBreaker().getState();
    return s == CircuitBreaker.State.OPEN || s == CircuitBreaker.State.FORCED_OPEN;
  }

  /** The cluster's circuit breaker, to observe its events and metrics. */
  public CircuitBreaker circuitBreaker() {
    return guard.circuitBreaker();
  }

  /** The cluster's retry, to observe its events (each retry and its wait). */
  public Retry retry() {
    return guard.retry();
  }

  /** Forgets discovered kinds; the next call of each kind asks the server again. */
  public void refreshDiscovery() {
    discovery.invalidate();
  }

  /**
   * The object read in {@code apiVersion}, the version the plane writes it in; from then on reads
   * of its kind use that version (see {@link ApiDiscovery#prefer}).
   */
  @Override
  public Optional<Resource> get(ResourceKey key, String apiVersion) {
    Objects.requireNonNull(apiVersion, "apiVersion");
    ApiKind wanted;
    try {
      wanted = discovery.resolve(apiVersion, key.kind());
    } catch (ClusterException e) {
      if (e.reason() == ClusterException.Reason.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
    discovery.prefer(wanted);
    return get(key);
  }

  @Override
  public Optional<Resource> get(ResourceKey key) {
    Objects.requireNonNull(key, "key");
    ApiKind kind = servedOrNull(key.groupKind());
    if (kind == null) {
      return Optional.empty();
    }
    SharedIndexInformer<GenericKubernetesResource> cache = cache(key.groupKind());
    if (cache != null) {
      String ns = kind.namespaced() ? key.namespace() : "";
      String cacheKey = ns.isEmpty() ? key.name() : ns + "/" + key.name();
      GenericKubernetesResource cached = cache.getStore().getByKey(cacheKey);
      return Optional.ofNullable(ownWriteOr(seenKey(kind, ns, key.name()), cached == null ? null : fromCache(cached)));
    }
    GenericKubernetesResource live = read(kind, key.namespace(), key.name());
    if (live == null) {
      seen.remove(seenKey(kind, key.namespace(), key.name()));
      return Optional.empty();
    }
    return Optional.of(remember(toResource(live)));
  }

  @Override
  public List<Resource> list(GroupKind groupKind, @Nullable String namespace, Map<String, String> labels) {
    Objects.requireNonNull(groupKind, "kind");
    ApiKind kind = servedOrNull(groupKind);
    if (kind == null) {
      return List.of();
    }
    SharedIndexInformer<GenericKubernetesResource> cache = cache(groupKind);
    if (cache != null) {
      Map<String, Resource> found = new java.util.HashMap<>();
      String owner = labels == null ? null : labels.get(Ownership.APPLICATION_LABEL);
      // an application's objects come from the informer's index, anything else from a scan;
      // objects written by this driver and not yet in the cache are added below either way
      List<GenericKubernetesResource> items = owner == null
          ? cache.getStore().list()
          : cache.getIndexer().byIndex(InformerWatch.APPLICATION_INDEX, owner);
      for (GenericKubernetesResource item : items) {
        var meta = item.getMetadata();
        String ns = kind.namespaced() && meta.getNamespace() != null ? meta.getNamespace() : "";
        String slot = seenKey(kind, ns, meta.getName());
        if (written.containsKey(slot) || matches(ns, meta.getLabels(), namespace, labels, kind)) {
          Resource r = ownWriteOr(slot, fromCache(item));
          if (r != null) {
            found.put(slot, r);
          }
        }
      }
      String prefix = kind.group() + '|' + kind.kind() + '|';
      for (Map.Entry<String, Written> w : written.entrySet()) {
        if (w.getKey().startsWith(prefix) && !found.containsKey(w.getKey())) {
          Resource ours = ownWriteOr(w.getKey(), null);
          if (ours != null) {
            found.put(w.getKey(), ours); // our write, not yet in the cache
          }
        }
      }
      List<Resource> out = new ArrayList<>();
      for (Resource r : found.values()) {
        if (matches(r.namespace(), r.labels(), namespace, labels, kind)) {
          out.add(r);
        }
      }
      out.sort(BY_NAMESPACE_AND_NAME);
      return out;
    }
    String where = namespace == null || !kind.namespaced() ? "" : " in " + namespace;
    List<GenericKubernetesResource> items = guard.call("list " + groupKind + where, () -> {
      MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
          io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> op =
          client.genericKubernetesResources(kind.context());
      var scoped = !kind.namespaced() ? op : namespace == null ? op.inAnyNamespace() : op.inNamespace(namespace);
      if (labels != null && !labels.isEmpty()) {
        return scoped.withLabels(labels).list().getItems();
      }
      return scoped.list().getItems();
    });
    List<Resource> out = new ArrayList<>(items.size());
    for (GenericKubernetesResource item : items) {
      out.add(remember(toResource(item)));
    }
    out.sort(BY_NAMESPACE_AND_NAME);
    return out;
  }

  @Override
  public Resource apply(Resource desired) {
    Objects.requireNonNull(desired, "desired");
    ApiKind kind = discovery.prefer(discovery.resolve(desired.apiVersion(), desired.kind()));
    String namespace = namespaceFor(kind, desired);
    ObjectNode content = desired.toJson();
    if (kind.namespaced()) {
      ((ObjectNode) content.get("metadata")).put("namespace", namespace);
    } else {
      ((ObjectNode) content.get("metadata")).remove("namespace");
    }
    String what = "apply " + desired.kind() + " " + (namespace.isEmpty() ? "" : namespace + "/") + desired.name();
    ApplyMode mode = applyMode.get();
    if (mode == ApplyMode.CLIENT_SIDE) {
      return clientSideApply(kind, namespace, content, desired.resourceVersion(), what);
    }
    try {
      Resource applied = serverSideApply(kind, namespace, content, what);
      if (mode == ApplyMode.AUTO && applyMode.compareAndSet(ApplyMode.AUTO, ApplyMode.SERVER_SIDE)) {
        LOG.info("cluster {} supports server-side apply; applying as field manager {}", name, FIELD_MANAGER);
      }
      return applied;
    } catch (ClusterException e) {
      if (mode != ApplyMode.AUTO) {
        throw e;
      }
      int code = ClusterErrors.httpCode(e);
      if (code == 415) {
        switchToClientSide("it answered HTTP 415 to server-side apply");
        return clientSideApply(kind, namespace, content, desired.resourceVersion(), what);
      }
      if (code == 404 && desired.resourceVersion() == null) {
        // A server with server-side apply creates missing objects; kubernetes-mock-server says 404.
        Resource created = clientSideApply(kind, namespace, content, null, what);
        switchToClientSide("it answered HTTP 404 to server-side apply of an object that a create then made");
        return created;
      }
      throw e;
    }
  }

  /**
   * Creates the object with a POST, which the API server refuses with 409 AlreadyExists when an
   * object of that name exists: nothing is ever taken over.
   */
  @Override
  public Resource create(Resource object) {
    Objects.requireNonNull(object, "object");
    ApiKind kind = discovery.prefer(discovery.resolve(object.apiVersion(), object.kind()));
    String namespace = namespaceFor(kind, object);
    ObjectNode content = ClientSideApply.prepare(object.toJson());
    ObjectNode metadata = (ObjectNode) content.get("metadata");
    if (kind.namespaced()) {
      metadata.put("namespace", namespace);
    } else {
      metadata.remove("namespace");
    }
    GenericKubernetesResource body = converter.toGeneric(Resource.of(content));
    String what = "create " + object.kind() + " " + (namespace.isEmpty() ? "" : namespace + "/") + object.name();
    try {
      return wrote(remember(toResource(guard.call(what, () -> ops(kind, namespace).resource(body).create()))));
    } catch (ClusterException e) {
      if (e.reason() == ClusterException.Reason.CONFLICT) { // a POST conflicts only with an object that exists
        throw new ClusterException(name, ClusterException.Reason.ALREADY_EXISTS, e.getMessage(), null, e);
      }
      throw e;
    }
  }

  /**
   * Replaces the object with a PUT carrying its resourceVersion: the API server refuses it with
   * 409 Conflict when the object moved on, and nothing is written.
   */
  @Override
  public Resource update(Resource object) {
    Objects.requireNonNull(object, "object");
    if (object.resourceVersion() == null) {
      throw new IllegalArgumentException("update of " + object + " needs the resourceVersion it was read at");
    }
    ApiKind kind = discovery.resolve(object.apiVersion(), object.kind());
    String namespace = namespaceFor(kind, object);
    ObjectNode content = object.toJson();
    content.remove("status");
    GenericKubernetesResource body = converter.toGeneric(Resource.of(content));
    String what = "update " + object.kind() + " " + (namespace.isEmpty() ? "" : namespace + "/") + object.name();
    return wrote(remember(toResource(guard.call(what, () -> ops(kind, namespace).resource(body).update()))));
  }

  /**
   * What a server-side apply of {@code desired} would store ({@code dryRun=All}, the plane's field
   * manager); empty when the server does not do server-side apply (kubernetes-mock-server) or the
   * cluster is set to client-side apply.
   */
  @Override
  public Optional<Resource> dryRunApply(Resource desired) {
    Objects.requireNonNull(desired, "desired");
    if (applyMode.get() == ApplyMode.CLIENT_SIDE) {
      return Optional.empty();
    }
    ApiKind kind = discovery.resolve(desired.apiVersion(), desired.kind());
    String namespace = namespaceFor(kind, desired);
    ObjectNode content = desired.toJson();
    content.remove("status");
    ObjectNode metadata = (ObjectNode) content.get("metadata");
    metadata.remove(List.of("managedFields", "uid", "creationTimestamp", "generation", "resourceVersion"));
    if (kind.namespaced()) {
      metadata.put("namespace", namespace);
    } else {
      metadata.remove("namespace");
    }
    GenericKubernetesResource body = converter.toGeneric(Resource.of(content));
    try {
      return Optional.of(toResource(guard.call("dry-run apply " + desired, () -> ops(kind, namespace).resource(body)
          .dryRun().fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply())));
    } catch (ClusterException e) {
      int code = ClusterErrors.httpCode(e);
      if (code == 415 || code == 404 || code == 405) {
        return Optional.empty(); // no server-side apply here
      }
      throw e;
    }
  }

  @Override
  public Resource updateStatus(Resource withStatus) {
    Objects.requireNonNull(withStatus, "withStatus");
    ApiKind kind = discovery.resolve(withStatus.apiVersion(), withStatus.kind());
    String namespace = namespaceFor(kind, withStatus);
    String expected = withStatus.resourceVersion();
    String what = "update status of " + withStatus.kind() + " " + withStatus.name();
    JsonNode status = withStatus.json().get("status");
    if (expected != null) {
      // The caller holds a version: the server checks it, so no read is needed first.
      GenericKubernetesResource body = converter.toGeneric(withStatus);
      return wrote(toResource(guard.call(what, () -> ops(kind, namespace).resource(body).updateStatus())));
    }
    for (int attempt = 1; ; attempt++) {
      GenericKubernetesResource live = read(kind, namespace, withStatus.name());
      if (live == null) {
        throw ClusterException.notFound(name, what + " on cluster " + name + ": object not found");
      }
      ObjectNode next = toJson(live);
      if (Objects.equals(status, next.get("status"))) {
        return toResource(live);
      }
      if (status == null) {
        next.remove("status");
      } else {
        next.set("status", status.deepCopy());
      }
      GenericKubernetesResource body = converter.toGeneric(Resource.of(next));
      try {
        return wrote(toResource(guard.call(what, () -> ops(kind, namespace).resource(body).updateStatus())));
      } catch (ClusterException e) {
        if (e.reason() != ClusterException.Reason.CONFLICT || attempt >= CONFLICT_RETRIES) {
          throw e;
        }
      }
    }
  }

  @Override
  public boolean delete(ResourceKey key) {
    return delete(key, DeletionPropagation.BACKGROUND);
  }

  /**
   * Deletes the object only while it has the given uid and resourceVersion: the DELETE carries
   * them as {@code DeleteOptions.preconditions}, which the API server checks atomically (409
   * Conflict otherwise). The object is also read first, so that servers that ignore
   * preconditions (kubernetes-mock-server) refuse a changed object too.
   */
  @Override
  public boolean delete(ResourceKey key, io.orchestrationplane.core.cluster.Preconditions preconditions) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(preconditions, "preconditions");
    if (preconditions.isEmpty()) {
      return delete(key);
    }
    ApiKind kind = servedOrNull(key.groupKind());
    if (kind == null) {
      return false;
    }
    String namespace = kind.namespaced() ? key.namespace() : "";
    String slot = seenKey(kind, namespace, key.name());
    GenericKubernetesResource live = read(kind, namespace, key.name());
    if (live == null) {
      seen.remove(slot);
      return false;
    }
    String violated = preconditions.violatedBy(toResource(live));
    if (violated != null) {
      throw ClusterException.conflict(name, "delete " + key.display() + " on cluster " + name + ": " + violated);
    }
    boolean deleted = guard.call("delete " + key.display(), () -> deleteWithPreconditions(kind, namespace,
        key.name(), preconditions));
    seen.remove(slot);
    if (cache(key.groupKind()) != null) {
      written.put(slot, new Written(null, live.getMetadata().getUid(), clock.instant()));
    }
    return deleted;
  }

  private boolean deleteWithPreconditions(ApiKind kind, String namespace, String objectName,
      io.orchestrationplane.core.cluster.Preconditions pre) {
    ObjectNode options = io.orchestrationplane.core.resource.Json.object();
    options.put("apiVersion", "v1");
    options.put("kind", "DeleteOptions");
    options.put("propagationPolicy", "Background");
    ObjectNode p = options.putObject("preconditions");
    if (pre.uid() != null) {
      p.put("uid", pre.uid());
    }
    if (pre.resourceVersion() != null) {
      p.put("resourceVersion", pre.resourceVersion());
    }
    String base = client.getMasterUrl().toString().replaceAll("/+$", "");
    String path = (kind.group().isEmpty() ? "/api/" + kind.version() : "/apis/" + kind.group() + "/" + kind.version())
        + (kind.namespaced() ? "/namespaces/" + encode(namespace) : "") + "/" + kind.plural() + "/" + encode(objectName);
    io.fabric8.kubernetes.client.http.HttpRequest request = client.getHttpClient().newHttpRequestBuilder()
        .uri(base + path).delete("application/json", io.orchestrationplane.core.resource.Json.writeJson(options)).build();
    io.fabric8.kubernetes.client.http.HttpResponse<String> response;
    try {
      response = client.getHttpClient().sendAsync(request, String.class)
          .get(limits.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.fabric8.kubernetes.client.KubernetesClientException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new io.fabric8.kubernetes.client.KubernetesClientException("delete failed", e);
    }
    if (response.code() == 404) {
      return false;
    }
    if (response.code() >= 400) {
      io.fabric8.kubernetes.api.model.Status status;
      try {
        status = client.getKubernetesSerialization().unmarshal(response.body(),
            io.fabric8.kubernetes.api.model.Status.class);
      } catch (RuntimeException e) {
        status = new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(response.code())
            .withMessage("HTTP " + response.code()).build();
      }
      if (status.getCode() == null) {
        status.setCode(response.code());
      }
      throw new io.fabric8.kubernetes.client.KubernetesClientException(status);
    }
    return true;
  }

  private static String encode(String segment) {
    return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Deletes the object with the given propagation policy; false when it did not exist. */
  public boolean delete(ResourceKey key, DeletionPropagation propagation) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(propagation, "propagation");
    ApiKind kind = servedOrNull(key.groupKind());
    if (kind == null) {
      return false;
    }
    boolean cached = cache(key.groupKind()) != null;
    String uid = cached ? get(key).map(Resource::uid).orElse(null) : null;
    boolean deleted = guard.call("delete " + key.display(), () -> !ops(kind, key.namespace()).withName(key.name())
        .withPropagationPolicy(propagation).delete().isEmpty());
    String slot = seenKey(kind, kind.namespaced() ? key.namespace() : "", key.name());
    seen.remove(slot);
    if (cached) {
      written.put(slot, new Written(null, uid, clock.instant()));
    }
    return deleted;
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
    if (kinds == null || kinds.isEmpty()) {
      throw new IllegalArgumentException("watch on cluster " + name + " needs at least one kind");
    }
    List<ApiKind> resolved = new ArrayList<>();
    for (GroupKind gk : new LinkedHashSet<>(kinds)) {
      resolved.add(discovery.resolve(gk));
    }
    Consumer<WatchEvent> forgetDeleted = event -> {
      if (event.type() == WatchEvent.Type.DELETED) {
        Resource gone = event.resource();
        converted.remove(gone.group() + '|' + gone.kind() + '|' + gone.namespace() + '|' + gone.name());
      }
      listener.accept(event);
    };
    InformerWatch watch = new InformerWatch(name, client, resolved, forgetDeleted, this::fromCache,
        this::reportWatchFailure, watches::remove, clock, limits.watchStallTimeout());
    watches.add(watch);
    monitorWatches();
    try {
      watch.start(limits.requestTimeout().multipliedBy(3));
    } catch (RuntimeException e) {
      watch.close();
      throw ClusterErrors.map(name, "watch " + kinds, e);
    }
    return watch;
  }

  /** Stops every watch and, when the cluster built its client, closes it. */
  @Override
  public void close() {
    for (InformerWatch w : List.copyOf(watches)) {
      w.close();
    }
    synchronized (this) {
      if (watchMonitor != null) {
        watchMonitor.shutdownNow();
      }
    }
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "KubernetesCluster[" + name + "]";
  }

  // fabric8 8 reconnects a broken watch forever without telling its informer's exception
  // handler, so a periodic check reports informers that stay disconnected.
  private synchronized void monitorWatches() {
    if (watchMonitor != null) {
      return;
    }
    watchMonitor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "orchestration-plane-watch-monitor-" + name);
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(10, limits.watchStallTimeout().toMillis() / 4);
    watchMonitor.scheduleWithFixedDelay(() -> {
      for (InformerWatch w : watches) {
        try {
          w.checkConnected();
        } catch (RuntimeException e) {
          LOG.warn("checking watches of cluster {} failed", name, e);
        }
      }
    }, period, period, TimeUnit.MILLISECONDS);
  }

  private void reportWatchFailure(WatchFailure failure) {
    LOG.warn("watch of {} on cluster {} failed{}: {}", failure.kind(), name,
        failure.retrying() ? " (retrying)" : " (stopped)", failure.cause().toString());
    try {
      watchFailures.accept(failure);
    } catch (RuntimeException e) {
      LOG.warn("watch failure callback of cluster {} failed", name, e);
    }
  }

  private void switchToClientSide(String why) {
    if (applyMode.compareAndSet(ApplyMode.AUTO, ApplyMode.CLIENT_SIDE)) {
      LOG.info("cluster {} does not support server-side apply ({}); applying by create or "
          + "read-merge-update with resourceVersion from now on", name, why);
    }
  }

  private Resource serverSideApply(ApiKind kind, String namespace, ObjectNode content, String what) {
    content.remove("status");
    ObjectNode metadata = (ObjectNode) content.get("metadata");
    metadata.remove(List.of("managedFields", "uid", "creationTimestamp", "generation"));
    GenericKubernetesResource body = converter.toGeneric(Resource.of(content));
    return toResource(guard.call(what, () -> ops(kind, namespace).resource(body)
        .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply()));
  }

  private Resource clientSideApply(ApiKind kind, String namespace, ObjectNode content, String expectedVersion,
      String what) {
    ObjectNode prepared = ClientSideApply.prepare(content);
    String objectName = prepared.get("metadata").get("name").asString();
    if (expectedVersion == null && !seen.contains(seenKey(kind, namespace, objectName))) {
      try {
        GenericKubernetesResource body = converter.toGeneric(Resource.of(prepared));
        return wrote(remember(toResource(guard.call(what, () -> ops(kind, namespace).resource(body).create()))));
      } catch (ClusterException e) {
        if (e.reason() != ClusterException.Reason.CONFLICT && e.reason() != ClusterException.Reason.ALREADY_EXISTS) {
          throw e;
        }
        // It exists: merge into it below.
      }
    }
    for (int attempt = 1; ; attempt++) {
      GenericKubernetesResource live = read(kind, namespace, objectName);
      if (live == null) {
        if (expectedVersion != null) {
          throw ClusterException.conflict(name, what + " on cluster " + name
              + ": object was deleted (write carried resourceVersion " + expectedVersion + ")");
        }
        GenericKubernetesResource body = converter.toGeneric(Resource.of(prepared));
        try {
          return wrote(remember(toResource(guard.call(what, () -> ops(kind, namespace).resource(body).create()))));
        } catch (ClusterException e) {
          if ((e.reason() != ClusterException.Reason.CONFLICT && e.reason() != ClusterException.Reason.ALREADY_EXISTS)
              || attempt >= CONFLICT_RETRIES) {
            throw e;
          }
          continue;
        }
      }
      ObjectNode liveTree = toJson(live);
      String liveVersion = live.getMetadata().getResourceVersion();
      if (expectedVersion != null && !expectedVersion.equals(liveVersion)) {
        throw ClusterException.conflict(name, what + " on cluster " + name + ": stale resourceVersion "
            + expectedVersion + ", live is " + liveVersion);
      }
      ObjectNode merged = ClientSideApply.merge(liveTree, prepared);
      if (merged.equals(liveTree)) {
        return remember(toResource(live));
      }
      ((ObjectNode) merged.get("metadata")).put("resourceVersion", liveVersion);
      GenericKubernetesResource body = converter.toGeneric(Resource.of(merged));
      try {
        return wrote(remember(toResource(guard.call(what, () -> ops(kind, namespace).resource(body).update()))));
      } catch (ClusterException e) {
        // Someone wrote in between: re-read and merge again, unless the caller pinned a version.
        if (e.reason() != ClusterException.Reason.CONFLICT || expectedVersion != null
            || attempt >= CONFLICT_RETRIES) {
          throw e;
        }
        LOG.debug("{} on cluster {}: conflict, re-reading (attempt {})", what, name, attempt);
      }
    }
  }

  /**
   * The store of a running, synced informer of one of this cluster's watches for the kind, or
   * {@code null}. Reads of watched kinds are served from it, like controller-runtime's cached
   * client: as fresh as the last watch event, with no request to the API server.
   */
  private SharedIndexInformer<GenericKubernetesResource> cache(GroupKind groupKind) {
    if (!cachedReads || watches.isEmpty()) {
      return null;
    }
    ApiKind kind;
    try {
      kind = discovery.resolve(groupKind); // the version reads are in: the written one, else the preferred one
    } catch (ClusterException e) {
      return null;
    }
    for (InformerWatch w : watches) {
      SharedIndexInformer<GenericKubernetesResource> informer = w.syncedInformer(kind);
      if (informer != null) {
        return informer;
      }
    }
    return null;
  }

  /** An object this driver wrote (or a tombstone of one it deleted) that its watch may not show yet. */
  private record Written(Resource object, String deletedUid, java.time.Instant at) {}

  /**
   * How long a write is served over a cache that does not show it. Watches show a write within
   * milliseconds; the bound only matters when one never does (the object was deleted by someone
   * else before the watch saw our version), so that the cache is trusted again.
   */
  private static final java.time.Duration OWN_WRITE_TTL = java.time.Duration.ofSeconds(10);

  private Resource wrote(Resource stored) {
    if (cache(stored.groupKind()) != null) { // only reads of watched kinds need it
      written.put(stored.group() + '|' + stored.kind() + '|' + stored.namespace() + '|' + stored.name(),
          new Written(stored, null, clock.instant()));
    }
    return stored;
  }

  /**
   * Read-your-writes over the watch cache: until the cache shows this driver's last write of an
   * object (the same or a later resourceVersion, or, after a delete, its absence or a new uid),
   * reads see the write. Then the entry is dropped and the cache answers alone; so it is after
   * {@link #OWN_WRITE_TTL} in any case.
   */
  private Resource ownWriteOr(String slot, Resource cached) {
    Written w = written.get(slot);
    if (w == null) {
      return cached;
    }
    if (java.time.Duration.between(w.at(), clock.instant()).compareTo(OWN_WRITE_TTL) > 0) {
      written.remove(slot, w); // the watch never showed it: trust the cache again
      return cached;
    }
    if (w.object() == null) {
      if (cached == null || (cached.uid() != null && !cached.uid().equals(w.deletedUid()))) {
        written.remove(slot, w);
        return cached;
      }
      return null;
    }
    if (cached != null && !olderThan(cached.resourceVersion(), w.object().resourceVersion())) {
      written.remove(slot, w);
      return cached;
    }
    return w.object();
  }

  // resourceVersions are opaque; where both are numbers (etcd revisions, the mock) they order.
  private static boolean olderThan(String candidate, String than) {
    if (candidate == null || than == null) {
      return candidate == null && than != null;
    }
    try {
      return Long.parseLong(candidate) < Long.parseLong(than);
    } catch (NumberFormatException e) {
      return false; // unordered versions: any version the cache shows is taken as current
    }
  }

  private static boolean matches(String ns, Map<String, String> have, String namespace, Map<String, String> labels,
      ApiKind kind) {
    if (namespace != null && kind.namespaced() && !namespace.equals(ns)) {
      return false;
    }
    if (labels == null || labels.isEmpty()) {
      return true;
    }
    Map<String, String> actual = have == null ? Map.of() : have;
    return actual.entrySet().containsAll(labels.entrySet());
  }

  private GenericKubernetesResource read(ApiKind kind, String namespace, String objectName) {
    return guard.call("get " + kind.kind() + " " + (namespace.isEmpty() ? "" : namespace + "/") + objectName,
        () -> ops(kind, namespace).withName(objectName).get());
  }

  private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> ops(ApiKind kind, String namespace) {
    MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
        io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> op =
        client.genericKubernetesResources(kind.context());
    return kind.namespaced() ? op.inNamespace(namespace) : op;
  }

  private ApiKind servedOrNull(GroupKind groupKind) {
    try {
      return discovery.resolve(groupKind);
    } catch (ClusterException e) {
      if (e.reason() == ClusterException.Reason.NOT_FOUND) {
        return null; // no such kind: no such object either
      }
      throw e;
    }
  }

  private String namespaceFor(ApiKind kind, Resource r) {
    if (!kind.namespaced()) {
      return "";
    }
    if (!r.namespace().isEmpty()) {
      return r.namespace();
    }
    String fallback = client.getNamespace();
    return fallback == null || fallback.isEmpty() ? "default" : fallback;
  }

  private ObjectNode toJson(GenericKubernetesResource object) {
    return (ObjectNode) client.getKubernetesSerialization().convertValue(object, JsonNode.class);
  }

  private Resource remember(Resource r) {
    seen.add(r.group() + '|' + r.kind() + '|' + r.namespace() + '|' + r.name());
    return r;
  }

  private static String seenKey(ApiKind kind, String namespace, String objectName) {
    return kind.group() + '|' + kind.kind() + '|' + namespace + '|' + objectName;
  }

  private Resource toResource(GenericKubernetesResource object) {
    return Resource.of(toJson(object));
  }

  /** An object of an informer's store (or event) as a {@link Resource}, converted once per resourceVersion. */
  private Resource fromCache(GenericKubernetesResource object) {
    var meta = object.getMetadata();
    String version = meta == null ? null : meta.getResourceVersion();
    if (version == null) {
      return toResource(object);
    }
    String slot = Resource.groupOf(object.getApiVersion()) + '|' + object.getKind() + '|'
        + (meta.getNamespace() == null ? "" : meta.getNamespace()) + '|' + meta.getName();
    Resource last = converted.get(slot);
    if (last != null && version.equals(last.resourceVersion())) {
      return last;
    }
    Resource fresh = toResource(object);
    converted.put(slot, fresh);
    return fresh;
  }
}
