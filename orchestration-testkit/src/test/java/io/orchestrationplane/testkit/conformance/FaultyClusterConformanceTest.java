package io.orchestrationplane.testkit.conformance;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.testkit.faults.FaultyCluster;

/** A {@link FaultyCluster} told to inject nothing changes nothing of the contract of what it wraps. */
class FaultyClusterConformanceTest extends ClusterDriverConformance {
  @Override
  protected ClusterDriver createDriver() {
    return FaultyCluster.builder(InMemoryCluster.create("faulty")).build();
  }
}
