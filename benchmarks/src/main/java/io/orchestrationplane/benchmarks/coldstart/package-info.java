/**
 * The first plan in a fresh JVM (issue 19): a main that builds a plane with one in-memory cluster
 * and plans a one-component application with an ingress, run as a new {@code java} process per
 * measurement by {@code benchmarks/coldstart/first-plan.sh}. Single-threaded.
 */
@NullMarked
package io.orchestrationplane.benchmarks.coldstart;

import org.jspecify.annotations.NullMarked;
