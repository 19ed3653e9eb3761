/**
 * A conformance kit for cluster drivers: {@link
 * io.orchestrationplane.testkit.conformance.ClusterDriverConformance} is an abstract JUnit Jupiter
 * test class holding the contract of {@link io.orchestrationplane.core.cluster.ClusterDriver}
 * (create-only create, preconditions, optimistic concurrency, label selection, scope, finalizers,
 * watch delivery, error mapping) that any driver must pass; subclass it with a driver of your own.
 * {@link io.orchestrationplane.testkit.conformance.ServerError} describes an API server's error
 * answer and {@link io.orchestrationplane.testkit.conformance.MockApiServer} serves one on demand
 * from kubernetes-mock-server, for drivers that talk HTTP. See docs/drivers.md.
 * {@link io.orchestrationplane.testkit.conformance.StateStoreContract} is the same for state stores
 * ({@link io.orchestrationplane.core.state.StateStore}): versions, create-only, compare-and-set,
 * ordered listing, limits, concurrency, durability and damage. See docs/state.md.
 *
 * <p>Thread-safety: {@code ServerError} is an immutable value and {@code MockApiServer} is
 * thread-safe; a {@code ClusterDriverConformance} or {@code StateStoreContract} instance runs one test at a time (JUnit creates
 * one per test), and the drivers it tests must be thread-safe, as the {@code ClusterDriver}
 * contract requires. Null-marked: parameters and return values are non-null unless annotated
 * {@code @Nullable}.
 */
@NullMarked
package io.orchestrationplane.testkit.conformance;

import org.jspecify.annotations.NullMarked;
