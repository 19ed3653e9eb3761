/**
 * JMH benchmarks of health assessment: assessing live objects and aggregating an application's
 * resources. Results and commands are in docs/benchmarks.md. JMH creates and drives these classes:
 * each state object belongs to the threads its scope gives it and is filled in by its setup
 * method, so the package is not null-marked (its fields are set after construction).
 */
package io.orchestrationplane.benchmarks.health;
