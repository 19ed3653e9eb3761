package io.orchestrationplane.core.cluster;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * How the plane reads and writes one cluster. {@code InMemoryCluster} (core) is the embedded
 * default; {@code KubernetesCluster} (k8s) talks to a real API server. Implementations are
 * thread-safe.
 *
 * <p>Failures are {@link ClusterException}s whose {@link ClusterException.Reason} says whether a
 * retry may help (a driver of an API server maps HTTP statuses as {@link ClusterException}
 * lists). The {@code cluster} field of a {@link ResourceKey} passed in is not interpreted: a
 * driver serves exactly one cluster.
 *
 * <p>The testkit's {@code ClusterDriverConformance} is this contract as tests: a driver of your
 * own passes it (docs/drivers.md).
 */
public interface ClusterDriver extends AutoCloseable {

  /** The cluster's name, unique in a {@code ClusterRegistry}. */
  String name();

  /** The live object, or empty when it does not exist. */
  Optional<Resource> get(ResourceKey key);

  /**
   * The live object as {@code apiVersion} presents it, for a cluster that serves its kind in
   * several versions (autoscaling/v1 and v2): the planner compares an object in the version it
   * writes it in. The default ignores the version (a store that keeps objects as written).
   */
  default Optional<Resource> get(ResourceKey key, String apiVersion) {
    return get(key);
  }

  /**
   * The live objects of one kind, in {@code namespace} (or every namespace when {@code null}),
   * whose labels include every entry of {@code labels} (equality selector; empty matches all).
   * The result is sorted by namespace and name.
   */
  List<Resource> list(GroupKind kind, @Nullable String namespace, Map<String, String> labels);

  /**
   * The live objects of several kinds that match the same selector, kind by kind in the order
   * given, each kind sorted as {@link #list(GroupKind, String, Map)} sorts it. The planner reads an
   * application's objects this way; a driver that can answer in one pass (an index, one cache
   * lock) overrides it, and the default asks kind by kind.
   *
   * <pre>{@code
   * cluster.list(List.of(DEPLOYMENT, SERVICE), null, Map.of("app.oam.dev/name", "shop"));
   * }</pre>
   */
  default List<Resource> list(Collection<GroupKind> kinds, @Nullable String namespace, Map<String, String> labels) {
    List<Resource> out = new ArrayList<>();
    for (GroupKind kind : kinds) {
      out.addAll(list(kind, namespace, labels));
    }
    return out;
  }

  /**
   * Creates the object and never touches an existing one: when an object of that key exists the
   * call fails with {@link ClusterException.Reason#ALREADY_EXISTS} and nothing is written (a
   * Kubernetes POST). The plane creates through this method only, so an object that appeared
   * after planning is never taken over. Returns the stored object.
   *
   * <p>The default reads first and then applies, which leaves a window in which another writer
   * can create the object; drivers override it with an atomic create, as every driver of this
   * project does.
   */
  default Resource create(Resource object) {
    if (get(object.key(name())).isPresent()) {
      throw ClusterException.alreadyExists(name(), object + " already exists");
    }
    return apply(object);
  }

  /**
   * Creates the object or updates it to the given content, keeping fields that other writers
   * own (status, server defaults). When {@code desired} carries {@code metadata.resourceVersion}
   * the write only succeeds if it equals the live one, otherwise it fails with
   * {@link ClusterException.Reason#CONFLICT}. An apply that changes nothing stores nothing: the
   * resourceVersion stays, as on an API server. Returns the stored object.
   */
  Resource apply(Resource desired);

  /**
   * Replaces an existing object (a PUT): every field but status and server metadata comes from
   * {@code object}, which must carry the resourceVersion it was read at; when the live object has
   * moved on the call fails with {@link ClusterException.Reason#CONFLICT} and nothing is written.
   * For edits that must not merge (operator mode adds and removes its finalizer this way). A PUT
   * never creates: when the object does not exist the call fails with {@link
   * ClusterException.Reason#NOT_FOUND}. The default checks that the object exists and applies it,
   * which honours the resourceVersion.
   */
  default Resource update(Resource object) {
    if (object.resourceVersion() == null) {
      throw new IllegalArgumentException("update of " + object + " needs the resourceVersion it was read at");
    }
    if (get(object.key(name())).isEmpty()) {
      throw ClusterException.notFound(name(), "update " + object + ": not found");
    }
    return apply(object);
  }

  /**
   * What {@link #apply} would store for {@code desired}, without storing anything: the API
   * server's answer to a server-side apply with {@code dryRun=All} under the plane's field manager,
   * after its defaulting, normalization and mutating admission. Empty when the cluster cannot
   * answer this (no server-side apply); the planner then compares client-side. The default
   * answers empty.
   */
  default Optional<Resource> dryRunApply(Resource desired) {
    return Optional.empty();
  }

  /**
   * Replaces the status of an existing object (the status subresource), leaving the rest
   * untouched. Used by controllers and simulators that play the cluster's own controllers.
   */
  Resource updateStatus(Resource withStatus);

  /**
   * Deletes the object whatever its state; returns false when it did not exist. As on Kubernetes,
   * an object that carries finalizers is not removed at once: it is marked for deletion ({@code
   * metadata.deletionTimestamp}, a MODIFIED event) and goes when an update removes its last
   * finalizer (a DELETED event); until then reads return it.
   */
  boolean delete(ResourceKey key);

  /**
   * Deletes the object only while it meets the preconditions (Kubernetes'
   * {@code DeleteOptions.preconditions}): otherwise the call fails with {@link
   * ClusterException.Reason#CONFLICT} and nothing is deleted. Returns false when it did not
   * exist. The plane deletes through this method only, with the uid and resourceVersion of the
   * object it checked it owns.
   *
   * <p>The default reads, compares and then deletes, which leaves a window in which the object
   * can change; drivers override it with an atomic check, as every driver of this project does.
   */
  default boolean delete(ResourceKey key, Preconditions preconditions) {
    if (preconditions.isEmpty()) {
      return delete(key);
    }
    Optional<Resource> live = get(key);
    if (live.isEmpty()) {
      return false;
    }
    String violated = preconditions.violatedBy(live.get());
    if (violated != null) {
      throw ClusterException.conflict(name(), "delete " + key.display() + ": " + violated);
    }
    return delete(key);
  }

  /**
   * Starts delivering events for the given kinds (every kind when empty) to {@code listener},
   * beginning with an ADDED event for each existing object, in its current state (a new watch
   * reports nothing of objects deleted before it started). The events of one object arrive in the
   * order of its changes; a DELETED event carries the object's last state. An exception thrown by
   * the listener is the listener's: the watch goes on. Close the returned handle to stop. A
   * driver that cannot watch every kind (a real API server serves too many) refuses an empty
   * {@code kinds} with {@link IllegalArgumentException}.
   */
  AutoCloseable watch(Collection<GroupKind> kinds, Consumer<WatchEvent> listener);

  /** Releases connections and threads; the default does nothing. */
  @Override
  default void close() {}
}
