/**
 * Fault injection for cluster drivers: {@link io.orchestrationplane.testkit.faults.FaultyCluster}
 * decorates any {@link io.orchestrationplane.core.cluster.ClusterDriver} with seeded random
 * failures, scripted failures, latency and partitions. See docs/testkit.md. {@code FaultyCluster}
 * is thread-safe, as a driver must be (its seeded choices are then reproducible only when calls
 * arrive in the same order); {@code FaultStats} is an immutable snapshot. Null-marked: parameters
 * and return values are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.orchestrationplane.testkit.faults;

import org.jspecify.annotations.NullMarked;
