package io.orchestrationplane.core.cluster;

import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.internal.StoredForm;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.node.ObjectNode;

/**
 * An object in the form a Kubernetes API server (1.30) would store it: canonical quantities,
 * {@code omitempty} empties dropped, a Secret's {@code stringData} folded into {@code data}, the
 * defaults of workloads, pods, containers, Services and Jobs, and what admission adds to a bare
 * Pod. What {@code InMemoryCluster.builder(name).storedForm(true)} stores; the testkit uses it to
 * make kubernetes-mock-server answer like a real cluster. Thread-safe.
 *
 * <pre>{@code
 * Resource stored = KubernetesForm.create().of(desired);   // as a real server would return it
 * }</pre>
 */
public final class KubernetesForm {
  private final AtomicLong clusterIps = new AtomicLong();

  private KubernetesForm() {}

  /** A converter with its own cluster IP allocator (10.96.0.1, 10.96.0.2, ...). */
  public static KubernetesForm create() {
    return new KubernetesForm();
  }

  /** {@code object} as a Kubernetes API server would store it. */
  public Resource of(Resource object) {
    ObjectNode tree = object.toJson();
    return Resource.of(StoredForm.normalize(tree, this::nextClusterIp));
  }

  private String nextClusterIp() {
    long n = clusterIps.incrementAndGet();
    return "10.96." + ((n / 250) % 250) + "." + (n % 250 + 1);
  }
}
