package io.orchestrationplane.core.render.internal;

import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertySpec;
import io.orchestrationplane.core.render.PropertyType;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.render.TraitType;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code autoscaler}: a HorizontalPodAutoscaler (autoscaling/v2) on CPU utilisation. The
 * Deployment's {@code spec.replicas} is left out so that the plane and the autoscaler never
 * fight over it.
 */
public final class AutoscalerTrait implements TraitType {
  private static final PropertySchema SCHEMA = PropertySchema.builder()
      .add(new PropertySpec("min", PropertyType.INTEGER, false, 1L, "Minimum replicas", 1L, false))
      .add(new PropertySpec("max", PropertyType.INTEGER, true, null, "Maximum replicas", 1L, false))
      .add(new PropertySpec("cpuUtilization", PropertyType.INTEGER, false, 80L, "Target average CPU utilisation, percent", 1L, false))
      .build();

  @Override
  public String name() {
    return "autoscaler";
  }

  @Override
  public Set<GroupKind> kinds() {
    return Set.of(new GroupKind("autoscaling", "HorizontalPodAutoscaler"));
  }

  @Override
  public PropertySchema schema() {
    return SCHEMA;
  }

  @Override
  public List<String[]> check(Properties p) {
    List<String[]> problems = new ArrayList<>();
    for (String name : List.of("min", "max", "cpuUtilization")) {
      Workloads.atMost(problems, p, name, Integer.MAX_VALUE);
    }
    if (p.has("max") && p.integer("min", 1) > p.integer("max", 1)) {
      problems.add(new String[] {"min", "must not exceed max (" + p.integer("min", 1) + " > " + p.integer("max", 1) + ")"});
    }
    return problems;
  }

  @Override
  public List<Resource> apply(RenderContext ctx, Properties p, List<Resource> resources) {
    List<Resource> out = new ArrayList<>();
    Resource target = null;
    for (Resource r : resources) {
      if (target == null && (r.kind().equals("Deployment") || r.kind().equals("StatefulSet"))) {
        r = r.edit(t -> {
          if (t.get("spec") instanceof ObjectNode spec) {
            spec.remove("replicas");
          }
        });
        target = r;
      }
      out.add(r);
    }
    if (target == null) {
      throw new IllegalArgumentException("autoscaler needs a Deployment or StatefulSet, and component '"
          + ctx.component().name() + "' renders none");
    }
    ObjectNode hpa = Workloads.object("autoscaling/v2", "HorizontalPodAutoscaler", ctx.component().name());
    ObjectNode spec = hpa.putObject("spec");
    ObjectNode ref = spec.putObject("scaleTargetRef");
    ref.put("apiVersion", target.apiVersion());
    ref.put("kind", target.kind());
    ref.put("name", target.name());
    spec.put("minReplicas", (int) p.integer("min", 1));
    spec.put("maxReplicas", (int) p.integer("max", 1));
    ObjectNode metric = spec.putArray("metrics").addObject();
    metric.put("type", "Resource");
    ObjectNode resource = metric.putObject("resource");
    resource.put("name", "cpu");
    ObjectNode targetNode = resource.putObject("target");
    targetNode.put("type", "Utilization");
    targetNode.put("averageUtilization", (int) p.integer("cpuUtilization", 80));
    out.add(Resource.of(hpa));
    return out;
  }
}
