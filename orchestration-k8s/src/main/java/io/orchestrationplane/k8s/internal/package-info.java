/**
 * Implementation of the Kubernetes driver: API discovery, informer-backed watches and reads, the
 * call guard (retry, circuit breaker, rate limit), client-side apply and the mapping of HTTP
 * errors to {@code ClusterException}s. Not API: may change without notice. Each part is shared by
 * the driver's callers and so is thread-safe, except {@code ClientSideApply} and {@code
 * ClusterErrors}, which hold no state. Null-marked.
 */
@NullMarked
package io.orchestrationplane.k8s.internal;

import org.jspecify.annotations.NullMarked;
