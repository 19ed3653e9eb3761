package io.orchestrationplane.core.render.internal;

import io.orchestrationplane.core.render.ComponentType;
import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertySpec;
import io.orchestrationplane.core.render.PropertyType;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/** {@code cronjob}: a job run on a cron schedule. */
public final class CronJobType implements ComponentType {
  private static final PropertySchema SCHEMA = Workloads.containerSchema()
      .required("schedule", PropertyType.STRING, "Cron schedule, e.g. \"*/15 * * * *\"")
      .optional("concurrencyPolicy", PropertyType.STRING, "Forbid", "Allow, Forbid or Replace")
      .optional("suspend", PropertyType.BOOLEAN, false, "Pause scheduling")
      .add(new PropertySpec("backoffLimit", PropertyType.INTEGER, false, 6L, "Retries of each run", 0L, false))
      .optional("restartPolicy", PropertyType.STRING, "Never", "Pod restart policy: Never or OnFailure")
      .build();

  // The descriptors Kubernetes' cron parser accepts besides "@every <duration>".
  private static final List<String> MACROS = List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily",
      "@midnight", "@hourly");

  @Override
  public String name() {
    return "cronjob";
  }

  @Override
  public Set<GroupKind> kinds() {
    return Set.of(new GroupKind("batch", "CronJob"));
  }

  @Override
  public PropertySchema schema() {
    return SCHEMA;
  }

  @Override
  public List<String[]> check(Properties p) {
    List<String[]> problems = new ArrayList<>(Workloads.containerProblems(p));
    problems.addAll(JobType.restartPolicyProblems(p));
    Workloads.atMost(problems, p, "backoffLimit", Integer.MAX_VALUE);
    String schedule = p.string("schedule");
    if (schedule != null && schedule.startsWith("@")) {
      if (!MACROS.contains(schedule) && !schedule.matches("@every \\S+")) {
        problems.add(new String[] {"schedule", "unknown macro \"" + schedule + "\" (use " + String.join(", ", MACROS)
            + " or @every <duration>)"});
      }
    } else if (schedule != null && schedule.trim().split("\\s+").length != 5) {
      problems.add(new String[] {"schedule", "must have 5 fields (minute hour day month weekday) or be a macro like @hourly, got \"" + schedule + "\""});
    }
    if (!List.of("Allow", "Forbid", "Replace").contains(p.string("concurrencyPolicy"))) {
      problems.add(new String[] {"concurrencyPolicy", "must be Allow, Forbid or Replace, got \"" + p.string("concurrencyPolicy") + "\""});
    }
    return problems;
  }

  @Override
  public List<Resource> render(RenderContext ctx, Properties p) {
    ObjectNode cron = Workloads.object("batch/v1", "CronJob", ctx.component().name());
    ObjectNode spec = cron.putObject("spec");
    spec.put("schedule", p.string("schedule"));
    spec.put("concurrencyPolicy", p.string("concurrencyPolicy"));
    spec.put("suspend", p.bool("suspend", false));
    spec.putObject("jobTemplate").set("spec", JobType.jobSpec(ctx, p));
    return List.of(Resource.of(cron));
  }
}
