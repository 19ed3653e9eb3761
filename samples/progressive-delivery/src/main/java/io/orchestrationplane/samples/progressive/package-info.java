/**
 * The progressive-delivery demo: {@code WaveRolloutDemo} rolls a shop out to six in-memory
 * clusters in waves (canary, then eu, then us) with simulated kubelets on a fake clock; the second
 * release crash-loops in eu, its wave fails and the us clusters are never touched. A program run
 * from {@code main} on one thread. Null-marked.
 */
@NullMarked
package io.orchestrationplane.samples.progressive;

import org.jspecify.annotations.NullMarked;
