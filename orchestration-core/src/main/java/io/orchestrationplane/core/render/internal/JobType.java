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
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** {@code job}: a run-to-completion task such as a database migration. */
public final class JobType implements ComponentType {
  private static final PropertySchema SCHEMA = Workloads.containerSchema()
      .add(new PropertySpec("backoffLimit", PropertyType.INTEGER, false, 6L, "Retries before the job is marked failed", 0L, false))
      .add(new PropertySpec("activeDeadlineSeconds", PropertyType.INTEGER, false, null, "Time limit for the whole job", 1L, false))
      .optional("restartPolicy", PropertyType.STRING, "Never", "Pod restart policy: Never or OnFailure")
      .build();

  @Override
  public String name() {
    return "job";
  }

  @Override
  public Set<GroupKind> kinds() {
    return Set.of(new GroupKind("batch", "Job"));
  }

  @Override
  public PropertySchema schema() {
    return SCHEMA;
  }

  @Override
  public List<String[]> check(Properties p) {
    List<String[]> problems = new ArrayList<>(Workloads.containerProblems(p));
    problems.addAll(restartPolicyProblems(p));
    Workloads.atMost(problems, p, "backoffLimit", Integer.MAX_VALUE);
    return problems;
  }

  static List<String[]> restartPolicyProblems(Properties p) {
    String policy = p.string("restartPolicy");
    if (!List.of("Never", "OnFailure").contains(policy)) {
      return List.<String[]>of(new String[] {"restartPolicy", "must be Never or OnFailure, got \"" + policy + "\""});
    }
    return List.of();
  }

  @Override
  public List<Resource> render(RenderContext ctx, Properties p) {
    ObjectNode job = Workloads.object("batch/v1", "Job", ctx.component().name());
    job.set("spec", jobSpec(ctx, p));
    return List.of(Resource.of(job));
  }

  static ObjectNode jobSpec(RenderContext ctx, Properties p) {
    ObjectNode spec = JsonNodeFactory.instance.objectNode();
    spec.put("backoffLimit", (int) p.integer("backoffLimit", 6));
    if (p.has("activeDeadlineSeconds")) {
      spec.put("activeDeadlineSeconds", p.integer("activeDeadlineSeconds", 0));
    }
    spec.set("template", Workloads.podTemplate(ctx, p, null, p.string("restartPolicy")));
    return spec;
  }
}
