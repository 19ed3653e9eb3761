/**
 * The progressive-delivery demo, run from {@code ProgressiveDelivery.main} on one thread.
 * {@code ProgressiveDelivery} rolls a shop's api out as a canary over a Gateway API HTTPRoute on
 * an in-memory cluster with a simulated kubelet and a fake clock: a good release promoted through
 * 10%, 50% and 100% after its analyses, then a bad release (a scripted error rate) aborted by its
 * analysis and rolled back. {@code WaveRolloutDemo} then rolls a shop out to six in-memory
 * clusters in waves (canary, then eu, then us); the second release crash-loops in eu, its wave
 * fails and the us clusters are never touched. Null-marked.
 */
@NullMarked
package io.orchestrationplane.samples.progressive;

import org.jspecify.annotations.NullMarked;
