package io.orchestrationplane.delivery;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.status.ApplicationStatus;
import java.time.Instant;

/** What a {@link StepType} sees of the run it is part of. */
public interface StepContext {
  /** The release being delivered. */
  Release release();

  /** The step, with its properties. */
  Step step();

  /** 1 for the first attempt. */
  int attempt();

  /**
   * The number of the workflow run this attempt belongs to (1, 2, ... per application; a release
   * started again after a failed run gets a new run): with {@link #attempt()}, it keys state a
   * step type keeps of its own.
   */
  long run();

  /** The delivery's clock. */
  Instant now();

  /** The plane the release is delivered through. */
  OrchestrationPlane plane();

  /**
   * The application the delivery applies for one environment of the release: the release's
   * model with only that environment, named {@code <name>-<environment>} (see {@code docs/delivery.md}).
   */
  Application environmentApplication(String environment);

  /** The plane's status of that application, read now. */
  ApplicationStatus status(String environment);
}
