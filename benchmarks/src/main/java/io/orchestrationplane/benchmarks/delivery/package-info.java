/**
 * The delivery bench main: 1,000 applications each delivered through a five-step workflow on
 * in-memory clusters, against the same applies without a workflow; time and state-store writes
 * per step. Results and commands are in docs/benchmarks.md. A program run from {@code main} on
 * one thread; not null-marked, like the rest of the benchmarks.
 */
package io.orchestrationplane.benchmarks.delivery;
