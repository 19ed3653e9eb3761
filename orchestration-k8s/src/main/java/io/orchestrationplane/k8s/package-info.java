/**
 * Drives real Kubernetes clusters through fabric8 kubernetes-client (JDK HTTP client):
 * {@link io.orchestrationplane.k8s.KubernetesCluster} (the {@code ClusterDriver}),
 * {@link io.orchestrationplane.k8s.KubernetesClusters} (a {@code ClusterRegistry} from kubeconfig),
 * {@link io.orchestrationplane.k8s.ClusterLimits} (retry, circuit breaker, rate limit settings),
 * {@link io.orchestrationplane.k8s.RetryEvent}, {@link io.orchestrationplane.k8s.CircuitTransition}
 * and {@link io.orchestrationplane.k8s.CircuitState} (what the resilience reports),
 * {@link io.orchestrationplane.k8s.ResourceConverter} (fabric8 objects ⇄ {@code Resource}),
 * {@link io.orchestrationplane.k8s.LeaderElection} (Lease-based high availability),
 * {@link io.orchestrationplane.k8s.Sharding} and {@link io.orchestrationplane.k8s.ShardedPlane}
 * (the applications split among replicas, a Lease per shard, placed by
 * {@link io.orchestrationplane.k8s.ShardAssignment}), the
 * {@link io.orchestrationplane.k8s.ApplicationCrd} of operator mode and
 * {@link io.orchestrationplane.k8s.KubernetesStateStore} (the plane's durable state in ConfigMaps,
 * shared by replicas).
 *
 * <p>Thread-safety: the driver, the leader election, {@code LeaderElectedPlane}, {@code Sharding}
 * (rounds are serialised; its permit answers from any thread), {@code ShardedPlane}, the
 * {@code ApplicationOperator} and the {@code KubernetesStateStore} are thread-safe (the plane's workers call them, and fabric8's
 * informer and elector threads deliver their events); {@code ClusterLimits}, {@code
 * LeadershipEvent}, {@code ShardingEvent}, {@code WatchFailure}, {@code CircuitState}, {@code CircuitTransition} and
 * {@code RetryEvent} are immutable values; builders are for one thread.
 * Null-marked: parameters and return values are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.orchestrationplane.k8s;

import org.jspecify.annotations.NullMarked;
