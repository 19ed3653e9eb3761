/**
 * The JUnit 5 extension: {@link io.orchestrationplane.testkit.junit.OrchestrationTest} gives each
 * test a fresh {@link io.orchestrationplane.testkit.TestEnvironment} and injects its parts; {@link
 * io.orchestrationplane.testkit.junit.KubernetesOrchestrationTest} does the same over
 * kubernetes-mock-server with a {@link io.orchestrationplane.testkit.junit.KubernetesEnvironment}.
 *
 * <p>Parameters and return values are non-null unless documented otherwise.
 */
package io.orchestrationplane.testkit.junit;
