package io.orchestrationplane.testkit.simulator;

import java.time.Duration;

/** How long each simulated step takes; see {@link WorkloadSimulator.Builder}. */
record Timings(Duration containerStart, Duration readiness, Duration jobRun, Duration crashAfter,
    Duration provisioning) {
}
