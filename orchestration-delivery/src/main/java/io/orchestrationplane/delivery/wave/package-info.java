/**
 * Cluster-by-cluster waves: a change placed on many clusters rolls out group by group, at most
 * {@code maxConcurrency} clusters at a time, each wave healthy for a soak time before the next
 * starts, stopping when more than {@code maxFailures} clusters of a group failed or missed their
 * progress deadline, as Open Cluster Management's rollout strategy does. {@link
 * io.orchestrationplane.delivery.wave.WaveStrategy} is the configuration, {@link
 * io.orchestrationplane.delivery.wave.WavePlanner} the pure decision, {@link
 * io.orchestrationplane.delivery.wave.WaveRollout} the {@code ExecutionStrategy} that keeps the
 * progress in the plane's {@code StateStore}, and {@link
 * io.orchestrationplane.delivery.wave.WaveProgress} what it reports.
 *
 * <p>Thread-safety: value types are immutable; {@code WavePlanner} is stateless; {@code
 * WaveRollout} is thread-safe (its state is a compare-and-set document per application).
 */
@NullMarked
package io.orchestrationplane.delivery.wave;

import org.jspecify.annotations.NullMarked;
