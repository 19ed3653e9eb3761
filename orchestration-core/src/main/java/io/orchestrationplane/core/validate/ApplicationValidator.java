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
import io.orchestrationplane.core.model.internal.ValueLeaves;
import io.orchestrationplane.core.render.ComponentType;
import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertySpec;
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
import org.jspecify.annotations.Nullable;

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
      PropertySchema schema = schemaOf(problems, src, path + ".type", type.get()::schema, c.type(), c.properties());
      if (schema != null) {
        properties(problems, src, path + ".properties", c.type(), schema, c.properties(), p -> type.get().check(p));
      }
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
      PropertySchema schema = schemaOf(problems, src, tp + ".type", traitType.get()::schema, t.type(), t.properties());
      if (schema != null) {
        properties(problems, src, tp + ".properties", t.type(), schema, t.properties(), p -> traitType.get().check(p));
      }
    }
  }

  private static void properties(List<Problem> problems, SourceMap src, String path, String typeName,
      PropertySchema schema, Map<String, Object> values, java.util.function.Function<Properties, List<String[]>> extra) {
    List<String[]> found = schema.check(values);
    for (String[] p : found) {
      problems.add(src.problem(path + "." + p[0], p[1]));
    }
    if (found.isEmpty()) {
      for (String[] p : typeChecks(typeName, schema, values, extra)) {
        problems.add(src.problem(p[0] == null ? path : path + "." + p[0], p[1]));
      }
    }
  }

  /**
   * A type's schema, or null with a problem when the type fails to give one (a bug in it): its
   * message is withheld when it quotes a property value, since which ones are sensitive is
   * unknown without the schema.
   */
  private static @Nullable PropertySchema schemaOf(List<Problem> problems, SourceMap src,
      String path, java.util.function.Supplier<PropertySchema> schema, String typeName, Map<String, Object> values) {
    try {
      PropertySchema found = schema.get();
      if (found != null) {
        return found;
      }
      problems.add(src.problem(path, typeName + " failed to give its property schema: it returned null"));
    } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError | OutOfMemoryError e) {
      Set<String> all = new LinkedHashSet<>();
      ValueLeaves.collect(values, all);
      problems.add(src.problem(path, typeName + " failed to give its property schema: " + e.getClass().getSimpleName()
          + ": " + safe(e.getMessage(), all, "a property")));
    }
    return null;
  }

  /**
   * A type's own checks of valid properties. A type that fails (a bug in it) is one problem,
   * {@code [null, message]}, for the properties as a whole; a message that quotes the value of a
   * sensitive property is withheld, as the renderer withholds one from a type's exception.
   */
  private static List<String[]> typeChecks(String typeName, PropertySchema schema, Map<String, Object> values,
      java.util.function.Function<Properties, List<String[]>> extra) {
    Set<String> sensitive = new LinkedHashSet<>();
    List<String[]> found;
    try {
      Properties resolved = schema.resolve(values);
      for (PropertySpec spec : schema.properties()) {
        if (spec.sensitive()) {
          ValueLeaves.collect(resolved.get(spec.name()), sensitive);
        }
      }
      found = extra.apply(resolved);
    } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError | OutOfMemoryError e) {
      return List.<String[]>of(new String[] {null, typeName + " failed to check its properties: "
          + e.getClass().getSimpleName() + ": " + safe(e.getMessage(), sensitive, "a sensitive property")});
    }
    if (found == null) {
      return List.<String[]>of(new String[] {null, typeName + " failed to check its properties: it returned null"});
    }
    List<String[]> out = new ArrayList<>();
    for (String[] p : found) {
      if (p == null || p.length < 2) {
        out.add(new String[] {null, typeName + " failed to check its properties: it returned a problem without"
            + " a property and a message"});
      } else {
        out.add(new String[] {p[0], safe(p[1], sensitive, "a sensitive property")});
      }
    }
    return out;
  }

  /** A type's message, or a note that it was withheld when it quotes one of {@code values}. */
  private static String safe(@Nullable String message, Set<String> values, String whose) {
    if (message == null) {
      return "(no message)";
    }
    for (String value : values) {
      if (message.contains(value)) {
        return "(message withheld: it quotes the value of " + whose + ")";
      }
    }
    return message;
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
      Map<String, Object> merged = new LinkedHashMap<>(c.get().properties());
      merged.putAll(o.getValue());
      PropertySchema schema = schemaOf(new ArrayList<>(), src, op, type.get()::schema, c.get().type(), merged);
      if (schema == null) {
        continue; // reported at the component
      }
      for (String[] p : schema.check(merged)) {
        if (o.getValue().containsKey(p[0])) {
          problems.add(src.problem(op + "." + p[0], p[1]));
        }
      }
      if (schema.check(merged).isEmpty()) {
        for (String[] p : typeChecks(c.get().type(), schema, merged, q -> type.get().check(q))) {
          if (p[0] == null || o.getValue().containsKey(p[0])) {
            problems.add(src.problem(p[0] == null ? op : op + "." + p[0], p[1]));
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
