/**
 * Test support for teams that embed the plane. {@link io.orchestrationplane.testkit.TestEnvironment}
 * is a deterministic fixture (plane, in-memory clusters, manual clock and scheduler, workload
 * simulators, captured events); it and {@code junit.KubernetesEnvironment}, its counterpart over
 * HTTP, extend {@link io.orchestrationplane.testkit.PlaneEnvironment}, so a helper written against
 * it runs with either. Sub-packages hold the JUnit 5 extensions ({@code junit}), AssertJ
 * assertions ({@code assertions}), fault injection ({@code faults}), golden files ({@code
 * golden}) and the workload simulator ({@code simulator}). See docs/testkit.md.
 *
 * <p>Thread-safety: a {@code TestEnvironment} is driven from the test's thread only; {@code
 * PlaneEvents} may be appended to from the plane's threads and read from any; {@code ClusterSpec}
 * is immutable; {@code StoredFormCluster} is thread-safe when the driver it wraps is. Null-marked:
 * parameters and return values are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.orchestrationplane.testkit;

import org.jspecify.annotations.NullMarked;
