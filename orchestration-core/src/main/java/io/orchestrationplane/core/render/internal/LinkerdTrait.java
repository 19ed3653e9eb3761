package io.orchestrationplane.core.render.internal;

import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertyType;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.render.TraitType;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;

/** {@code linkerd}: the component's pods in the Linkerd mesh: the {@code linkerd.io/inject} annotation on the pod template. */
public final class LinkerdTrait implements TraitType {
  static final String INJECT_ANNOTATION = "linkerd.io/inject";
  private static final List<String> VALUES = List.of("enabled", "disabled", "ingress");

  private static final PropertySchema SCHEMA = PropertySchema.builder()
      .optional("inject", PropertyType.STRING, "enabled", "Proxy injection: enabled, disabled or ingress (annotation linkerd.io/inject)")
      .build();

  @Override
  public String name() {
    return "linkerd";
  }

  @Override
  public PropertySchema schema() {
    return SCHEMA;
  }

  @Override
  public List<String[]> check(Properties p) {
    List<String[]> problems = new ArrayList<>();
    if (!VALUES.contains(p.string("inject"))) {
      problems.add(new String[] {"inject", "must be enabled, disabled or ingress, got \"" + p.string("inject") + "\""});
    }
    return problems;
  }

  @Override
  public List<Resource> apply(RenderContext ctx, Properties p, List<Resource> resources) {
    if (PodTemplates.hasTrait(ctx, "istio")) {
      throw new IllegalArgumentException("istio and linkerd on one component: its pods can be in one mesh only");
    }
    String inject = p.string("inject");
    return PodTemplates.edit(ctx, name(), resources,
        (meta, spec) -> PodTemplates.annotation(meta, INJECT_ANNOTATION, inject));
  }
}
