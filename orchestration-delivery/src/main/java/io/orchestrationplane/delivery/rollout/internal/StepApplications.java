package io.orchestrationplane.delivery.rollout.internal;

import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.delivery.rollout.RolloutSpec;
import io.orchestrationplane.delivery.rollout.RolloutTrait;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The application the plane applies for one moment of a rollout: the stable workload (old or
 * new spec), the canary (or preview) workload at its replicas, and the route with its weights,
 * as ordinary components, so that every step is planned, admitted and applied like any change.
 */
public final class StepApplications {
  private StepApplications() {}

  /**
   * One moment of a rollout.
   *
   * @param stableNew the stable workload runs the new spec (finalizing)
   * @param canaryPresent the canary (or preview) workload exists
   * @param canaryWeight the percentage of traffic for the canary (canary strategies)
   * @param canaryScaledDown the canary runs no pods (aborting)
   * @param activeOnPreview blue-green: the active Service selects the preview's pods
   */
  public record View(boolean stableNew, boolean canaryPresent, int canaryWeight, boolean canaryScaledDown,
      boolean activeOnPreview) {}

  /** The rolled component's rollout spec for the environment of {@code envApp}, if it declares one. */
  public static @Nullable RolloutSpec spec(Application envApp) {
    String env = envApp.environments().get(0).name();
    RolloutSpec found = null;
    for (Component c : envApp.components()) {
      for (Trait t : c.traits()) {
        if (t.type().equals(RolloutTrait.NAME) && env.equals(t.properties().get("environment"))
            && !t.properties().containsKey("track")) {
          List<String[]> problems = new ArrayList<>();
          RolloutSpec s = RolloutSpec.parse(c.name(), t.properties(), problems);
          if (s == null) {
            throw new IllegalArgumentException("components[" + c.name() + "].traits[rollout]: "
                + (problems.isEmpty() ? "invalid" : problems.get(0)[0] + ": " + problems.get(0)[1]));
          }
          if (found != null) {
            throw new IllegalArgumentException("environment '" + env + "' declares rollouts for two components ("
                + found.component() + ", " + c.name() + "); one rollout per environment application");
          }
          found = s;
        }
      }
    }
    return found;
  }

  /** The total replicas of the rolled component (its {@code replicas}, default 1). */
  public static int replicas(Application envApp, String component) {
    Object r = merged(envApp, component).property("replicas");
    return r instanceof Number n ? n.intValue() : 1;
  }

  /** The canary's replicas at a weight: with a traffic layer at least one; by ratio otherwise. */
  public static int canaryReplicas(RolloutSpec spec, int total, int weight) {
    int byRatio = (int) Math.ceil(total * weight / 100.0);
    return spec.traffic() instanceof RolloutSpec.Traffic.Replicas ? byRatio : Math.max(1, byRatio);
  }

  /** The application to apply for {@code view}. */
  public static Application render(Application canaryApp, Application stableApp, RolloutSpec spec, View view) {
    String c = spec.component();
    Environment env = canaryApp.environments().get(0);
    Component newComp = strip(merged(canaryApp, c));
    Component oldComp = strip(merged(stableApp, c));
    int total = replicas(canaryApp, c);
    boolean blueGreen = spec.strategy() instanceof RolloutSpec.BlueGreen;
    boolean ratio = spec.traffic() instanceof RolloutSpec.Traffic.Replicas && !blueGreen;

    int canaryReplicas = view.canaryScaledDown() ? 0 : blueGreen ? total : canaryReplicas(spec, total, view.canaryWeight());
    int stableReplicas = ratio && !view.stableNew() ? Math.max(0, total - canaryReplicas) : total;

    Component.Builder stable = (view.stableNew() ? newComp : oldComp).toBuilder();
    stable.property("replicas", stableReplicas);
    Map<String, Object> stableTrack = new LinkedHashMap<>();
    stableTrack.put("environment", env.name());
    stableTrack.put("track", "stable");
    if (view.activeOnPreview()) {
      stableTrack.put("selects", RolloutSpec.previewName(c));
    }
    stable.trait(Trait.of(RolloutTrait.NAME, stableTrack));

    Map<String, Map<String, Object>> overrides = new LinkedHashMap<>(env.overrides());
    overrides.remove(c);

    Application.Builder app = canaryApp.toBuilder();
    app.component(stable.build());
    app.environment(new Environment(env.name(), env.namespace(), env.placement(), overrides));
    if (view.canaryPresent()) {
      String name = blueGreen ? RolloutSpec.previewName(c) : RolloutSpec.canaryName(c);
      Component.Builder canary = Component.builder(name, newComp.type()).properties(newComp.properties());
      newComp.traits().forEach(canary::trait);
      newComp.dependsOn().forEach(canary::dependsOn);
      canary.property("replicas", canaryReplicas);
      if (ratio) {
        canary.trait(Trait.of(RolloutTrait.NAME, Map.of("environment", env.name(), "track", "canary", "selects", c)));
      }
      app.component(canary.build());
    }
    Map<String, Object> route = route(spec, env, newComp, view);
    if (route != null) {
      app.component(Component.builder(RolloutSpec.routeName(c), "k8s-objects").property("objects", List.of(route))
          .build());
    }
    return app.build();
  }

  private static @Nullable Map<String, Object> route(RolloutSpec spec, Environment env, Component comp, View view) {
    String c = spec.component();
    Object portValue = comp.property("port");
    long port = portValue instanceof Number n ? n.longValue() : 80L;
    int w = view.canaryPresent() ? view.canaryWeight() : 0;
    if (spec.traffic() instanceof RolloutSpec.Traffic.GatewayApi gw) {
      Map<String, Object> parent = new LinkedHashMap<>();
      parent.put("name", gw.gateway());
      if (gw.gatewayNamespace() != null) {
        parent.put("namespace", gw.gatewayNamespace());
      }
      List<Object> backends = new ArrayList<>();
      backends.add(Map.of("name", c, "port", port, "weight", 100 - w));
      if (view.canaryPresent()) {
        backends.add(Map.of("name", RolloutSpec.canaryName(c), "port", port, "weight", w));
      }
      Map<String, Object> specMap = new LinkedHashMap<>();
      specMap.put("parentRefs", List.of(parent));
      if (!gw.hostnames().isEmpty()) {
        specMap.put("hostnames", gw.hostnames());
      }
      specMap.put("rules", List.of(Map.of("backendRefs", backends)));
      return Map.of("apiVersion", "gateway.networking.k8s.io/v1", "kind", "HTTPRoute",
          "metadata", Map.of("name", RolloutSpec.routeName(c)), "spec", specMap);
    }
    if (spec.traffic() instanceof RolloutSpec.Traffic.Istio istio) {
      List<Object> routes = new ArrayList<>();
      routes.add(Map.of("destination", Map.of("host", c, "port", Map.of("number", port)), "weight", 100 - w));
      if (view.canaryPresent()) {
        routes.add(Map.of("destination", Map.of("host", RolloutSpec.canaryName(c), "port", Map.of("number", port)),
            "weight", w));
      }
      Map<String, Object> specMap = new LinkedHashMap<>();
      specMap.put("hosts", istio.hosts());
      if (!istio.gateways().isEmpty()) {
        specMap.put("gateways", istio.gateways());
      }
      specMap.put("http", List.of(Map.of("name", "primary", "route", routes)));
      return Map.of("apiVersion", "networking.istio.io/v1", "kind", "VirtualService",
          "metadata", Map.of("name", RolloutSpec.routeName(c)), "spec", specMap);
    }
    return null;
  }

  /** The component with its environment's overrides merged in (an environment application has one environment). */
  static Component merged(Application app, String component) {
    Component comp = app.component(component).orElseThrow(() -> new IllegalArgumentException(
        "application " + app.id() + " has no component '" + component + "'"));
    Map<String, Object> override = app.environments().isEmpty() ? null
        : app.environments().get(0).overrides().get(component);
    if (override == null || override.isEmpty()) {
      return comp;
    }
    Map<String, Object> props = new LinkedHashMap<>(comp.properties());
    props.putAll(override);
    Component.Builder b = Component.builder(comp.name(), comp.type()).properties(props);
    comp.traits().forEach(b::trait);
    comp.dependsOn().forEach(b::dependsOn);
    return b.build();
  }

  private static Component strip(Component comp) {
    return comp.toBuilder().withoutTrait(RolloutTrait.NAME).build();
  }
}
