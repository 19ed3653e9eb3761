/**
 * Test support for teams that embed the plane. {@link io.orchestrationplane.testkit.TestEnvironment}
 * is a deterministic fixture (plane, in-memory clusters, manual clock and scheduler, workload
 * simulators, captured events); sub-packages hold the JUnit 5 extension ({@code junit}), AssertJ
 * assertions ({@code assertions}), fault injection ({@code faults}), golden files ({@code
 * golden}) and the workload simulator ({@code simulator}). See docs/testkit.md.
 *
 * <p>Parameters and return values are non-null unless documented otherwise.
 */
package io.orchestrationplane.testkit;
