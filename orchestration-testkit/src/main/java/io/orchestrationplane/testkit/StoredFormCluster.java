package io.orchestrationplane.testkit;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.KubernetesForm;
import io.orchestrationplane.core.cluster.Preconditions;
import io.orchestrationplane.core.cluster.WatchEvent;
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
 * A driver that writes objects in the form a Kubernetes API server stores them ({@link
 * KubernetesForm}: canonical quantities, {@code omitempty}, defaults, admission's additions to
 * Pods), for servers that store what they are sent: kubernetes-mock-server answers like a real
 * cluster behind it, so a test sees the comparisons a real cluster would cause.
 *
 * <pre>{@code
 * ClusterDriver realistic = StoredFormCluster.wrap(KubernetesCluster.builder("dev").client(mockClient).build());
 * }</pre>
 *
 * <p>Thread-safe when the wrapped driver is.
 */
public final class StoredFormCluster implements ClusterDriver {
  private final ClusterDriver delegate;
  private final KubernetesForm form = KubernetesForm.create();

  private StoredFormCluster(ClusterDriver delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** {@code delegate} behind a Kubernetes API server's storage rules. */
  public static StoredFormCluster wrap(ClusterDriver delegate) {
    return new StoredFormCluster(delegate);
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
    return delegate.apply(form.of(desired));
  }

  @Override
  public Resource create(Resource object) {
    return delegate.create(form.of(object));
  }

  @Override
  public Resource update(Resource object) {
    return delegate.update(form.of(object));
  }

  @Override
  public Optional<Resource> dryRunApply(Resource desired) {
    return delegate.dryRunApply(form.of(desired));
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

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "StoredFormCluster[" + delegate.name() + "]";
  }
}
