package io.orchestrationplane.core.spi;

import io.orchestrationplane.core.GroupKind;
import io.orchestrationplane.core.Resource;
import io.orchestrationplane.core.ResourceKey;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.WatchEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How the plane reads and writes one cluster. {@code InMemoryCluster} (core) is the embedded
 * default; {@code KubernetesCluster} (k8s) talks to a real API server. Implementations are
 * thread-safe.
 *
 * <p>Failures are {@link ClusterException}s whose {@link ClusterException.Reason} says whether a
 * retry may help. The {@code cluster} field of a {@link ResourceKey} passed in is not
 * interpreted: a driver serves exactly one cluster.
 */
public interface ClusterDriver extends AutoCloseable {

  /** The cluster's name, unique in a {@code ClusterRegistry}. */
  String name();

  /** The live object, or empty when it does not exist. */
  Optional<Resource> get(ResourceKey key);

  /**
   * The live objects of one kind, in {@code namespace} (or every namespace when {@code null}),
   * whose labels include every entry of {@code labels} (equality selector; empty matches all).
   * The result is sorted by namespace and name.
   */
  List<Resource> list(GroupKind kind, String namespace, Map<String, String> labels);

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
  default List<Resource> list(Collection<GroupKind> kinds, String namespace, Map<String, String> labels) {
    List<Resource> out = new ArrayList<>();
    for (GroupKind kind : kinds) {
      out.addAll(list(kind, namespace, labels));
    }
    return out;
  }

  /**
   * Creates the object or updates it to the given content, keeping fields that other writers
   * own (status, server defaults). When {@code desired} carries {@code metadata.resourceVersion}
   * the write only succeeds if it equals the live one, otherwise it fails with
   * {@link ClusterException.Reason#CONFLICT}. Returns the stored object.
   */
  Resource apply(Resource desired);

  /**
   * Replaces the status of an existing object (the status subresource), leaving the rest
   * untouched. Used by controllers and simulators that play the cluster's own controllers.
   */
  Resource updateStatus(Resource withStatus);

  /** Deletes the object; returns false when it did not exist. */
  boolean delete(ResourceKey key);

  /**
   * Starts delivering events for the given kinds (every kind when empty) to {@code listener},
   * beginning with an ADDED event for each existing object. Close the returned handle to stop.
   */
  AutoCloseable watch(Collection<GroupKind> kinds, Consumer<WatchEvent> listener);

  /** Releases connections and threads; the default does nothing. */
  @Override
  default void close() {}
}
