package io.orchestrationplane.testkit.conformance;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.InMemoryCluster;

/** Core's embedded cluster keeps the driver contract (it has no API server, so no HTTP errors to map). */
class InMemoryClusterConformanceTest extends ClusterDriverConformance {
  @Override
  protected ClusterDriver createDriver() {
    return InMemoryCluster.create("in-memory");
  }
}
