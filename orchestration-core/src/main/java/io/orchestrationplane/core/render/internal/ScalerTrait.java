package io.orchestrationplane.core.render.internal;

import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertySpec;
import io.orchestrationplane.core.render.PropertyType;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.render.TraitType;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;

/** {@code scaler}: sets a fixed number of replicas on the component's Deployments and StatefulSets. */
public final class ScalerTrait implements TraitType {
  private static final PropertySchema SCHEMA = PropertySchema.builder()
      .add(new PropertySpec("replicas", PropertyType.INTEGER, true, null, "Number of pods", 0L, false))
      .build();

  @Override
  public String name() {
    return "scaler";
  }

  @Override
  public PropertySchema schema() {
    return SCHEMA;
  }

  private static boolean autoscaled(Resource workload, List<Resource> resources) {
    return resources.stream().anyMatch(r -> r.kind().equals("HorizontalPodAutoscaler")
        && workload.kind().equals(r.at("/spec/scaleTargetRef/kind").asString())
        && workload.name().equals(r.at("/spec/scaleTargetRef/name").asString()));
  }

  @Override
  public List<String[]> check(Properties p) {
    List<String[]> problems = new ArrayList<>();
    Workloads.atMost(problems, p, "replicas", Integer.MAX_VALUE);
    return problems;
  }

  @Override
  public List<Resource> apply(RenderContext ctx, Properties p, List<Resource> resources) {
    List<Resource> out = new ArrayList<>();
    boolean scaled = false;
    for (Resource r : resources) {
      if (r.kind().equals("Deployment") || r.kind().equals("StatefulSet") || r.kind().equals("ReplicaSet")) {
        if (autoscaled(r, resources)) {
          // Setting replicas here would make every apply undo the autoscaler's decisions.
          throw new IllegalArgumentException(r.kind() + " '" + r.name() + "' is scaled by a HorizontalPodAutoscaler"
              + " (trait autoscaler), so scaler must not set its replicas: remove one of the two traits");
        }
        r = r.edit(t -> Workloads.child(t, "spec").put("replicas", (int) p.integer("replicas", 1)));
        scaled = true;
      }
      out.add(r);
    }
    if (!scaled) {
      throw new IllegalArgumentException("scaler needs a Deployment, StatefulSet or ReplicaSet, and component '"
          + ctx.component().name() + "' renders none");
    }
    return out;
  }
}
