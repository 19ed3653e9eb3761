package io.orchestrationplane.core.cluster;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ClusterDriver} that passes every call, the default methods included, to another
 * driver: extend it to add to a driver (count calls, normalize what is written, watch for
 * activity) and override only what changes. Forwarding the default methods matters: a wrapper
 * that left {@link #delete(ResourceKey, Preconditions)} to its default would read, compare and
 * delete in three calls instead of the delegate's atomic precondition, and one that left {@link
 * #list(Collection, String, Map)} to its default would list kind by kind.
 *
 * <pre>{@code
 * class Counting extends ForwardingClusterDriver {
 *   final AtomicLong writes = new AtomicLong();
 *   Counting(ClusterDriver delegate) { super(delegate); }
 *   @Override public Resource apply(Resource desired) { writes.incrementAndGet(); return super.apply(desired); }
 * }
 * }</pre>
 *
 * <p>Thread-safe when the delegate is and the subclass adds no unsafe state.
 */
public abstract class ForwardingClusterDriver implements ClusterDriver {
  private final ClusterDriver delegate;

  /** Forwards to {@code delegate}. */
  protected ForwardingClusterDriver(ClusterDriver delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The driver every call goes to. */
  protected final ClusterDriver delegate() {
    return delegate;
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
  public Resource create(Resource object) {
    return delegate.create(object);
  }

  @Override
  public Resource apply(Resource desired) {
    return delegate.apply(desired);
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
    return delegate.watch(kinds, listener);
  }

  /** Closes the delegate; override to leave it open when the wrapper does not own it. */
  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + delegate + "]";
  }
}
