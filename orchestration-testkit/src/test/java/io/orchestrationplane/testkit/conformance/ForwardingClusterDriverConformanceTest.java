package io.orchestrationplane.testkit.conformance;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ForwardingClusterDriver;
import io.orchestrationplane.core.cluster.InMemoryCluster;

/**
 * A wrapper that overrides nothing keeps the contract of the driver it wraps: every call, the
 * default methods included, reaches the delegate (a default left in place would, for example,
 * turn the atomic preconditioned delete into read-compare-delete).
 */
class ForwardingClusterDriverConformanceTest extends ClusterDriverConformance {
  @Override
  protected ClusterDriver createDriver() {
    return new ForwardingClusterDriver(InMemoryCluster.create("forwarded")) {};
  }
}
