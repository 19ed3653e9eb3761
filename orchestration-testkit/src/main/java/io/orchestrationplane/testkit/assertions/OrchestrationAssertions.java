package io.orchestrationplane.testkit.assertions;

import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.policy.Decision;
import org.assertj.core.api.Assertions;

/**
 * The one entry point for the testkit's AssertJ assertions; it extends AssertJ's {@link
 * Assertions}, so one static import serves both.
 *
 * <pre>{@code
 * import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThat;
 *
 * assertThat(plane.plan(app)).hasCreates(3);
 * assertThat(prod).hasResource("Deployment", "shop/api").withLabel("tier", "backend");
 * assertThat(plane.status(app)).isReady();
 * assertThat(plane.apply(app)).isComplete();
 * assertThat(engine.evaluate(request)).isDeniedBy("require-limits");
 * assertThat(events.size()).isPositive();           // plain AssertJ
 * }</pre>
 */
public class OrchestrationAssertions extends Assertions {
  protected OrchestrationAssertions() {}

  public static PlanAssert assertThat(Plan actual) {
    return new PlanAssert(actual);
  }

  public static ClusterAssert assertThat(ClusterDriver actual) {
    return new ClusterAssert(actual);
  }

  public static ResourceAssert assertThat(Resource actual) {
    return new ResourceAssert(actual, "");
  }

  public static ApplicationStatusAssert assertThat(ApplicationStatus actual) {
    return new ApplicationStatusAssert(actual);
  }

  public static ExecutionResultAssert assertThat(ExecutionResult actual) {
    return new ExecutionResultAssert(actual);
  }

  public static DecisionAssert assertThat(Decision actual) {
    return new DecisionAssert(actual);
  }
}
