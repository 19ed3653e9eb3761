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

/** {@code worker}: a long-running, replicated process with no network endpoint. */
public final class WorkerType implements ComponentType {
  private static final PropertySchema SCHEMA = Workloads.containerSchema()
      .add(new PropertySpec(Workloads.REPLICAS, PropertyType.INTEGER, false, 1L, "Number of pods", 0L, false))
      .build();

  @Override
  public String name() {
    return "worker";
  }

  @Override
  public Set<GroupKind> kinds() {
    return Set.of(new GroupKind("apps", "Deployment"));
  }

  @Override
  public PropertySchema schema() {
    return SCHEMA;
  }

  @Override
  public List<String[]> check(Properties p) {
    List<String[]> problems = new ArrayList<>(Workloads.containerProblems(p));
    Workloads.atMost(problems, p, Workloads.REPLICAS, Integer.MAX_VALUE);
    return problems;
  }

  @Override
  public List<Resource> render(RenderContext ctx, Properties p) {
    return List.of(Workloads.deployment(ctx, p, null));
  }
}
