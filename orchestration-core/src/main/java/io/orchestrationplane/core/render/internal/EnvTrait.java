package io.orchestrationplane.core.render.internal;

import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertyType;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.render.TraitType;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;

/** {@code env}: sets environment variables on every container of the component's workloads. */
public final class EnvTrait implements TraitType {
  private static final PropertySchema SCHEMA = PropertySchema.builder()
      .required("env", PropertyType.STRING_MAP, "Environment variables, name to value")
      .build();

  @Override
  public String name() {
    return "env";
  }

  @Override
  public PropertySchema schema() {
    return SCHEMA;
  }

  @Override
  public List<Resource> apply(RenderContext ctx, Properties p, List<Resource> resources) {
    return ContainerEdits.onContainers(ctx, name(), resources, c -> Workloads.setEnv(c, p.stringMap("env")));
  }
}
