package io.orchestrationplane.samples.testing;

import io.orchestrationplane.core.render.ComponentType;
import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertySpec;
import io.orchestrationplane.core.render.PropertyType;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A platform team's own component type, {@code postgres}: a StatefulSet running the official
 * image with a volume per replica, a headless Service giving each replica a stable DNS name, and
 * the password read from a Secret the team manages elsewhere (referenced, never rendered). With
 * {@code backupSchedule} set, the StatefulSet carries the {@link #BACKUP_SCHEDULE} annotation
 * that {@link BackupScheduleReconciler} turns into a backup CronJob.
 *
 * <pre>{@code
 * OrchestrationPlane plane = OrchestrationPlane.builder().componentType(new PostgresType())...build();
 * Component.builder("orders-db", "postgres").property("passwordSecret", "orders-db-credentials")
 *     .property("backupSchedule", "0 3 * * *").build();
 * }</pre>
 */
public final class PostgresType implements ComponentType {
  /** The StatefulSet annotation holding the backup cron schedule. */
  public static final String BACKUP_SCHEDULE = "backup.example.com/schedule";
  /** The Postgres major versions the platform team supports. */
  public static final List<String> VERSIONS = List.of("15", "16", "17");
  /** The port Postgres listens on. */
  public static final int PORT = 5432;

  // Kubernetes quantity syntax: a decimal number with an optional binary or decimal suffix.
  private static final Pattern QUANTITY = Pattern.compile("^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([numkMGTPE]|[KMGTPE]i)?$");
  private static final PropertySchema SCHEMA = PropertySchema.builder()
      .required("passwordSecret", PropertyType.STRING, "Secret (key 'password') holding the superuser password")
      .optional("version", PropertyType.STRING, "16", "Postgres major version: " + String.join(", ", VERSIONS))
      .add(new PropertySpec("replicas", PropertyType.INTEGER, false, 1L, "Number of instances", 1L, false))
      .optional("storage", PropertyType.STRING, "10Gi", "Volume size per instance, e.g. 50Gi")
      .optional("cpu", PropertyType.STRING, "1", "CPU request and limit per instance")
      .optional("memory", PropertyType.STRING, "2Gi", "Memory request and limit per instance")
      .optional("backupSchedule", PropertyType.STRING, "Cron schedule of a nightly pg_dump, e.g. \"0 3 * * *\"")
      .build();

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public PropertySchema schema() {
    return SCHEMA;
  }

  @Override
  public List<String[]> check(Properties p) {
    List<String[]> problems = new ArrayList<>();
    if (!VERSIONS.contains(p.string("version"))) {
      problems.add(new String[] {"version", "must be one of " + String.join(", ", VERSIONS) + ", got \""
          + p.string("version") + "\""});
    }
    if (p.integer("replicas", 1) > 5) {
      problems.add(new String[] {"replicas", "must be at most 5, got " + p.integer("replicas", 1)});
    }
    for (String q : List.of("storage", "cpu", "memory")) {
      if (!QUANTITY.matcher(p.string(q)).matches()) {
        problems.add(new String[] {q, "must be a Kubernetes quantity such as 10Gi or 500m, got \"" + p.string(q) + "\""});
      }
    }
    String schedule = p.string("backupSchedule");
    if (schedule != null && schedule.trim().split("\\s+").length != 5) {
      problems.add(new String[] {"backupSchedule", "must have 5 fields (minute hour day month weekday), got \""
          + schedule + "\""});
    }
    return problems;
  }

  @Override
  public List<Resource> render(RenderContext ctx, Properties p) {
    String name = ctx.component().name();
    Map<String, String> selector = ctx.selectorLabels();
    return List.of(headlessService(name, selector), statefulSet(name, selector, p));
  }

  private static Resource headlessService(String name, Map<String, String> selector) {
    ObjectNode svc = object("v1", "Service", name);
    ObjectNode spec = svc.putObject("spec");
    spec.put("clusterIP", "None");  // headless: one DNS record per replica, no load balancing
    ObjectNode sel = spec.putObject("selector");
    selector.forEach(sel::put);
    spec.putArray("ports").addObject().put("name", "postgres").put("port", PORT).put("targetPort", PORT);
    return Resource.of(svc);
  }

  private static Resource statefulSet(String name, Map<String, String> selector, Properties p) {
    ObjectNode sts = object("apps/v1", "StatefulSet", name);
    if (p.has("backupSchedule")) {
      ((ObjectNode) sts.get("metadata")).putObject("annotations").put(BACKUP_SCHEDULE, p.string("backupSchedule"));
    }
    ObjectNode spec = sts.putObject("spec");
    spec.put("serviceName", name);
    spec.put("replicas", p.integer("replicas", 1));
    ObjectNode matchLabels = spec.putObject("selector").putObject("matchLabels");
    selector.forEach(matchLabels::put);
    ObjectNode template = spec.putObject("template");
    ObjectNode podLabels = template.putObject("metadata").putObject("labels");
    selector.forEach(podLabels::put);
    ObjectNode container = template.putObject("spec").putArray("containers").addObject();
    container.put("name", "postgres");
    container.put("image", "postgres:" + p.string("version"));
    container.putArray("ports").addObject().put("name", "postgres").put("containerPort", PORT);
    ArrayNode env = container.putArray("env");
    env.add(passwordEnv("POSTGRES_PASSWORD", p.string("passwordSecret")));
    env.addObject().put("name", "PGDATA").put("value", "/var/lib/postgresql/data/pgdata");
    // requests = limits: a database should not be throttled or evicted before best-effort pods
    ObjectNode resources = container.putObject("resources");
    for (String bound : List.of("requests", "limits")) {
      resources.putObject(bound).put("cpu", p.string("cpu")).put("memory", p.string("memory"));
    }
    container.putArray("volumeMounts").addObject().put("name", "data").put("mountPath", "/var/lib/postgresql/data");
    ObjectNode readiness = container.putObject("readinessProbe");
    readiness.putObject("exec").putArray("command").add("pg_isready").add("-U").add("postgres");
    readiness.put("periodSeconds", 10);
    ObjectNode claim = spec.putArray("volumeClaimTemplates").addObject();
    claim.putObject("metadata").put("name", "data");
    ObjectNode claimSpec = claim.putObject("spec");
    claimSpec.putArray("accessModes").add("ReadWriteOnce");
    claimSpec.putObject("resources").putObject("requests").put("storage", p.string("storage"));
    return Resource.of(sts);
  }

  /** An env var read from key {@code password} of {@code secret}: the password never appears in a manifest. */
  static ObjectNode passwordEnv(String var, @Nullable String secret) {
    ObjectNode e = Json.object();
    e.put("name", var);
    e.putObject("valueFrom").putObject("secretKeyRef").put("name", secret).put("key", "password");
    return e;
  }

  private static ObjectNode object(String apiVersion, String kind, String name) {
    ObjectNode o = Json.object();
    o.put("apiVersion", apiVersion);
    o.put("kind", kind);
    o.putObject("metadata").put("name", name);
    return o;
  }
}
