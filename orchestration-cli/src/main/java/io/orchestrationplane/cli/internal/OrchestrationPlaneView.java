package io.orchestrationplane.cli.internal;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.plan.PolicyNotice;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Small lookups over the facade's results that several commands need. */
final class OrchestrationPlaneView {
  private OrchestrationPlaneView() {}

  static List<Environment> environments(Application app) {
    return OrchestrationPlane.environments(app);
  }

  /** The component that rendered the object a notice is about, from the plan's changes. */
  static @Nullable String component(Plan plan, PolicyNotice notice) {
    return plan.change(notice.key()).map(Change::component).orElse(null);
  }
}
