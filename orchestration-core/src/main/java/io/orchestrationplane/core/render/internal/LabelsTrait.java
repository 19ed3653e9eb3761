package io.orchestrationplane.core.render.internal;

import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertyType;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.render.TraitType;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code labels}: adds labels to every resource of the component and to its pod templates.
 * Selectors are left alone, since Kubernetes forbids changing them.
 */
public final class LabelsTrait implements TraitType {
  // Overriding the selector labels on a pod template would detach the pods from their
  // Deployment and Service; the ownership labels are overwritten by the renderer anyway.
  private static final Set<String> RESERVED = Set.of(RenderContext.NAME_LABEL, RenderContext.INSTANCE_LABEL,
      Ownership.MANAGED_BY_LABEL, Ownership.APPLICATION_LABEL, Ownership.COMPONENT_LABEL, Ownership.ENVIRONMENT_LABEL);
  private static final PropertySchema SCHEMA = PropertySchema.builder()
      .required("labels", PropertyType.STRING_MAP, "Labels to add, key to value")
      .build();

  @Override
  public String name() {
    return "labels";
  }

  @Override
  public PropertySchema schema() {
    return SCHEMA;
  }

  @Override
  public List<String[]> check(Properties p) {
    List<String[]> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : p.stringMap("labels").entrySet()) {
      if (RESERVED.contains(e.getKey())) {
        problems.add(new String[] {"labels." + e.getKey(), "is set by the plane (to select the component's pods or"
            + " to mark what it owns); choose another key"});
        continue;
      }
      String problem = io.orchestrationplane.core.model.Names.labelProblem(e.getKey(), e.getValue());
      if (problem != null) {
        problems.add(new String[] {"labels." + e.getKey(), problem});
      }
    }
    return problems;
  }

  @Override
  public List<Resource> apply(RenderContext ctx, Properties p, List<Resource> resources) {
    Map<String, String> labels = p.stringMap("labels");
    List<Resource> out = new ArrayList<>();
    for (Resource r : resources) {
      out.add(r.edit(t -> {
        ObjectNode l = Resource.metadataObject(t, "labels");
        labels.forEach(l::put);
        ObjectNode podMeta = Workloads.podMetadata(t);
        if (podMeta != null) {
          ObjectNode pl = Workloads.child(podMeta, "labels");
          labels.forEach(pl::put);
        }
      }));
    }
    return out;
  }
}
