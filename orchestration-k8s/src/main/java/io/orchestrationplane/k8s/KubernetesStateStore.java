package io.orchestrationplane.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.orchestrationplane.core.state.CorruptStateException;
import io.orchestrationplane.core.state.DeleteResult;
import io.orchestrationplane.core.state.StateCodec;
import io.orchestrationplane.core.state.StateEntry;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.state.StateStoreException;
import io.orchestrationplane.core.state.StateWriteResult;
import io.orchestrationplane.core.state.VersionConflict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A {@link StateStore} in a Kubernetes namespace, for operator mode: replicas of the plane (one
 * leader, or several sharing work) keep revisions and workflow state in the API server, so that
 * every replica sees the same history and a new leader resumes where the old one stopped.
 *
 * <pre>{@code
 * StateStore store = KubernetesStateStore.create(client, "orchestration-system");       // ConfigMaps
 * StateStore secret = KubernetesStateStore.builder(client, "orchestration-system")
 *     .kind(KubernetesStateStore.Kind.SECRET).build();                                  // or Secrets
 * OrchestrationPlane plane = OrchestrationPlane.builder().cluster(prod).stateStore(store).build();
 * }</pre>
 *
 * <h2>One object per key</h2>
 * Key {@code workflows/shop.checkout} is the ConfigMap (or, with {@link Kind#SECRET}, the Secret of
 * type {@code Opaque}) {@code workflows.shop.checkout} in the store's namespace ({@link StateKey}
 * guarantees a valid object name of at most 253 characters), labelled {@value
 * #STATE_NAMESPACE_LABEL}{@code : workflows} and {@value #MANAGED_BY_LABEL}{@code :
 * orchestration-plane}; {@code data.value} holds the compact JSON ({@link StateCodec}; base64 in a
 * Secret, as Secret data always is) and annotation {@value #DIGEST_ANNOTATION} its {@code sha256:}
 * digest. {@code kubectl get configmaps -l orchestrationplane.io/state-namespace=workflows} lists
 * a namespace. Secrets are for state holding secret values (revisions keep application models,
 * which can hold them inline): they have their own RBAC and can be encrypted at rest.
 *
 * <h2>Versions: the object's resourceVersion</h2>
 * An entry's version is the object's {@code metadata.resourceVersion} read as a number: on an
 * etcd-backed API server that is the etcd revision of the object's last write, a positive integer
 * that grows with every write in the cluster, so a re-created key always gets a version above any
 * it had before (no floor object to keep). Kubernetes 1.35 makes this comparison part of the API
 * (KEP-5504, comparable resource versions); a server whose resourceVersion is not a positive
 * integer is refused with a {@link StateStoreException}. Any change of the object, even a label
 * added with {@code kubectl}, is a new version: writers holding the old one get a conflict.
 *
 * <h2>Writes</h2>
 * create: {@code POST}, 409 AlreadyExists = {@link VersionConflict}; compare-and-set: {@code PUT}
 * with {@code metadata.resourceVersion} = the expected version, 409 Conflict = {@link
 * VersionConflict}; delete: the object is read (its version compared, its content checked), then
 * {@code DELETE} with {@code preconditions.resourceVersion}, which the API server checks
 * atomically (409 = conflict). After a refused write the key is read again to report the version
 * found, or the damage. An update replaces the object: labels and annotations added by others are
 * not kept.
 *
 * <h2>Damage and failures</h2>
 * An object without {@code data.value} or the digest annotation (not written by the store), whose
 * value does not match its digest (edited by hand), that is not valid JSON (or base64), or whose
 * label names another state namespace is a {@link CorruptStateException} naming {@code ConfigMap
 * <namespace>/<name>} (or {@code Secret ...}); it is never overwritten or deleted. Any other
 * failure of the API (an HTTP error, a timeout, a refused connection) is a {@link
 * StateStoreException} with the HTTP status; after a failed write the outcome is unknown: read the
 * key again. The store does not retry: the fabric8 client's own retries (its {@code Config}) apply.
 *
 * <h2>Limits</h2>
 * A ConfigMap or Secret holds at most 1 MiB (keys and values together), so {@link
 * Config#maxValueBytes()} may be at most {@value #MAX_VALUE_BYTES}; the default (1,000,000) fits.
 *
 * <p>Thread-safe (the fabric8 client is). {@link #close()} waits for calls in progress and does not
 * close the client, which the caller owns.
 */
public final class KubernetesStateStore implements StateStore {
  /** The label naming an object's state namespace, by which a namespace is listed. */
  public static final String STATE_NAMESPACE_LABEL = "orchestrationplane.io/state-namespace";
  /** The recommended label saying who manages the object. */
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  /** The annotation holding the {@code sha256:} digest of the value's UTF-8 JSON. */
  public static final String DIGEST_ANNOTATION = "orchestrationplane.io/state-digest";
  /** The data key holding the value. */
  public static final String VALUE_KEY = "value";
  /** The largest value a ConfigMap or Secret can hold beside its key: 1 MiB minus {@code "value"}. */
  public static final int MAX_VALUE_BYTES = 1024 * 1024 - 5;

  private static final String MANAGER = "orchestration-plane";
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /** Which object keeps a key. */
  public enum Kind {
    /** A ConfigMap: the value readable as text with {@code kubectl get configmap -o yaml}. */
    CONFIG_MAP("ConfigMap"),
    /** A Secret of type Opaque: for state holding secret values; RBAC and encryption at rest of Secrets apply. */
    SECRET("Secret");

    private final String kubernetesKind;

    Kind(String kubernetesKind) {
      this.kubernetesKind = kubernetesKind;
    }

    /** The Kubernetes kind: {@code ConfigMap} or {@code Secret}. */
    public String kubernetesKind() {
      return kubernetesKind;
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  private final Kind kind;
  private final Config config;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  // Written under the lifecycle write lock, read under its read lock.
  private boolean closed;

  private KubernetesStateStore(Builder b) {
    this.client = b.client;
    this.namespace = b.namespace;
    this.kind = b.kind;
    this.config = b.config;
  }

  /** A store of ConfigMaps in {@code namespace} (which must exist) with the default {@link Config}. */
  public static KubernetesStateStore create(KubernetesClient client, String namespace) {
    return builder(client, namespace).build();
  }

  /**
   * A store of ConfigMaps in {@code namespace} (which must exist) with the given limits.
   *
   * @throws IllegalArgumentException when {@code config} allows values larger than a ConfigMap can
   *     hold ({@value #MAX_VALUE_BYTES} bytes)
   */
  public static KubernetesStateStore create(KubernetesClient client, String namespace, Config config) {
    return builder(client, namespace).config(config).build();
  }

  /**
   * A builder for a store in {@code namespace}, which must exist.
   *
   * @throws IllegalArgumentException when the namespace is not a valid namespace name (a DNS label)
   */
  public static Builder builder(KubernetesClient client, String namespace) {
    return new Builder(client, namespace);
  }

  /** The namespace holding the store's objects. */
  public String namespace() {
    return namespace;
  }

  /** Which objects keep the keys. */
  public Kind kind() {
    return kind;
  }

  /** The name of the object holding {@code key}: {@code <namespace>.<name>}. */
  public static String objectName(StateKey key) {
    return key.namespace() + "." + key.name();
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public Optional<StateEntry> get(StateKey key) {
    Objects.requireNonNull(key, "key");
    return guarded(() -> read(key));
  }

  @Override
  public List<StateEntry> list(String stateNamespace, String namePrefix) {
    StateKey.checkNamespace(stateNamespace);
    StateKey.checkNamePrefix(namePrefix);
    return guarded(() -> {
      List<? extends HasMetadata> items;
      try {
        items = objects().withLabel(STATE_NAMESPACE_LABEL, stateNamespace).list().getItems();
      } catch (KubernetesClientException e) {
        throw failure("list state namespace '" + stateNamespace + "' (" + kind.kubernetesKind() + "s in " + namespace
            + ")", e, false);
      }
      String objectPrefix = stateNamespace + ".";
      List<StateEntry> entries = new ArrayList<>();
      for (HasMetadata object : items) {
        String objectName = object.getMetadata().getName();
        if (!objectName.startsWith(objectPrefix + namePrefix)) {
          if (!objectName.startsWith(objectPrefix)) {
            throw StateCodec.corrupt(null, location(objectName), "is labelled " + STATE_NAMESPACE_LABEL + "="
                + stateNamespace + " but is not named '" + objectPrefix + "<name>'", null);
          }
          continue;
        }
        StateKey key;
        try {
          key = new StateKey(stateNamespace, objectName.substring(objectPrefix.length()));
        } catch (IllegalArgumentException e) {
          throw StateCodec.corrupt(null, location(objectName), "is not named like a state key (" + e.getMessage()
              + "), so the store did not write it", e);
        }
        entries.add(entry(key, object));
      }
      entries.sort(Comparator.comparing(e -> e.key().name()));
      return List.copyOf(entries);
    });
  }

  @Override
  public StateWriteResult compareAndSet(StateKey key, long expectedVersion, JsonNode value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expected version of " + key + " must be >= 0 (StateStore.ABSENT for a "
          + "key that should not exist), was " + expectedVersion);
    }
    byte[] encoded = StateCodec.encode(key, value, config.maxValueBytes());
    return guarded(() -> expectedVersion == ABSENT ? insert(key, encoded) : update(key, expectedVersion, encoded));
  }

  @Override
  public DeleteResult delete(StateKey key, long expectedVersion) {
    Objects.requireNonNull(key, "key");
    if (expectedVersion < 1) {
      throw new IllegalArgumentException("expected version of " + key + " must be >= 1 (the version read), was "
          + expectedVersion);
    }
    return guarded(() -> {
      // Read first: a damaged object is reported, never deleted, and servers that ignore delete
      // preconditions (kubernetes-mock-server) still refuse a stale version.
      long current = read(key).map(StateEntry::version).orElse(ABSENT);
      if (current != expectedVersion) {
        return new VersionConflict(key, expectedVersion, current);
      }
      boolean deleted;
      try {
        deleted = !objects().withName(objectName(key)).lockResourceVersion(Long.toString(expectedVersion)).delete()
            .isEmpty();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw failure("delete " + key + " (" + location(objectName(key)) + ")", e, true);
        }
        deleted = false;
      }
      return deleted ? new DeleteResult.Deleted(key, expectedVersion) : conflict(key, expectedVersion);
    });
  }

  /**
   * Marks the store closed once calls in progress have finished; calls afterwards throw {@link
   * IllegalStateException}. The client stays open: it belongs to the caller.
   */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      closed = true;
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "KubernetesStateStore(" + kind.kubernetesKind() + "s in namespace " + namespace + ")";
  }

  private StateWriteResult insert(StateKey key, byte[] encoded) {
    HasMetadata created;
    try {
      created = objects().resource(object(key, encoded, null)).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw failure("write " + key + " (" + location(objectName(key)) + ")", e, true, true);
      }
      Optional<StateEntry> current = read(key); // damage throws here
      if (current.isPresent()) {
        return new VersionConflict(key, ABSENT, current.get().version());
      }
      // Deleted again between the create and the read: the create did not happen; say so.
      throw new StateStoreException("cannot create " + key + " (" + location(objectName(key)) + "): it existed, and was "
          + "deleted before its version could be read; nothing was written: try again", e);
    }
    return new StateWriteResult.Written(key, version(created));
  }

  private StateWriteResult update(StateKey key, long expectedVersion, byte[] encoded) {
    HasMetadata updated;
    try {
      updated = objects().resource(object(key, encoded, Long.toString(expectedVersion))).update();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 && e.getCode() != 404) {
        throw failure("write " + key + " (" + location(objectName(key)) + ")", e, true, true);
      }
      return conflict(key, expectedVersion);
    }
    return new StateWriteResult.Written(key, version(updated));
  }

  /** After a write the server refused: the conflict it was, or the damage behind it. */
  private VersionConflict conflict(StateKey key, long expectedVersion) {
    long current = read(key).map(StateEntry::version).orElse(ABSENT); // damage throws here
    if (current == expectedVersion) {
      throw new StateStoreException("cannot write " + key + " (" + location(objectName(key)) + "): the API server "
          + "refused version " + expectedVersion + " but still serves it; nothing was written: try again");
    }
    return new VersionConflict(key, expectedVersion, current);
  }

  @SuppressWarnings("unchecked") // ConfigMap and Secret operations, typed by kind
  private NonNamespaceOperation<HasMetadata, KubernetesResourceList<HasMetadata>, Resource<HasMetadata>> objects() {
    Object operation = kind == Kind.SECRET ? client.secrets().inNamespace(namespace)
        : client.configMaps().inNamespace(namespace);
    return (NonNamespaceOperation<HasMetadata, KubernetesResourceList<HasMetadata>, Resource<HasMetadata>>) operation;
  }

  private HasMetadata object(StateKey key, byte[] encoded, @Nullable String resourceVersion) {
    ObjectMeta meta = new ObjectMetaBuilder()
        .withName(objectName(key))
        .withNamespace(namespace)
        .withResourceVersion(resourceVersion)
        .withLabels(Map.of(STATE_NAMESPACE_LABEL, key.namespace(), MANAGED_BY_LABEL, MANAGER))
        .withAnnotations(Map.of(DIGEST_ANNOTATION, digest(encoded)))
        .build();
    if (kind == Kind.SECRET) {
      return new SecretBuilder().withMetadata(meta).withType("Opaque")
          .withData(Map.of(VALUE_KEY, Base64.getEncoder().encodeToString(encoded))).build();
    }
    return new ConfigMapBuilder().withMetadata(meta)
        .withData(Map.of(VALUE_KEY, new String(encoded, StandardCharsets.UTF_8))).build();
  }

  private Optional<StateEntry> read(StateKey key) {
    HasMetadata object;
    try {
      object = objects().withName(objectName(key)).get();
    } catch (KubernetesClientException e) {
      throw failure("read " + key + " (" + location(objectName(key)) + ")", e, false);
    }
    return object == null ? Optional.empty() : Optional.of(entry(key, object));
  }

  private StateEntry entry(StateKey key, HasMetadata object) {
    String where = location(object.getMetadata().getName());
    Map<String, String> labels = object.getMetadata().getLabels();
    String labelled = labels == null ? null : labels.get(STATE_NAMESPACE_LABEL);
    if (!key.namespace().equals(labelled)) {
      throw StateCodec.corrupt(key, where, labelled == null ? "has no label " + STATE_NAMESPACE_LABEL
          : "is labelled for state namespace '" + labelled + "'", null);
    }
    byte[] bytes = valueBytes(key, object, where);
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    String digest = annotations == null ? null : annotations.get(DIGEST_ANNOTATION);
    if (digest == null) {
      throw StateCodec.corrupt(key, where, "has no annotation " + DIGEST_ANNOTATION, null);
    }
    if (!digest.equals(digest(bytes))) {
      throw StateCodec.corrupt(key, where, "does not match its digest (data.value was changed outside the state "
          + "store, or damaged)", null);
    }
    return new StateEntry(key, version(object), StateCodec.decode(bytes, key, where));
  }

  private static byte[] valueBytes(StateKey key, HasMetadata object, String where) {
    Map<String, String> data = object instanceof Secret secret ? secret.getData()
        : ((ConfigMap) object).getData();
    String value = data == null ? null : data.get(VALUE_KEY);
    if (value == null) {
      throw StateCodec.corrupt(key, where, "has no data." + VALUE_KEY, null);
    }
    if (object instanceof Secret) {
      try {
        return Base64.getDecoder().decode(value);
      } catch (IllegalArgumentException e) {
        throw StateCodec.corrupt(key, where, "has data." + VALUE_KEY + " that is not base64", e);
      }
    }
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private long version(HasMetadata object) {
    String rv = object.getMetadata().getResourceVersion();
    try {
      long v = rv == null ? 0 : Long.parseLong(rv);
      if (v > 0 && Long.toString(v).equals(rv)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new StateStoreException("the API server gave " + location(object.getMetadata().getName())
        + " resourceVersion '" + rv + "', not a positive integer: this store needs comparable resource versions "
        + "(etcd revisions; Kubernetes 1.35, KEP-5504)");
  }

  private String location(String objectName) {
    return kind.kubernetesKind() + " " + namespace + "/" + objectName;
  }

  private static StateStoreException failure(String what, KubernetesClientException e, boolean write) {
    return failure(what, e, write, false);
  }

  /**
   * The failure of a call. When the request {@code carriedValue} (a create or update), the
   * server's message is withheld, here and in the cause: it may quote the value (a webhook that
   * echoes the request, a 422 naming the invalid value), and a revision's value holds whatever
   * secret values the application holds inline, which the store cannot tell apart from the rest.
   * The HTTP status and reason stay.
   */
  private static StateStoreException failure(String what, KubernetesClientException e, boolean write,
      boolean carriedValue) {
    Status status = e.getStatus();
    String reason = status != null && status.getReason() != null ? " " + status.getReason() : "";
    String tail = write ? "; the write may or may not have happened: read the key again" : "";
    if (carriedValue && e.getCode() > 0) {
      Status scrubbed = new StatusBuilder().withCode(e.getCode()).withStatus("Failure")
          .withReason(status == null ? null : status.getReason())
          .withMessage("withheld: it may quote the value written").build();
      return new StateStoreException("cannot " + what + ": HTTP " + e.getCode() + reason
          + " (the server's message is withheld: it may quote the value written, which may hold secret values)"
          + tail, new KubernetesClientException(scrubbed));
    }
    String detail = status != null && status.getMessage() != null ? status.getMessage() : e.getMessage();
    return new StateStoreException("cannot " + what + ": " + (e.getCode() > 0 ? "HTTP " + e.getCode() + reason + ": "
        : "") + detail + tail, e);
  }

  private static String digest(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private <T> T guarded(Supplier<T> call) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the Kubernetes state store in namespace " + namespace + " is closed");
      }
      return call.get();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Builds a {@link KubernetesStateStore}; each setter checks its value at once. */
  public static final class Builder {
    private final KubernetesClient client;
    private final String namespace;
    private Kind kind = Kind.CONFIG_MAP;
    private Config config = Config.defaults();

    private Builder(KubernetesClient client, String namespace) {
      this.client = Objects.requireNonNull(client, "client");
      Objects.requireNonNull(namespace, "namespace");
      if (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches()) {
        throw new IllegalArgumentException("namespace '" + namespace + "' is not a valid Kubernetes namespace name");
      }
      this.namespace = namespace;
    }

    /** Which objects keep the keys; default {@link Kind#CONFIG_MAP}. */
    public Builder kind(Kind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /**
     * The store's limits; default {@link Config#defaults()}.
     *
     * @throws IllegalArgumentException when {@code config} allows values larger than a ConfigMap or
     *     Secret can hold ({@value #MAX_VALUE_BYTES} bytes)
     */
    public Builder config(Config config) {
      Objects.requireNonNull(config, "config");
      if (config.maxValueBytes() > MAX_VALUE_BYTES) {
        throw new IllegalArgumentException("maxValueBytes " + config.maxValueBytes() + " is more than a ConfigMap or "
            + "Secret can hold: at most " + MAX_VALUE_BYTES + " (1 MiB for keys and values together)");
      }
      this.config = config;
      return this;
    }

    /** The store. Nothing is read or written until it is used. */
    public KubernetesStateStore build() {
      return new KubernetesStateStore(this);
    }
  }
}
