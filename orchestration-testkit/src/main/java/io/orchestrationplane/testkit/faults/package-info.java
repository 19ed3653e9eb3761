/**
 * Fault injection for cluster drivers: {@link io.orchestrationplane.testkit.faults.FaultyCluster}
 * decorates any {@link io.orchestrationplane.core.cluster.ClusterDriver} with seeded random
 * failures, scripted failures, latency and partitions. See docs/testkit.md.
 *
 * <p>Parameters and return values are non-null unless documented otherwise.
 */
package io.orchestrationplane.testkit.faults;
