/**
 * Clusters: the {@link io.orchestrationplane.core.cluster.ClusterDriver} SPI every driver
 * implements (create-only create, preconditions on update and delete, watches, typed {@link
 * io.orchestrationplane.core.cluster.ClusterException}s), the registry of clusters with placement
 * labels, the {@link io.orchestrationplane.core.cluster.WritePermit} asked before every write, and
 * the {@link io.orchestrationplane.core.cluster.InMemoryCluster} driver. Drivers are thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.cluster;

import org.jspecify.annotations.NullMarked;
