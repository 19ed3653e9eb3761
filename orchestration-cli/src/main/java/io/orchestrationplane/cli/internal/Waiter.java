package io.orchestrationplane.cli.internal;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.status.ApplicationStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code --wait}: looks at the application's status until it is READY or the timeout passes. Changes
 * an apply held back behind a readiness gate (a component whose dependency was not healthy yet)
 * are applied again on each look, as continuous mode would, so an application with dependencies
 * gets there; the same desired state applied again records no new revision.
 */
final class Waiter {
  /** How waiting ended: the last status and the last execution. */
  record Waited(boolean ready, ApplicationStatus status, ExecutionResult last, Duration waited) {}

  private Waiter() {}

  static Waited await(OrchestrationPlane plane, Application app, ExecutionResult first, Subject subject, Origin origin,
      WaitOptions options, Io io) throws InterruptedException {
    Instant start = io.clock().instant();
    Instant deadline = start.plus(options.timeout);
    ExecutionResult last = first;
    while (true) {
      ApplicationStatus status = plane.status(app);
      Instant now = io.clock().instant();
      if (status.isReady() || !last.succeeded()) {
        return new Waited(status.isReady(), status, last, Duration.between(start, now));
      }
      if (!now.isBefore(deadline)) {
        return new Waited(false, status, last, Duration.between(start, now));
      }
      Duration pause = options.poll.compareTo(Duration.between(now, deadline)) < 0 ? options.poll : Duration.between(now, deadline);
      Thread.sleep(Math.max(1, pause.toMillis()));
      if (!last.waiting().isEmpty()) {
        last = plane.apply(app, subject, origin);
      }
    }
  }

  /** What is still not ready, one line each, for the timeout message. */
  static String pending(ApplicationStatus status) {
    StringBuilder sb = new StringBuilder();
    status.resources().stream().filter(r -> !r.isSynced() || r.health().health() != io.orchestrationplane.core.health.Health.HEALTHY)
        .forEach(r -> sb.append("  ").append(r.key().cluster()).append(' ').append(r.key().display()).append(": ")
            .append(r.state()).append(", ").append(r.health().health())
            .append(r.health().message().isEmpty() ? "" : " (" + r.health().message() + ")").append('\n'));
    return sb.toString();
  }
}
