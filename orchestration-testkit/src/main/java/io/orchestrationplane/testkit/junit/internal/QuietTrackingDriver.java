package io.orchestrationplane.testkit.junit.internal;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.Preconditions;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Passes every call through and notes when its watches last delivered an event or were started,
 * so a fixture can wait until watches are quiet before closing them: kubernetes-mock-server's
 * event loop can hang when an informer is closed while a watch's replay is still being sent.
 */
public final class QuietTrackingDriver implements ClusterDriver {
  private final ClusterDriver delegate;
  private final AtomicLong lastActivity;

  /** {@code lastActivity} receives {@link System#nanoTime()} of every watch start and event. */
  public QuietTrackingDriver(ClusterDriver delegate, AtomicLong lastActivity) {
    this.delegate = delegate;
    this.lastActivity = lastActivity;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Optional<Resource> get(ResourceKey key) {
    return delegate.get(key);
  }

  @Override
  public Optional<Resource> get(ResourceKey key, String apiVersion) {
    return delegate.get(key, apiVersion);
  }

  @Override
  public List<Resource> list(GroupKind kind, @Nullable String namespace, Map<String, String> labels) {
    return delegate.list(kind, namespace, labels);
  }

  @Override
  public List<Resource> list(Collection<GroupKind> kinds, @Nullable String namespace, Map<String, String> labels) {
    return delegate.list(kinds, namespace, labels);
  }

  @Override
  public Resource apply(Resource desired) {
    return delegate.apply(desired);
  }

  @Override
  public Resource create(Resource object) {
    return delegate.create(object);
  }

  @Override
  public Resource update(Resource object) {
    return delegate.update(object);
  }

  @Override
  public Optional<Resource> dryRunApply(Resource desired) {
    return delegate.dryRunApply(desired);
  }

  @Override
  public Resource updateStatus(Resource withStatus) {
    return delegate.updateStatus(withStatus);
  }

  @Override
  public boolean delete(ResourceKey key) {
    return delegate.delete(key);
  }

  @Override
  public boolean delete(ResourceKey key, Preconditions preconditions) {
    return delegate.delete(key, preconditions);
  }

  @Override
  public AutoCloseable watch(Collection<GroupKind> kinds, Consumer<WatchEvent> listener) {
    lastActivity.set(System.nanoTime());
    AutoCloseable watch = delegate.watch(kinds, e -> {
      lastActivity.set(System.nanoTime());
      listener.accept(e);
    });
    lastActivity.set(System.nanoTime());
    return watch;
  }

  @Override
  public void close() {
    // the fixture closes the driver it wraps
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
