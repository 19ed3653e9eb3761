package io.orchestrationplane.testkit;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ForwardingClusterDriver;
import io.orchestrationplane.core.cluster.KubernetesForm;
import io.orchestrationplane.core.resource.Resource;
import java.util.Optional;

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
public final class StoredFormCluster extends ForwardingClusterDriver {
  private final KubernetesForm form = KubernetesForm.create();

  private StoredFormCluster(ClusterDriver delegate) {
    super(delegate);
  }

  /** {@code delegate} behind a Kubernetes API server's storage rules. */
  public static StoredFormCluster wrap(ClusterDriver delegate) {
    return new StoredFormCluster(delegate);
  }

  @Override
  public Resource apply(Resource desired) {
    return delegate().apply(form.of(desired));
  }

  @Override
  public Resource create(Resource object) {
    return delegate().create(form.of(object));
  }

  @Override
  public Resource update(Resource object) {
    return delegate().update(form.of(object));
  }

  @Override
  public Optional<Resource> dryRunApply(Resource desired) {
    return delegate().dryRunApply(form.of(desired));
  }

  @Override
  public String toString() {
    return "StoredFormCluster[" + delegate().name() + "]";
  }
}
