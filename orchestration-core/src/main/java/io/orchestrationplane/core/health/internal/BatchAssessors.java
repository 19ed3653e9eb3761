package io.orchestrationplane.core.health.internal;

import static io.orchestrationplane.core.health.internal.Fields.argo;
import static io.orchestrationplane.core.health.internal.Fields.list;
import static io.orchestrationplane.core.health.internal.Fields.text;

import io.orchestrationplane.core.health.Health;
import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.resource.Resource;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import tools.jackson.databind.JsonNode;

/** Job and Argo Workflow (Argo CD's semantics) and CronJob (our own; see docs/health.md). */
final class BatchAssessors {
  private BatchAssessors() {}

  /**
   * As Argo CD ({@code pkg/health/health_job.go}): a Failed condition → DEGRADED with its message;
   * Suspended True → SUSPENDED; a Complete condition (or Suspended False beside one) → HEALTHY with
   * its message; none → PROGRESSING. Conditions count whatever their status, except ours: a
   * Suspended False alone (a resumed Job, running again) is PROGRESSING, where Argo CD says HEALTHY.
   */
  static HealthStatus job(Resource job) {
    JsonNode status = job.json().path("status");
    boolean failed = false;
    boolean complete = false;
    boolean suspended = false;
    boolean resumed = false;
    String failMessage = "";
    String message = "";
    for (JsonNode c : list(status, "conditions")) {
      switch (text(c, "type")) {
        case "Failed" -> {
          failed = true;
          failMessage = text(c, "message");
        }
        case "Complete" -> {
          complete = true;
          message = text(c, "message");
        }
        case "Suspended" -> {
          message = text(c, "message");
          if ("True".equals(text(c, "status"))) {
            suspended = true;
          } else {
            resumed = true;
          }
        }
        default -> { }
      }
    }
    if (failed) {
      return argo(Health.DEGRADED, job, failMessage);
    }
    if (suspended) {
      // Argo CD gives the failure message here, which is always empty.
      return argo(Health.SUSPENDED, job, "");
    }
    if (complete) {
      return argo(Health.HEALTHY, job, message);
    }
    if (resumed) {
      return argo(Health.PROGRESSING, job, message);
    }
    return argo(Health.PROGRESSING, job, "");
  }

  /**
   * An Argo Workflow ({@code argoproj.io}) by its phase alone, as Argo CD's built-in check
   * ({@code pkg/health/health_argo.go}): none yet, Pending or Running is PROGRESSING, Succeeded
   * HEALTHY, Failed or Error DEGRADED, anything else UNKNOWN; the message is the workflow's own.
   */
  static HealthStatus workflow(Resource wf) {
    JsonNode status = wf.json().path("status");
    String message = text(status, "message");
    return switch (text(status, "phase")) {
      case "", "Pending", "Running" -> argo(Health.PROGRESSING, wf, message);
      case "Succeeded" -> argo(Health.HEALTHY, wf, message);
      case "Failed", "Error" -> argo(Health.DEGRADED, wf, message);
      default -> argo(Health.UNKNOWN, wf, message);
    };
  }

  /**
   * A CronJob is a schedule: SUSPENDED when {@code spec.suspend}; DEGRADED when its last
   * scheduled run finished without succeeding (no active job and {@code lastSuccessfulTime}
   * older than {@code lastScheduleTime}); otherwise HEALTHY, including while a run is active.
   */
  static HealthStatus cronJob(Resource cron) {
    if (Fields.isTrue(cron.json().path("spec"), "suspend")) {
      return HealthStatus.suspended(cron + " is suspended");
    }
    JsonNode status = cron.json().path("status");
    String schedule = text(cron.json().path("spec"), "schedule");
    String lastSchedule = text(status, "lastScheduleTime");
    String lastSuccess = text(status, "lastSuccessfulTime");
    int active = list(status, "active").size();
    if (lastSchedule.isEmpty()) {
      return HealthStatus.healthy(cron + " has not run yet (schedule " + schedule + ")");
    }
    if (active > 0) {
      return HealthStatus.healthy(cron + " has " + active + " active job(s), last scheduled at " + lastSchedule);
    }
    Instant scheduled = parse(lastSchedule);
    Instant succeeded = lastSuccess.isEmpty() ? null : parse(lastSuccess);
    if (succeeded == null || succeeded.isBefore(scheduled)) {
      return HealthStatus.degraded(cron + ": the run scheduled at " + lastSchedule + " did not succeed"
          + (succeeded == null ? "" : " (last success " + lastSuccess + ")"));
    }
    return HealthStatus.healthy(cron + " last succeeded at " + lastSuccess);
  }

  private static Instant parse(String time) {
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("invalid timestamp " + time + " in CronJob status", e);
    }
  }
}
