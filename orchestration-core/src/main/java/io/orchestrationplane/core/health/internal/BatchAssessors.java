package io.orchestrationplane.core.health.internal;

import static io.orchestrationplane.core.health.internal.Fields.list;
import static io.orchestrationplane.core.health.internal.Fields.text;

import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.resource.Resource;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** Job and Argo Workflow (Argo CD's semantics) and CronJob (our own; see docs/health.md). */
final class BatchAssessors {
  private BatchAssessors() {}

  static HealthStatus job(Resource job) {
    JsonNode status = job.json().path("status");
    JsonNode failed = null;
    JsonNode complete = null;
    JsonNode suspended = null;
    for (JsonNode c : list(status, "conditions")) {
      boolean isTrue = "True".equals(text(c, "status"));
      switch (text(c, "type")) {
        case "Failed" -> failed = isTrue ? c : failed;
        case "Complete" -> complete = isTrue ? c : complete;
        case "Suspended" -> suspended = isTrue ? c : suspended;
        default -> { }
      }
    }
    if (failed != null) {
      return HealthStatus.degraded(job + " failed: " + Fields.reasonAndMessage(failed));
    }
    if (complete != null) {
      return HealthStatus.healthy(job + " completed with " + Fields.number(status, "succeeded", 0) + " succeeded pod(s)");
    }
    if (suspended != null) {
      return HealthStatus.suspended(job + " is suspended" + suffix(Fields.reasonAndMessage(suspended)));
    }
    return HealthStatus.progressing(job + " is running: " + Fields.number(status, "active", 0) + " active, "
        + Fields.number(status, "succeeded", 0) + " succeeded, " + Fields.number(status, "failed", 0) + " failed");
  }

  /**
   * An Argo Workflow ({@code argoproj.io}) by its phase alone, as Argo CD's built-in check:
   * none yet, Pending or Running is PROGRESSING, Succeeded HEALTHY, Failed or Error DEGRADED,
   * anything else UNKNOWN; the workflow's own message says why.
   */
  static HealthStatus workflow(Resource wf) {
    JsonNode status = wf.json().path("status");
    String phase = text(status, "phase");
    String why = suffix(text(status, "message"));
    return switch (phase) {
      case "", "Pending", "Running" -> HealthStatus.progressing(wf + " is "
          + (phase.isEmpty() ? "waiting to start" : phase.toLowerCase(Locale.ROOT)) + why);
      case "Succeeded" -> HealthStatus.healthy(wf + " succeeded" + why);
      case "Failed", "Error" -> HealthStatus.degraded(wf + " ended in phase " + phase + why);
      default -> HealthStatus.unknown(wf + " has unexpected phase " + phase + why);
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

  private static String suffix(String message) {
    return message.isEmpty() ? "" : ": " + message;
  }
}
