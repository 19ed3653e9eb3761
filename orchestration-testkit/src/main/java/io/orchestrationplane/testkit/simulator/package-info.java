/**
 * A workload simulator that plays kube-controller-manager and the kubelet on any
 * {@link io.orchestrationplane.core.cluster.ClusterDriver}, driven by a {@link java.time.Clock}, so
 * tests and demos see workloads become ready, or fail as scripted with a {@link
 * io.orchestrationplane.testkit.simulator.Fault}, without a real cluster: one class per simulated
 * controller behind {@code SimulatedController}. Start from {@link
 * io.orchestrationplane.testkit.simulator.WorkloadSimulator#builder}. See docs/health.md. A {@code
 * WorkloadSimulator} is thread-safe (its passes and fault scripting are serialised); the
 * controllers and the per-pass state it uses are confined to the pass that runs them. Null-marked:
 * parameters and return values are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.orchestrationplane.testkit.simulator;

import org.jspecify.annotations.NullMarked;
