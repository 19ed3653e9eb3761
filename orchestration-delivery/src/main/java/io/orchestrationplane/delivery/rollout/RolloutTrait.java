package io.orchestrationplane.delivery.rollout;

import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertyType;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.render.TraitType;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code rollout} trait: declares how a webservice-like component (one rendering a
 * Deployment and a Service named after it) is rolled out in one environment. One trait per
 * environment (the trait may repeat); environments it does not name roll out as usual.
 *
 * <pre>{@code
 * traits:
 *   - type: rollout
 *     properties:
 *       environment: prod
 *       canary:
 *         steps:
 *           - setWeight: 10
 *           - pause: {duration: 1m}            # pause: {} waits until approved
 *           - analysis: {templateName: error-rate, args: {workload: api-canary}}
 *           - setWeight: 50
 *       traffic:
 *         gatewayApi: {gateway: shop-gw, namespace: infra, hostnames: [shop.example.com]}   # or istio: {hosts: [...]}, replicas: {}
 * }</pre>
 *
 * <p>Register it with the plane's types ({@code TypeRegistry.builder().trait(new RolloutTrait())}).
 * Validation names each problem's path ({@code canary.steps[2].setWeight}). A plain
 * {@code plane.apply} of the declaring environment is refused while rendering: that environment
 * is delivered by {@link Rollouts}, which renders each step with the trait replaced by the
 * plane's own {@code track} form (the stable or canary workload; for blue-green the Service
 * switched to the preview pods; without a traffic layer the canary's pods joined to the stable
 * Service). Users never write {@code track}.
 */
public final class RolloutTrait implements TraitType {
  /** The trait's type name. */
  public static final String NAME = "rollout";
  /** The pod label that keeps the canary's pods apart from the stable Deployment's own (replica ratios). */
  public static final String TRACK_LABEL = "orchestrationplane.io/rollout-track";

  private static final PropertySchema SCHEMA = PropertySchema.builder()
      .required("environment", PropertyType.STRING, "The environment this rollout strategy applies to")
      .optional("canary", PropertyType.OBJECT, "Canary strategy: steps (setWeight, pause, analysis), progressDeadline")
      .optional("blueGreen", PropertyType.OBJECT,
          "Blue-green strategy: prePromotionAnalysis, autoPromotionEnabled, scaleDownDelay, progressDeadline")
      .optional("traffic", PropertyType.OBJECT, "gatewayApi (default when declared), istio or replicas")
      .optional("track", PropertyType.STRING, "Set by the plane while rolling out: stable or canary")
      .optional("selects", PropertyType.STRING, "Set by the plane while rolling out: whose pods the Service selects")
      .build();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PropertySchema schema() {
    return SCHEMA;
  }

  @Override
  public boolean allowsMultiple() {
    return true;
  }

  @Override
  public List<String[]> check(Properties properties) {
    List<String[]> problems = new ArrayList<>();
    RolloutSpec.parse("component", properties.values(), problems);
    return problems;
  }

  @Override
  public List<Resource> apply(RenderContext ctx, Properties p, List<Resource> resources) {
    if (!ctx.environment().name().equals(p.string("environment"))) {
      return resources;
    }
    String track = p.string("track");
    if (track == null) {
      throw new IllegalArgumentException("component '" + ctx.component().name() + "' is rolled out in environment '"
          + ctx.environment().name() + "' by a rollout strategy; deliver it through Rollouts (or a workflow's"
          + " rollout step), not a plain apply");
    }
    String selects = p.string("selects");
    if (selects == null) {
      return resources;
    }
    Map<String, String> target = ctx.selectorLabels(selects);
    List<Resource> out = new ArrayList<>();
    for (Resource r : resources) {
      if ("stable".equals(track) && r.kind().equals("Service") && r.name().equals(ctx.component().name())) {
        // blue-green: the active Service sends traffic to the preview's pods
        out.add(r.edit(t -> t.putObject("spec").setAll(selector((ObjectNode) t.path("spec"), target))));
      } else if ("canary".equals(track) && r.kind().equals("Service")) {
        // replica ratios: the canary is reached through the stable Service only
        continue;
      } else if ("canary".equals(track) && r.kind().equals("Deployment")) {
        out.add(r.edit(t -> {
          ObjectNode spec = (ObjectNode) t.path("spec");
          ObjectNode match = spec.putObject("selector").putObject("matchLabels");
          target.forEach(match::put);
          match.put(TRACK_LABEL, "canary");
          ObjectNode tmpl = spec.path("template") instanceof ObjectNode o ? o : spec.putObject("template");
          ObjectNode meta = tmpl.path("metadata") instanceof ObjectNode o ? o : tmpl.putObject("metadata");
          ObjectNode labels = meta.path("labels") instanceof ObjectNode o ? o : meta.putObject("labels");
          target.forEach(labels::put);
          labels.put(TRACK_LABEL, "canary");
        }));
      } else {
        out.add(r);
      }
    }
    return out;
  }

  private static ObjectNode selector(ObjectNode spec, Map<String, String> target) {
    ObjectNode copy = spec.deepCopy();
    ObjectNode sel = copy.putObject("selector");
    target.forEach(sel::put);
    return copy;
  }
}
