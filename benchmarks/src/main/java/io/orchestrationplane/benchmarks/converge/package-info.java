/**
 * JMH benchmarks and bench mains of continuous mode at scale on in-memory clusters: converging
 * 1,000 applications from empty and the full resyncs that follow, 10,000 applications with their
 * retained heap, governance's and the audit log's share, and reads of the converged objects'
 * trees alone. Results and commands are in docs/benchmarks.md.
 * JMH creates and drives these classes: each state object belongs to the threads its scope gives
 * it and is filled in by its setup method, so the package is not null-marked (its fields are set
 * after construction).
 */
package io.orchestrationplane.benchmarks.converge;
