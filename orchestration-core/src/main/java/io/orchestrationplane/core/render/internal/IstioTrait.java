package io.orchestrationplane.core.render.internal;

import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertyType;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.render.TraitType;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code istio}: the component's pods in the Istio mesh: the {@code sidecar.istio.io/inject}
 * label on the pod template, optionally a {@code PeerAuthentication} (security.istio.io/v1) that
 * sets their mutual-TLS mode, and a {@code DestinationRule} (networking.istio.io/v1) with the
 * traffic policy for the component's Service.
 *
 * <p>Declares no {@link #kinds()}: the plane watches and searches the kinds its types declare
 * on every cluster, and a cluster without Istio serves neither kind. Their objects are found
 * through what the application rendered and its inventory, and watched once rendered. The kind
 * catalogue ranks and scopes both.
 */
public final class IstioTrait implements TraitType {
  static final String INJECT_LABEL = "sidecar.istio.io/inject";
  private static final List<String> MTLS_MODES = List.of("STRICT", "PERMISSIVE", "DISABLE");
  private static final Set<String> POLICY_FIELDS = Set.of("loadBalancer", "connectionPool", "outlierDetection", "tls",
      "portLevelSettings", "tunnel", "proxyProtocol", "retryBudget");
  private static final List<String> LB_SIMPLE = List.of("UNSPECIFIED", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN",
      "LEAST_REQUEST", "LEAST_CONN");
  private static final List<String> TLS_MODES = List.of("DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL");

  private static final PropertySchema SCHEMA = PropertySchema.builder()
      .optional("inject", PropertyType.BOOLEAN, true, "Sidecar injection: the pod template label sidecar.istio.io/inject")
      .optional("mtls", PropertyType.STRING, "Mutual TLS of the pods: STRICT, PERMISSIVE or DISABLE, as a PeerAuthentication")
      .optional("trafficPolicy", PropertyType.OBJECT, "Istio TrafficPolicy (loadBalancer, connectionPool, outlierDetection, tls...) for the component's Service, as a DestinationRule")
      .build();

  @Override
  public String name() {
    return "istio";
  }

  @Override
  public PropertySchema schema() {
    return SCHEMA;
  }

  @Override
  public List<String[]> check(Properties p) {
    List<String[]> problems = new ArrayList<>();
    if (p.has("mtls") && !MTLS_MODES.contains(p.string("mtls"))) {
      problems.add(new String[] {"mtls", "must be STRICT, PERMISSIVE or DISABLE, got \"" + p.string("mtls") + "\""});
    }
    if (p.get("trafficPolicy") instanceof Map<?, ?> policy) {
      for (Object field : policy.keySet()) {
        if (!POLICY_FIELDS.contains(field)) {
          problems.add(new String[] {"trafficPolicy." + field, "unknown field '" + field + "' of an Istio TrafficPolicy (known: "
              + String.join(", ", POLICY_FIELDS.stream().sorted().toList()) + ")"});
        }
      }
      if (policy.get("loadBalancer") instanceof Map<?, ?> lb && lb.containsKey("simple")
          && !LB_SIMPLE.contains(lb.get("simple"))) {
        problems.add(new String[] {"trafficPolicy.loadBalancer.simple", "must be one of " + String.join(", ", LB_SIMPLE)
            + ", got " + describe(lb.get("simple"))});
      }
      if (policy.get("tls") instanceof Map<?, ?> tls && tls.containsKey("mode") && !TLS_MODES.contains(tls.get("mode"))) {
        problems.add(new String[] {"trafficPolicy.tls.mode", "must be one of " + String.join(", ", TLS_MODES)
            + ", got " + describe(tls.get("mode"))});
      }
      if (policy.isEmpty()) {
        problems.add(new String[] {"trafficPolicy", "must not be empty"});
      }
    }
    return problems;
  }

  private static String describe(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  @Override
  public List<Resource> apply(RenderContext ctx, Properties p, List<Resource> resources) {
    if (PodTemplates.hasTrait(ctx, "linkerd")) {
      throw new IllegalArgumentException("istio and linkerd on one component: its pods can be in one mesh only");
    }
    boolean inject = p.bool("inject", true);
    List<Resource> out = PodTemplates.edit(ctx, name(), resources,
        (meta, spec) -> PodTemplates.label(meta, INJECT_LABEL, Boolean.toString(inject)));
    if (p.has("mtls")) {
      ObjectNode pa = Workloads.object("security.istio.io/v1", "PeerAuthentication", ctx.component().name());
      ObjectNode spec = pa.putObject("spec");
      spec.putObject("selector").set("matchLabels", Workloads.labels(ctx.selectorLabels()));
      spec.putObject("mtls").put("mode", p.string("mtls"));
      out.add(Resource.of(pa));
    }
    if (p.get("trafficPolicy") instanceof Map<?, ?> policy) {
      Resource service = resources.stream().filter(r -> r.kind().equals("Service")).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("istio trafficPolicy applies to the component's Service, and "
              + "component '" + ctx.component().name() + "' renders none"));
      ObjectNode dr = Workloads.object("networking.istio.io/v1", "DestinationRule", ctx.component().name());
      ObjectNode spec = dr.putObject("spec");
      // A short host name is the Service in the DestinationRule's own namespace.
      spec.put("host", service.name());
      spec.set("trafficPolicy", Json.JSON.valueToTree(policy));
      out.add(Resource.of(dr));
    }
    return out;
  }
}
