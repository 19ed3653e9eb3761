/**
 * The release-workflow demo: {@code ReleaseWorkflow} promotes a shop dev → staging → prod on
 * three in-memory clusters with simulated kubelets and a fake clock, through soak times, an
 * approval and a change window, then ships a release whose api crash-loops in prod and is rolled
 * back automatically. A program run from {@code main} on one thread. Null-marked.
 */
@NullMarked
package io.orchestrationplane.samples.release;

import org.jspecify.annotations.NullMarked;
