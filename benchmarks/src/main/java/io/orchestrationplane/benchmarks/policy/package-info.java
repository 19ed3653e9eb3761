/**
 * JMH benchmarks of the policy engine (Gatekeeper at scale, the Kyverno pod-security corpus beside
 * raw cel-java, and their paired ratio) and a profiler reporting CPU time per operation. Results
 * and commands are in docs/benchmarks.md. JMH creates and drives these classes: each state object
 * belongs to the threads its scope gives it and is filled in by its setup method, so the package
 * is not null-marked (its fields are set after construction).
 */
package io.orchestrationplane.benchmarks.policy;
