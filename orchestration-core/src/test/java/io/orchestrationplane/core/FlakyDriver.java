package io.orchestrationplane.core;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A driver that delegates to another and fails the calls a test chooses. Public for the tests of
 * other core packages.
 */
public class FlakyDriver implements ClusterDriver {
  private final ClusterDriver delegate;
  public volatile Predicate<Resource> failApply = r -> false;
  /** While set, every read and write fails as if the API server were unreachable. */
  public volatile boolean unreachable;
  public volatile boolean watchFails;
  /** While set, watch events are lost on the way (a dropped connection the informer never noticed). */
  public volatile boolean dropEvents;

  public FlakyDriver(ClusterDriver delegate) {
    this.delegate = delegate;
  }

  private void reachable() {
    if (unreachable) {
      throw ClusterException.unavailable(delegate.name(), "connection refused", null);
    }
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Optional<Resource> get(ResourceKey key) {
    reachable();
    return delegate.get(key);
  }

  @Override
  public List<Resource> list(GroupKind kind, String namespace, Map<String, String> labels) {
    reachable();
    return delegate.list(kind, namespace, labels);
  }

  @Override
  public Resource apply(Resource desired) {
    reachable();
    if (failApply.test(desired)) {
      throw ClusterException.serverError(delegate.name(), "etcd timed out writing " + desired);
    }
    return delegate.apply(desired);
  }

  @Override
  public Resource updateStatus(Resource withStatus) {
    reachable();
    return delegate.updateStatus(withStatus);
  }

  @Override
  public boolean delete(ResourceKey key) {
    reachable();
    return delegate.delete(key);
  }

  @Override
  public AutoCloseable watch(Collection<GroupKind> kinds, Consumer<WatchEvent> listener) {
    if (watchFails) {
      throw ClusterException.unavailable(delegate.name(), "watch refused: connection refused", null);
    }
    return delegate.watch(kinds, event -> {
      if (!dropEvents) {
        listener.accept(event);
      }
    });
  }
}
