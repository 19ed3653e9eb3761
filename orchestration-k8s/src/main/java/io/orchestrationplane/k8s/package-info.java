/**
 * Drives real Kubernetes clusters through fabric8 kubernetes-client (JDK HTTP client):
 * {@link io.orchestrationplane.k8s.KubernetesCluster} (the {@code ClusterDriver}),
 * {@link io.orchestrationplane.k8s.KubernetesClusters} (a {@code ClusterRegistry} from kubeconfig),
 * {@link io.orchestrationplane.k8s.ClusterLimits} (retry, circuit breaker, rate limit settings),
 * {@link io.orchestrationplane.k8s.RetryEvent}, {@link io.orchestrationplane.k8s.CircuitTransition}
 * and {@link io.orchestrationplane.k8s.CircuitState} (what the resilience reports),
 * {@link io.orchestrationplane.k8s.ResourceConverter} (fabric8 objects ⇄ {@code Resource}),
 * {@link io.orchestrationplane.k8s.LeaderElection} (Lease-based high availability) and the
 * {@link io.orchestrationplane.k8s.ApplicationCrd} of operator mode.
 *
 * <p>Thread-safety: drivers, registries and leader elections are thread-safe; settings and events
 * are immutable values.
 */
package io.orchestrationplane.k8s;
