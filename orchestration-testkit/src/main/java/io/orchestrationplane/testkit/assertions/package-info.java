/**
 * AssertJ assertions for plans, clusters, resources, application status, execution results
 * and policy decisions,
 * through one entry point, {@link io.orchestrationplane.testkit.assertions.OrchestrationAssertions}.
 * A failure shows the relevant excerpt: the plan's text, the object's YAML, the status's text, every
 * violation of a decision.
 *
 * <p>Parameters and return values are non-null unless documented otherwise.
 */
package io.orchestrationplane.testkit.assertions;
