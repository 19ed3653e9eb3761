/**
 * JMH benchmarks of planning 10,000 resources against identical and empty live state, beside the
 * floor of Jackson comparing the same trees. Results and commands are in docs/benchmarks.md. JMH
 * creates and drives these classes: each state object belongs to the threads its scope gives it
 * and is filled in by its setup method, so the package is not null-marked (its fields are set
 * after construction).
 */
package io.orchestrationplane.benchmarks.plan;
