/**
 * The README's demo: {@code QuickStart} plans, applies and changes a three-component shop on two
 * in-memory clusters with the workload simulator on a simulated clock, then ships a broken image
 * that ends DEGRADED with its reason. A program run from {@code main} on one thread. Null-marked.
 */
@NullMarked
package io.orchestrationplane.samples.quickstart;

import org.jspecify.annotations.NullMarked;
