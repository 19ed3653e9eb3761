/**
 * A workload simulator that plays kube-controller-manager and the kubelet on any
 * {@link io.orchestrationplane.core.cluster.ClusterDriver}, driven by a {@link java.time.Clock}, so
 * tests and demos see workloads become ready, or fail as scripted with a {@link
 * io.orchestrationplane.testkit.simulator.Fault}, without a real cluster. Start from {@link
 * io.orchestrationplane.testkit.simulator.WorkloadSimulator#builder}. See docs/health.md.
 */
package io.orchestrationplane.testkit.simulator;
