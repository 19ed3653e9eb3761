/**
 * AssertJ assertions for plans, clusters, resources, application status, execution results and
 * policy decisions, through one entry point, {@link
 * io.orchestrationplane.testkit.assertions.OrchestrationAssertions}. A failure shows the relevant
 * excerpt: the plan's text, the object's YAML, the status's text, every violation of a decision.
 * As with AssertJ, an assertion object belongs to the thread that made it; the values it checks
 * are read once, when it is made. Null-marked: parameters and return values are non-null unless
 * annotated {@code @Nullable}.
 */
@NullMarked
package io.orchestrationplane.testkit.assertions;

import org.jspecify.annotations.NullMarked;
