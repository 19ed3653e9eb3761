/**
 * Governance of who may do what where: the {@link io.orchestrationplane.core.access.AccessControl}
 * SPI asked before every call of the plane ({@link io.orchestrationplane.core.access.Action} on an
 * application, or one of its environments, in a project), its default {@link
 * io.orchestrationplane.core.access.RbacPolicy} reading Argo CD-style RBAC policy CSV, and {@link
 * io.orchestrationplane.core.access.Project}s that fence tenants in: which clusters and namespaces
 * their rendered objects may land in, which cluster-scoped kinds they may create, which namespaced
 * kinds are denied and which component types they may use. See docs/governance.md.
 *
 * <p>Not to be confused with orchestration-policy's {@code policy.spi.Authorizer}, the CEL
 * {@code authorizer} variable of admission policies: that one answers questions about the
 * Kubernetes RBAC of a request's user inside a policy; this package decides whether a caller may
 * call the plane at all.
 *
 * <p>Every type here is immutable and thread-safe; {@link io.orchestrationplane.core.access.AccessControl}
 * implementations must be too. Null-marked: parameters and return values are non-null unless
 * annotated {@code @Nullable}.
 */
@NullMarked
package io.orchestrationplane.core.access;

import org.jspecify.annotations.NullMarked;
