/**
 * The progressive-delivery demo: {@code ProgressiveDelivery} rolls a shop's api out as a canary
 * over a Gateway API HTTPRoute on an in-memory cluster with a simulated kubelet and a fake
 * clock: a good release promoted through 10%, 50% and 100% after its analyses, then a bad release
 * (a scripted error rate) aborted by its analysis and rolled back. A program run from {@code
 * main} on one thread. Null-marked.
 */
@NullMarked
package io.orchestrationplane.samples.progressive;

import org.jspecify.annotations.NullMarked;
