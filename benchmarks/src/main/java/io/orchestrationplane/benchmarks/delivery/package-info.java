/**
 * The delivery bench mains: DeliveryBench (1,000 applications each delivered through a five-step workflow on
 * in-memory clusters, against the same applies without a workflow; time and state-store writes
 * per step) and AnalysisBench (the plane's cost per analysis evaluation beyond the provider's).
 * Results and commands are in docs/benchmarks.md. Programs run from {@code main} on
 * one thread; not null-marked, like the rest of the benchmarks.
 */
package io.orchestrationplane.benchmarks.delivery;
