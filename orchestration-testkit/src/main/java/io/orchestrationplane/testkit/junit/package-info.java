/**
 * The JUnit 5 extensions: {@link io.orchestrationplane.testkit.junit.OrchestrationTest} gives each
 * test a fresh {@link io.orchestrationplane.testkit.TestEnvironment} and injects its parts; {@link
 * io.orchestrationplane.testkit.junit.KubernetesOrchestrationTest} does the same over
 * kubernetes-mock-server with a {@link io.orchestrationplane.testkit.junit.KubernetesEnvironment}.
 * Each test has its own environment, so tests may run in parallel; a {@code KubernetesEnvironment}
 * is thread-safe (the plane and the simulators work on their own threads). Null-marked: parameters
 * and return values are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.orchestrationplane.testkit.junit;

import org.jspecify.annotations.NullMarked;
