package io.orchestrationplane.delivery.rollout;

import io.orchestrationplane.delivery.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How one component is rolled out in one environment: the strategy and the traffic layer, as
 * declared by a {@link RolloutTrait rollout trait}. Read it with {@link #parse}, which reports
 * every problem with its path below the trait's properties ({@code canary.steps[2].setWeight}).
 *
 * @param component the rolled component
 * @param environment the environment the strategy applies to
 * @param strategy canary or blue-green
 * @param traffic how traffic is split between stable and canary (canary only)
 */
public record RolloutSpec(String component, String environment, Strategy strategy, Traffic traffic) {

  /** Argo Rollouts' default {@code progressDeadlineSeconds}: a step's workloads must be healthy within it. */
  public static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);

  public RolloutSpec {
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(traffic, "traffic");
    if (strategy instanceof BlueGreen && !(traffic instanceof Traffic.Replicas)) {
      throw new IllegalArgumentException("blue-green switches Services; it takes no traffic layer");
    }
  }

  /** A rollout strategy. */
  public sealed interface Strategy permits Canary, BlueGreen {}

  /**
   * Canary: the steps in order (Argo Rollouts' {@code strategy.canary.steps}); after the last
   * step the canary is promoted (weight 100, then it becomes the stable version).
   */
  public record Canary(List<CanaryStep> steps, Duration progressDeadline) implements Strategy {
    public Canary {
      steps = List.copyOf(steps);
      if (steps.isEmpty()) {
        throw new IllegalArgumentException("a canary needs at least one step");
      }
      requirePositive(progressDeadline, "progressDeadline");
    }
  }

  /**
   * Blue-green (Argo Rollouts' {@code strategy.blueGreen}): the new version runs beside the
   * active one behind the preview Service; after {@code prePromotionAnalysis} (if any) it is
   * promoted at once ({@code autoPromotionEnabled}, the default) or when approved, by switching
   * the active Service to it; the old version stays scaled for {@code scaleDownDelay} (default
   * 30s), during which an abort switches back at once.
   */
  public record BlueGreen(@Nullable AnalysisSpec prePromotionAnalysis, boolean autoPromotionEnabled,
      Duration scaleDownDelay, Duration progressDeadline) implements Strategy {
    /** Argo Rollouts' default {@code scaleDownDelaySeconds}. */
    public static final Duration DEFAULT_SCALE_DOWN_DELAY = Duration.ofSeconds(30);

    public BlueGreen {
      Objects.requireNonNull(scaleDownDelay, "scaleDownDelay");
      if (scaleDownDelay.isNegative()) {
        throw new IllegalArgumentException("scaleDownDelay must not be negative, got " + scaleDownDelay);
      }
      requirePositive(progressDeadline, "progressDeadline");
    }
  }

  /** One canary step. */
  public sealed interface CanaryStep permits SetWeight, Pause, Analysis {
    /** How the step reads in a plan or status ({@code setWeight 10}, {@code pause 1m}, {@code pause until approved}). */
    String describe();
  }

  /** Sends {@code weight} percent of the traffic to the canary (0 to 100). */
  public record SetWeight(int weight) implements CanaryStep {
    public SetWeight {
      if (weight < 0 || weight > 100) {
        throw new IllegalArgumentException("setWeight must be 0 to 100, got " + weight);
      }
    }

    @Override
    public String describe() {
      return "setWeight " + weight;
    }
  }

  /** Waits for {@code duration}, or until approved (or promoted) when it is null. */
  public record Pause(@Nullable Duration duration) implements CanaryStep {
    public Pause {
      if (duration != null) {
        requirePositive(duration, "pause.duration");
      }
    }

    @Override
    public String describe() {
      return duration == null ? "pause until approved" : "pause " + Workflow.format(duration);
    }
  }

  /** Runs an analysis of the canary; a failed analysis aborts the rollout. */
  public record Analysis(AnalysisSpec analysis) implements CanaryStep {
    public Analysis {
      Objects.requireNonNull(analysis, "analysis");
    }

    @Override
    public String describe() {
      return "analysis " + analysis.describe();
    }
  }

  /**
   * An analysis: a run of the {@link io.orchestrationplane.delivery.analysis.AnalysisTemplate}
   * registered with {@link Rollouts.Builder#template} under {@code templateName}, with
   * {@code args} (Argo Rollouts' {@code analysis.templates[].templateName} and {@code args}, one
   * template per step). The template's metrics say how often and how many times to measure and
   * their limits; a FAILED or ERROR run aborts the rollout, an INCONCLUSIVE one pauses it for a
   * person ({@code approve} goes on, {@code abort} aborts).
   */
  public record AnalysisSpec(String templateName, Map<String, String> args) {
    public AnalysisSpec {
      Objects.requireNonNull(templateName, "templateName");
      args = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(args));
    }

    String describe() {
      return templateName + (args.isEmpty() ? "" : " " + args);
    }
  }

  /** How traffic reaches the canary. */
  public sealed interface Traffic permits Traffic.GatewayApi, Traffic.Istio, Traffic.Replicas {
    /** A Gateway API {@code HTTPRoute} attached to {@code gateway} whose backendRefs weights split the traffic (the default layer). */
    record GatewayApi(String gateway, @Nullable String gatewayNamespace, List<String> hostnames) implements Traffic {
      public GatewayApi {
        Objects.requireNonNull(gateway, "gateway");
        hostnames = List.copyOf(hostnames);
      }
    }

    /** An Istio {@code VirtualService} for {@code hosts} whose route weights split the traffic. */
    record Istio(List<String> hosts, List<String> gateways) implements Traffic {
      public Istio {
        hosts = List.copyOf(hosts);
        gateways = List.copyOf(gateways);
        if (hosts.isEmpty()) {
          throw new IllegalArgumentException("an Istio VirtualService needs at least one host");
        }
      }
    }

    /**
     * No traffic layer: the stable Service selects both versions' pods and the split is the
     * ratio of replicas, as coarse as the replica count (10% of 3 replicas is 1 canary pod: 33%).
     */
    record Replicas() implements Traffic {}
  }

  /** The names of the objects the plane runs for a rolled component {@code c}. */
  public static String canaryName(String component) {
    return component + "-canary";
  }

  /** The name of the preview workload and Service of a blue-green component. */
  public static String previewName(String component) {
    return component + "-preview";
  }

  /** The name of the route object (HTTPRoute or VirtualService) of a component. */
  public static String routeName(String component) {
    return component + "-route";
  }

  // --- parsing -------------------------------------------------------------------------------

  private static final Set<String> TOP = Set.of("environment", "canary", "blueGreen", "traffic", "track", "selects");

  /**
   * Reads a rollout trait's properties; problems are added as {@code [path, message]}, paths
   * relative to the properties. Returns null when there were problems (or when the properties
   * are the plane's own {@code track} rendering of a rollout step, which declares no strategy).
   */
  public static @Nullable RolloutSpec parse(String component, Map<String, Object> p, List<String[]> problems) {
    int before = problems.size();
    for (String key : p.keySet()) {
      if (!TOP.contains(key)) {
        problems.add(new String[] {key, "unknown property; expected environment, canary, blueGreen or traffic"});
      }
    }
    String env = p.get("environment") instanceof String s && !s.isBlank() ? s : null;
    if (env == null) {
      problems.add(new String[] {"environment", "required: the environment this strategy applies to"});
    }
    if (p.containsKey("track")) {
      Object t = p.get("track");
      if (!"stable".equals(t) && !"canary".equals(t)) {
        problems.add(new String[] {"track", "must be stable or canary (set by the plane while rolling out), got " + t});
      }
      for (String k : List.of("canary", "blueGreen", "traffic")) {
        if (p.containsKey(k)) {
          problems.add(new String[] {k, "not allowed with track (the plane's own rendering of a rollout step)"});
        }
      }
      return null;
    }
    if (p.containsKey("selects")) {
      problems.add(new String[] {"selects", "only with track (set by the plane while rolling out)"});
    }
    boolean canary = p.containsKey("canary");
    boolean blueGreen = p.containsKey("blueGreen");
    if (canary == blueGreen) {
      problems.add(new String[] {canary ? "blueGreen" : "canary", canary
          ? "only one of canary and blueGreen" : "required: canary or blueGreen"});
    }
    Strategy strategy = null;
    if (canary && !blueGreen) {
      strategy = canary(map(p.get("canary"), "canary", problems), problems);
    } else if (blueGreen && !canary) {
      strategy = blueGreen(map(p.get("blueGreen"), "blueGreen", problems), problems);
    }
    Traffic traffic = new Traffic.Replicas();
    if (p.containsKey("traffic")) {
      if (blueGreen) {
        problems.add(new String[] {"traffic", "blue-green switches the active Service; remove traffic"});
      } else {
        traffic = traffic(map(p.get("traffic"), "traffic", problems), problems);
      }
    }
    if (problems.size() > before || strategy == null || env == null || traffic == null) {
      return null;
    }
    return new RolloutSpec(component, env, strategy, traffic);
  }

  private static @Nullable Canary canary(@Nullable Map<String, Object> m, List<String[]> problems) {
    if (m == null) {
      return null;
    }
    unknown(m, "canary", Set.of("steps", "progressDeadline"), problems);
    Duration deadline = duration(m, "progressDeadline", "canary.progressDeadline", DEFAULT_PROGRESS_DEADLINE, problems);
    if (!(m.get("steps") instanceof List<?> raw) || raw.isEmpty()) {
      problems.add(new String[] {"canary.steps", "required: a list of at least one step (setWeight, pause, analysis)"});
      return null;
    }
    List<CanaryStep> steps = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String path = "canary.steps[" + i + "]";
      Map<String, Object> s = map(raw.get(i), path, problems);
      if (s == null) {
        continue;
      }
      if (s.size() != 1) {
        problems.add(new String[] {path, "must have exactly one of setWeight, pause, analysis; has " + s.keySet()});
        continue;
      }
      String kind = s.keySet().iterator().next();
      Object v = s.get(kind);
      switch (kind) {
        case "setWeight" -> {
          if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.intValue() >= 0
              && n.intValue() <= 100) {
            steps.add(new SetWeight(n.intValue()));
          } else {
            problems.add(new String[] {path + ".setWeight", "must be an integer from 0 to 100, got " + v});
          }
        }
        case "pause" -> {
          Map<String, Object> pm = map(v == null ? Map.of() : v, path + ".pause", problems);
          if (pm != null) {
            unknown(pm, path + ".pause", Set.of("duration"), problems);
            Duration d = pm.containsKey("duration") ? duration(pm, "duration", path + ".pause.duration", null, problems) : null;
            if (d != null && (d.isZero() || d.isNegative())) {
              problems.add(new String[] {path + ".pause.duration", "must be positive, got " + pm.get("duration")});
            } else if (!pm.containsKey("duration") || d != null) {
              steps.add(new Pause(d));
            }
          }
        }
        case "analysis" -> {
          AnalysisSpec a = analysis(map(v, path + ".analysis", problems), path + ".analysis", problems);
          if (a != null) {
            steps.add(new Analysis(a));
          }
        }
        default -> problems.add(new String[] {path + "." + kind, "unknown step; expected setWeight, pause or analysis"});
      }
    }
    return steps.size() == raw.size() && deadline != null ? new Canary(steps, deadline) : null;
  }

  private static @Nullable BlueGreen blueGreen(@Nullable Map<String, Object> m, List<String[]> problems) {
    if (m == null) {
      return null;
    }
    unknown(m, "blueGreen", Set.of("prePromotionAnalysis", "autoPromotionEnabled", "scaleDownDelay", "progressDeadline"),
        problems);
    AnalysisSpec pre = null;
    if (m.containsKey("prePromotionAnalysis")) {
      pre = analysis(map(m.get("prePromotionAnalysis"), "blueGreen.prePromotionAnalysis", problems),
          "blueGreen.prePromotionAnalysis", problems);
      if (pre == null) {
        return null;
      }
    }
    Object auto = m.getOrDefault("autoPromotionEnabled", Boolean.TRUE);
    if (!(auto instanceof Boolean)) {
      problems.add(new String[] {"blueGreen.autoPromotionEnabled", "must be true or false, got " + auto});
      return null;
    }
    Duration delay = duration(m, "scaleDownDelay", "blueGreen.scaleDownDelay", BlueGreen.DEFAULT_SCALE_DOWN_DELAY, problems);
    Duration deadline = duration(m, "progressDeadline", "blueGreen.progressDeadline", DEFAULT_PROGRESS_DEADLINE, problems);
    if (delay == null || deadline == null) {
      return null;
    }
    return new BlueGreen(pre, (Boolean) auto, delay, deadline);
  }

  /**
   * An analysis: {@code {templateName, args: {NAME: value}}}, or Argo Rollouts' own form
   * {@code {templates: [{templateName}], args: [{name, value}]}} (one template).
   */
  private static @Nullable AnalysisSpec analysis(@Nullable Map<String, Object> m, String path, List<String[]> problems) {
    if (m == null) {
      return null;
    }
    unknown(m, path, Set.of("templateName", "templates", "args"), problems);
    int before = problems.size();
    String template = null;
    if (m.containsKey("templates")) {
      if (m.containsKey("templateName")) {
        problems.add(new String[] {path + ".templates", "give templateName or templates, not both"});
      } else if (!(m.get("templates") instanceof List<?> l) || l.size() != 1) {
        problems.add(new String[] {path + ".templates", "must list exactly one {templateName}: several templates per "
            + "analysis are not supported, got " + m.get("templates")});
      } else {
        Map<String, Object> t = map(l.get(0), path + ".templates[0]", problems);
        if (t != null) {
          unknown(t, path + ".templates[0]", Set.of("templateName"), problems);
          template = t.get("templateName") instanceof String c && !c.isBlank() ? c : null;
          if (template == null) {
            problems.add(new String[] {path + ".templates[0].templateName",
                "required: the name of an AnalysisTemplate registered with Rollouts"});
          }
        }
      }
    } else {
      template = m.get("templateName") instanceof String c && !c.isBlank() ? c : null;
      if (template == null) {
        problems.add(new String[] {path + ".templateName", "required: the name of an AnalysisTemplate registered with Rollouts"});
      }
    }
    Map<String, String> args = new LinkedHashMap<>();
    Object raw = m.get("args");
    if (raw instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        String at = path + ".args[" + i + "]";
        Map<String, Object> a = map(list.get(i), at, problems);
        if (a == null) {
          continue;
        }
        unknown(a, at, Set.of("name", "value"), problems);
        Object name = a.get("name");
        Object value = a.get("value");
        if (!(name instanceof String n) || n.isBlank()) {
          problems.add(new String[] {at + ".name", "required: the argument's name"});
        } else if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
          problems.add(new String[] {at + ".value", "required: a string, got " + value});
        } else if (args.put(n, String.valueOf(value)) != null) {
          problems.add(new String[] {at + ".name", "argument '" + n + "' is given twice"});
        }
      }
    } else if (raw != null) {
      Map<String, Object> a = map(raw, path + ".args", problems);
      if (a != null) {
        a.forEach((k, v) -> {
          if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            args.put(k, String.valueOf(v));
          } else {
            problems.add(new String[] {path + ".args." + k, "must be a string, got " + v});
          }
        });
      }
    }
    if (problems.size() > before || template == null) {
      return null;
    }
    return new AnalysisSpec(template, args);
  }

  private static @Nullable Traffic traffic(@Nullable Map<String, Object> m, List<String[]> problems) {
    if (m == null) {
      return null;
    }
    if (m.size() != 1) {
      problems.add(new String[] {"traffic", "must have exactly one of gatewayApi, istio, replicas; has " + m.keySet()});
      return null;
    }
    String kind = m.keySet().iterator().next();
    String path = "traffic." + kind;
    Map<String, Object> t = map(m.get(kind) == null ? Map.of() : m.get(kind), path, problems);
    if (t == null) {
      return null;
    }
    switch (kind) {
      case "gatewayApi" -> {
        unknown(t, path, Set.of("gateway", "namespace", "hostnames"), problems);
        if (!(t.get("gateway") instanceof String gw) || gw.isBlank()) {
          problems.add(new String[] {path + ".gateway", "required: the name of the Gateway the HTTPRoute attaches to"});
          return null;
        }
        List<String> hosts = strings(t, "hostnames", path + ".hostnames", problems);
        Object ns = t.get("namespace");
        if (ns != null && !(ns instanceof String)) {
          problems.add(new String[] {path + ".namespace", "must be a string, got " + ns});
          return null;
        }
        return hosts == null ? null : new Traffic.GatewayApi(gw, (String) ns, hosts);
      }
      case "istio" -> {
        unknown(t, path, Set.of("hosts", "gateways"), problems);
        List<String> hosts = strings(t, "hosts", path + ".hosts", problems);
        List<String> gws = strings(t, "gateways", path + ".gateways", problems);
        if (hosts != null && hosts.isEmpty()) {
          problems.add(new String[] {path + ".hosts", "required: at least one host"});
          return null;
        }
        return hosts == null || gws == null ? null : new Traffic.Istio(hosts, gws);
      }
      case "replicas" -> {
        unknown(t, path, Set.of(), problems);
        return new Traffic.Replicas();
      }
      default -> {
        problems.add(new String[] {path, "unknown traffic layer; expected gatewayApi, istio or replicas"});
        return null;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static @Nullable Map<String, Object> map(@Nullable Object v, String path, List<String[]> problems) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, val) -> out.put(String.valueOf(k), val));
      return out;
    }
    problems.add(new String[] {path, "must be an object, got " + (v == null ? "nothing" : v)});
    return null;
  }

  private static void unknown(Map<String, Object> m, String path, Set<String> known, List<String[]> problems) {
    for (String k : m.keySet()) {
      if (!known.contains(k)) {
        problems.add(new String[] {path + "." + k, "unknown field" + (known.isEmpty() ? "" : "; expected one of "
            + new java.util.TreeSet<>(known))});
      }
    }
  }

  private static @Nullable Duration duration(Map<String, Object> m, String field, String path, @Nullable Duration fallback,
      List<String[]> problems) {
    Object v = m.get(field);
    if (v == null) {
      return fallback;
    }
    try {
      Duration d = v instanceof Number n ? Duration.ofSeconds(n.longValue()) : Workflow.parseDuration(String.valueOf(v));
      if (d.isNegative()) {
        problems.add(new String[] {path, "must not be negative, got " + v});
        return null;
      }
      if (d.compareTo(Workflow.MAX_DURATION) > 0) {
        problems.add(new String[] {path, "must be at most 100 years (36500d), got " + v});
        return null;
      }
      return d;
    } catch (RuntimeException e) {
      problems.add(new String[] {path, e.getMessage() != null && e.getMessage().contains("longer than 100 years")
          ? "must be at most 100 years (36500d), got " + v : "is not a duration (250ms, 90s, 10m, 1h30m, PT10M): " + v});
      return null;
    }
  }

  private static @Nullable List<String> strings(Map<String, Object> m, String field, String path, List<String[]> problems) {
    Object v = m.get(field);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)) {
      return l.stream().map(String.class::cast).toList();
    }
    problems.add(new String[] {path, "must be a list of strings, got " + v});
    return null;
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }
}
