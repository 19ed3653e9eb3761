package io.orchestrationplane.samples.testing;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.plan.Planner;
import io.orchestrationplane.core.reconcile.Controller;
import io.orchestrationplane.core.reconcile.EventSources;
import io.orchestrationplane.core.reconcile.Reconciler;
import io.orchestrationplane.core.reconcile.Result;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A platform team's own controller: for every StatefulSet annotated with {@link
 * PostgresType#BACKUP_SCHEDULE}, a CronJob {@code <name>-backup} in its namespace that runs
 * {@code pg_dump} on that schedule with the database's own image and password Secret. Keys are
 * {@code namespace/name} of the StatefulSet.
 *
 * <p>Level-based and idempotent: it writes the CronJob only when it is missing or differs from
 * the desired one (compared with the plane's {@link Planner#diff}), so a converged database
 * costs no writes, and an edited CronJob is put back. When the annotation or the StatefulSet goes
 * away, the CronJob is deleted.
 *
 * <pre>{@code
 * try (Controller<String> backups = BackupScheduleReconciler.controller(cluster, clock, scheduler, 0)) {
 *   backups.start();
 * }
 * }</pre>
 */
public final class BackupScheduleReconciler implements Reconciler<String> {
  /** The label naming, on a backup CronJob, the StatefulSet it backs up. */
  public static final String DATABASE_LABEL = "backup.example.com/database";
  /** The controller's name, and the CronJob's {@code app.kubernetes.io/managed-by}. */
  public static final String NAME = "backup-schedules";
  /** How often every database is checked again even without events. */
  public static final Duration RESYNC = Duration.ofMinutes(10);

  static final GroupKind STATEFUL_SET = new GroupKind("apps", "StatefulSet");
  static final GroupKind CRON_JOB = new GroupKind("batch", "CronJob");

  private final ClusterDriver cluster;

  public BackupScheduleReconciler(ClusterDriver cluster) {
    this.cluster = cluster;
  }

  /**
   * A controller running this reconciler on {@code cluster}: it watches StatefulSets and backup
   * CronJobs (an edited or deleted CronJob wakes its database) and resyncs every database each
   * {@link #RESYNC}. {@code workers(0)} runs reconciles only from {@code runPending()}, for tests.
   */
  public static Controller<String> controller(ClusterDriver cluster, Clock clock, Scheduler scheduler, int workers) {
    return Controller.builder(NAME, new BackupScheduleReconciler(cluster))
        .workers(workers).clock(clock).scheduler(scheduler)
        .eventSource(EventSources.watch(cluster, List.of(STATEFUL_SET, CRON_JOB), e -> {
          Resource r = e.resource();
          if (r.groupKind().equals(STATEFUL_SET)) {
            return List.of(r.namespace() + "/" + r.name());
          }
          String db = r.label(DATABASE_LABEL);
          return db == null ? List.<String>of() : List.of(r.namespace() + "/" + db);
        }))
        .eventSource(EventSources.resync(RESYNC, () -> cluster.list(STATEFUL_SET, null, Map.of()).stream()
            .map(s -> s.namespace() + "/" + s.name()).toList()))
        .build();
  }

  @Override
  public Result reconcile(String key, Context context) {
    int slash = key.indexOf('/');
    if (slash <= 0 || slash == key.length() - 1) {
      return Result.terminal("key must be namespace/name, got '" + key + "'");
    }
    String namespace = key.substring(0, slash);
    String name = key.substring(slash + 1);
    ResourceKey cronKey = ResourceKey.of(cluster.name(), CRON_JOB.group(), CRON_JOB.kind(), namespace, name + "-backup");
    Optional<Resource> database = cluster.get(
        ResourceKey.of(cluster.name(), STATEFUL_SET.group(), STATEFUL_SET.kind(), namespace, name));
    String schedule = database.map(d -> d.annotation(PostgresType.BACKUP_SCHEDULE)).orElse(null);
    if (schedule == null || database.get().isBeingDeleted()) {
      cluster.delete(cronKey);
      return Result.forget();
    }
    Resource desired = backupJob(database.get(), schedule);
    Optional<Resource> live = cluster.get(cronKey);
    if (live.isEmpty() || !Planner.diff(desired, live.get()).isEmpty()) {
      cluster.apply(desired);
    }
    return Result.done();
  }

  /** The CronJob backing up {@code database}: its first container's image and environment, pg_dump to stdout. */
  static Resource backupJob(Resource database, String schedule) {
    JsonNode container = database.at("/spec/template/spec/containers/0");
    String host = database.name() + "-0." + database.name();  // the first replica, through the headless Service
    // PGPASSWORD from the database's own Secret: the backup never sees more than the database does
    String secret = "";
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asString("").equals("POSTGRES_PASSWORD")) {
        secret = e.at("/valueFrom/secretKeyRef/name").asString("");
      }
    }
    String passwordSecret = secret;
    return Resource.of("batch/v1", "CronJob", database.namespace(), database.name() + "-backup")
        .withLabel(DATABASE_LABEL, database.name())
        .withLabel("app.kubernetes.io/managed-by", NAME)
        .edit(t -> {
          ObjectNode spec = t.putObject("spec");
          spec.put("schedule", schedule);
          spec.put("concurrencyPolicy", "Forbid");
          ObjectNode pod = spec.putObject("jobTemplate").putObject("spec").putObject("template").putObject("spec");
          pod.put("restartPolicy", "OnFailure");
          ObjectNode c = pod.putArray("containers").addObject();
          c.put("name", "pg-dump");
          c.put("image", container.path("image").asString());
          c.putArray("command").add("pg_dumpall").add("-h").add(host).add("-U").add("postgres");
          c.putArray("env").add(PostgresType.passwordEnv("PGPASSWORD", passwordSecret));
          ObjectNode limits = c.putObject("resources").putObject("limits");
          limits.put("cpu", "500m").put("memory", "512Mi");
        });
  }
}
