package io.orchestrationplane.core.validate;

import io.orchestrationplane.core.cluster.ClusterRegistry;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.ApplicationCodec;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Names;
import io.orchestrationplane.core.model.Placement;
import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.SourceMap;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.render.ComponentType;
import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.TraitType;
import io.orchestrationplane.core.render.TypeRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an application before anything is rendered and reports every problem at once, each
 * with its field path (and line and column for decoded YAML/JSON): unknown component or trait
 * types; unknown, mistyped, out-of-range or missing required properties; duplicate names;
 * {@code dependsOn} to a missing component; dependency cycles (naming the cycle); names that are
 * not valid Kubernetes names; placements that match no cluster.
 */
public final class ApplicationValidator {
  private final TypeRegistry types;
  private final ClusterRegistry clusters;

  public ApplicationValidator(TypeRegistry types, ClusterRegistry clusters) {
    this.types = Objects.requireNonNull(types, "types");
    this.clusters = Objects.requireNonNull(clusters, "clusters");
  }

  /** Throws {@link ValidationException} listing every problem, or returns the application. */
  public Application validate(Application app) {
    return check(app, SourceMap.EMPTY);
  }

  /** Like {@link #validate(Application)}, with problems located in the decoded source. */
  public Application validate(ApplicationCodec.Decoded decoded) {
    return check(decoded.application(), decoded.source());
  }

  /** Every problem with the application; empty when it is valid. */
  public List<Problem> problems(Application app, SourceMap src) {
    List<Problem> problems = new ArrayList<>();
    name(problems, src, "metadata.name", app.name());
    name(problems, src, "metadata.namespace", app.namespace());
    String idProblem = Names.labelProblem("orchestrationplane.io/application", app.id());
    if (idProblem != null) {
      problems.add(src.problem("metadata.name", "namespace and name together ('" + app.id()
          + "') must fit in a label value: " + idProblem));
    }
    app.labels().forEach((k, v) -> {
      String p = Names.labelProblem(k, v);
      if (p != null) {
        problems.add(src.problem("metadata.labels." + k, p));
      }
    });
    Map<String, Integer> componentIndex = new HashMap<>();
    for (int i = 0; i < app.components().size(); i++) {
      Component c = app.components().get(i);
      String path = "spec.components[" + i + "]";
      name(problems, src, path + ".name", c.name());
      Integer first = componentIndex.putIfAbsent(c.name(), i);
      if (first != null) {
        problems.add(src.problem(path + ".name", "duplicate component name '" + c.name()
            + "' (also spec.components[" + first + "])"));
      }
      component(problems, src, path, c);
    }
    for (int i = 0; i < app.components().size(); i++) {
      Component c = app.components().get(i);
      for (int d = 0; d < c.dependsOn().size(); d++) {
        String dep = c.dependsOn().get(d);
        String path = "spec.components[" + i + "].dependsOn[" + d + "]";
        if (dep.equals(c.name())) {
          problems.add(src.problem(path, "component '" + c.name() + "' depends on itself"));
        } else if (!componentIndex.containsKey(dep)) {
          problems.add(src.problem(path, "depends on '" + dep + "', which is not a component of this application"
              + " (components: " + String.join(", ", componentIndex.keySet().stream().sorted().toList()) + ")"));
        }
      }
    }
    cycles(problems, src, app, componentIndex);
    if (app.environments().isEmpty() && clusters.names().isEmpty()) {
      problems.add(src.problem("spec.environments", "no clusters are registered, so the application has nowhere to go"));
    }
    Map<String, Integer> envIndex = new HashMap<>();
    for (int i = 0; i < app.environments().size(); i++) {
      Environment e = app.environments().get(i);
      String path = "spec.environments[" + i + "]";
      name(problems, src, path + ".name", e.name());
      Integer first = envIndex.putIfAbsent(e.name(), i);
      if (first != null) {
        problems.add(src.problem(path + ".name", "duplicate environment name '" + e.name()
            + "' (also spec.environments[" + first + "])"));
      }
      if (e.namespace() != null) {
        name(problems, src, path + ".namespace", e.namespace());
      }
      placement(problems, src, path + ".placement", e.placement());
      overrides(problems, src, path + ".overrides", e, app);
    }
    return problems;
  }

  /** The clusters a placement selects, in registration order; empty when it matches none. */
  public static List<String> resolve(Placement placement, ClusterRegistry clusters) {
    if (placement.isEverywhere()) {
      return clusters.names();
    }
    Set<String> out = new LinkedHashSet<>();
    for (String name : clusters.names()) {
      if (placement.clusters().contains(name)) {
        out.add(name);
      }
    }
    if (!placement.clusterSelector().isEmpty()) {
      out.addAll(clusters.select(placement.clusterSelector()));
    }
    return List.copyOf(out);
  }

  private Application check(Application app, SourceMap src) {
    List<Problem> problems = problems(app, src);
    if (!problems.isEmpty()) {
      throw new ValidationException("Application '" + app.id() + "'", problems);
    }
    return app;
  }

  private void component(List<Problem> problems, SourceMap src, String path, Component c) {
    Optional<ComponentType> type = types.component(c.type());
    if (type.isEmpty()) {
      problems.add(src.problem(path + ".type", "unknown component type '" + c.type() + "' (known: "
          + String.join(", ", types.componentTypes().stream().map(ComponentType::name).toList()) + ")"));
    } else {
      properties(problems, src, path + ".properties", type.get().schema(), c.properties(),
          p -> type.get().check(p));
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int j = 0; j < c.traits().size(); j++) {
      Trait t = c.traits().get(j);
      String tp = path + ".traits[" + j + "]";
      Optional<TraitType> traitType = types.trait(t.type());
      if (traitType.isEmpty()) {
        problems.add(src.problem(tp + ".type", "unknown trait type '" + t.type() + "' (known: "
            + String.join(", ", types.traitTypes().stream().map(TraitType::name).toList()) + ")"));
        continue;
      }
      Integer first = seen.putIfAbsent(t.type(), j);
      if (first != null && !traitType.get().allowsMultiple()) {
        problems.add(src.problem(tp + ".type", "trait '" + t.type() + "' appears twice on component '"
            + c.name() + "' (also traits[" + first + "])"));
      }
      properties(problems, src, tp + ".properties", traitType.get().schema(), t.properties(),
          p -> traitType.get().check(p));
    }
  }

  private static void properties(List<Problem> problems, SourceMap src, String path, PropertySchema schema,
      Map<String, Object> values, java.util.function.Function<Properties, List<String[]>> extra) {
    List<String[]> found = schema.check(values);
    for (String[] p : found) {
      problems.add(src.problem(path + "." + p[0], p[1]));
    }
    if (found.isEmpty()) {
      for (String[] p : extra.apply(schema.resolve(values))) {
        problems.add(src.problem(path + "." + p[0], p[1]));
      }
    }
  }

  private void overrides(List<Problem> problems, SourceMap src, String path, Environment e, Application app) {
    for (Map.Entry<String, Map<String, Object>> o : e.overrides().entrySet()) {
      String op = path + "." + o.getKey();
      Optional<Component> c = app.component(o.getKey());
      if (c.isEmpty()) {
        problems.add(src.problem(op, "overrides component '" + o.getKey() + "', which is not a component of this application"));
        continue;
      }
      Optional<ComponentType> type = types.component(c.get().type());
      if (type.isEmpty()) {
        continue;
      }
      PropertySchema schema = type.get().schema();
      Map<String, Object> merged = new LinkedHashMap<>(c.get().properties());
      merged.putAll(o.getValue());
      for (String[] p : schema.check(merged)) {
        if (o.getValue().containsKey(p[0])) {
          problems.add(src.problem(op + "." + p[0], p[1]));
        }
      }
      if (schema.check(merged).isEmpty()) {
        for (String[] p : type.get().check(schema.resolve(merged))) {
          if (o.getValue().containsKey(p[0])) {
            problems.add(src.problem(op + "." + p[0], p[1]));
          }
        }
      }
    }
  }

  private void placement(List<Problem> problems, SourceMap src, String path, Placement placement) {
    for (int k = 0; k < placement.clusters().size(); k++) {
      String cluster = placement.clusters().get(k);
      if (clusters.get(cluster).isEmpty()) {
        problems.add(src.problem(path + ".clusters[" + k + "]", "no cluster named '" + cluster + "' is registered (known: "
            + (clusters.names().isEmpty() ? "none" : String.join(", ", clusters.names())) + ")"));
      }
    }
    if (resolve(placement, clusters).isEmpty()) {
      problems.add(src.problem(path, "placement matches no cluster"
          + (placement.clusterSelector().isEmpty() ? "" : " (selector " + new java.util.TreeMap<>(placement.clusterSelector())
              + "; registered clusters and their labels: " + registeredLabels() + ")")));
    }
  }

  /** {@code staging {tier=staging}, dev {}}: what a selector can match. */
  private String registeredLabels() {
    if (clusters.names().isEmpty()) {
      return "none";
    }
    List<String> out = new ArrayList<>();
    for (ClusterRegistry.Entry e : clusters.entries()) {
      out.add(e.name() + " " + new java.util.TreeMap<>(e.labels()));
    }
    return String.join(", ", out);
  }

  /**
   * Reports every dependency cycle once, naming it. Iterative depth-first search, linear in the
   * number of components and edges, so that a chain of any length is checked without recursion.
   */
  private static void cycles(List<Problem> problems, SourceMap src, Application app, Map<String, Integer> index) {
    Map<String, Component> byName = new LinkedHashMap<>();
    app.components().forEach(c -> byName.putIfAbsent(c.name(), c));
    Set<String> done = new java.util.HashSet<>();
    Map<String, Integer> onStack = new java.util.HashMap<>(); // name -> position on the path
    Set<Set<String>> reported = new java.util.HashSet<>();
    List<String> path = new ArrayList<>();
    java.util.ArrayDeque<java.util.Iterator<String>> next = new java.util.ArrayDeque<>();
    for (String start : byName.keySet()) {
      if (done.contains(start)) {
        continue;
      }
      path.add(start);
      onStack.put(start, 0);
      next.push(byName.get(start).dependsOn().iterator());
      while (!next.isEmpty()) {
        java.util.Iterator<String> deps = next.peek();
        if (!deps.hasNext()) {
          next.pop();
          String finished = path.remove(path.size() - 1);
          onStack.remove(finished);
          done.add(finished);
          continue;
        }
        String dep = deps.next();
        if (done.contains(dep) || !byName.containsKey(dep)) {
          continue;
        }
        Integer at = onStack.get(dep);
        if (at != null) {
          List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
          if (cycle.size() > 1 && reported.add(Set.copyOf(cycle))) {
            cycle.add(dep);
            String shown = cycle.size() > 21
                ? String.join(" -> ", cycle.subList(0, 10)) + " -> ... (" + (cycle.size() - 20) + " more) -> "
                    + String.join(" -> ", cycle.subList(cycle.size() - 10, cycle.size()))
                : String.join(" -> ", cycle);
            problems.add(src.problem("spec.components[" + index.get(cycle.get(0)) + "].dependsOn",
                "dependency cycle: " + shown));
          }
          continue;
        }
        onStack.put(dep, path.size());
        path.add(dep);
        next.push(byName.get(dep).dependsOn().iterator());
      }
    }
  }

  private static void name(List<Problem> problems, SourceMap src, String path, String value) {
    String p = Names.dnsLabelProblem(value);
    if (p != null) {
      problems.add(src.problem(path, p));
    }
  }
}
