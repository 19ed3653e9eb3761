/**
 * Implementation of the Kubernetes driver; may change without notice. {@code KubernetesCluster}
 * is a facade over collaborators built once per cluster: {@link
 * io.orchestrationplane.k8s.internal.ApiDiscovery} (kinds, versions, scope),
 * {@link io.orchestrationplane.k8s.internal.CallGuard} (resilience: retry, circuit breaker, rate
 * limit, with {@link io.orchestrationplane.k8s.internal.RetryAfterHints} and the error mapping of
 * {@link io.orchestrationplane.k8s.internal.ClusterErrors}), {@link
 * io.orchestrationplane.k8s.internal.ClusterReads}, {@link
 * io.orchestrationplane.k8s.internal.ClusterWrites} (with {@link
 * io.orchestrationplane.k8s.internal.ClientSideApply}) and {@link
 * io.orchestrationplane.k8s.internal.ClusterWatches} (one {@link
 * io.orchestrationplane.k8s.internal.InformerWatch} per watch, each informer keeping its objects
 * in a {@link io.orchestrationplane.k8s.internal.ResourceItemStore}), sharing the driver's {@link
 * io.orchestrationplane.k8s.internal.ObjectMemory}. resilience4j is used here only.
 *
 * <p>Thread-safety: every class here is thread-safe, as the driver is; {@code ClientSideApply}
 * and {@code ClusterErrors} are stateless.
 *
 * <p>Null-marked: parameters and return values are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.orchestrationplane.k8s.internal;

import org.jspecify.annotations.NullMarked;
