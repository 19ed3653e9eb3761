package io.orchestrationplane.core;

import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Executor;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.cluster.ClusterRegistry;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.ApplicationCodec;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.plan.Planner;
import io.orchestrationplane.core.render.Renderer;
import io.orchestrationplane.core.render.TypeRegistry;
import io.orchestrationplane.core.spi.ClusterDriver;
import io.orchestrationplane.core.spi.ComponentType;
import io.orchestrationplane.core.spi.TraitType;
import io.orchestrationplane.core.validate.ApplicationValidator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The facade users start from: validate, render, plan, apply, delete and report the status of
 * applications on a set of clusters.
 *
 * <pre>{@code
 * try (OrchestrationPlane plane = OrchestrationPlane.builder()
 *     .cluster(InMemoryCluster.create("prod"))
 *     .build()) {
 *   Plan plan = plane.plan(app);        // a dry run: nothing is written
 *   System.out.println(plan.toText());
 *   plane.apply(app);                   // plan + execute
 *   plane.status(app).isInSync();       // true
 * }
 * }</pre>
 *
 * <p>Thread-safe. It does not own the cluster drivers it is given: closing the plane leaves them open.
 */
public final class OrchestrationPlane implements AutoCloseable {
  /** Kinds the built-in types render; always searched for leftovers to prune. */
  private static final Set<GroupKind> BUILT_IN_KINDS = Set.of(
      new GroupKind("apps", "Deployment"), new GroupKind("", "Service"), new GroupKind("batch", "Job"),
      new GroupKind("batch", "CronJob"), new GroupKind("networking.k8s.io", "Ingress"),
      new GroupKind("autoscaling", "HorizontalPodAutoscaler"), new GroupKind("", "PersistentVolumeClaim"),
      new GroupKind("networking.k8s.io", "NetworkPolicy"), new GroupKind("", "ConfigMap"), new GroupKind("", "Secret"));

  private final ClusterRegistry clusters;
  private final Clock clock;
  private final TypeRegistry types;
  private final ApplicationValidator validator;
  private final Renderer renderer;
  private final Planner planner;
  private final Executor executor;
  private final Map<String, Set<GroupKind>> seenKinds = new ConcurrentHashMap<>();
  private final Map<ResourceKey, String> lastResults = new ConcurrentHashMap<>();

  private OrchestrationPlane(Builder b) {
    this.clusters = b.clusters.build();
    this.clock = b.clock;
    TypeRegistry.Builder types = b.types;
    this.types = types.build();
    this.validator = new ApplicationValidator(this.types, clusters);
    this.renderer = new Renderer(this.types);
    this.planner = new Planner(this.types.kinds());
    this.executor = new Executor(clusters::require);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link OrchestrationPlane}. */
  public static final class Builder {
    private final ClusterRegistry.Builder clusters = ClusterRegistry.builder();
    private Clock clock = Clock.systemUTC();
    private TypeRegistry.Builder types = TypeRegistry.builder();

    /** Registers a cluster without labels. */
    public Builder cluster(ClusterDriver driver) {
      clusters.add(driver);
      return this;
    }

    /** Registers a cluster with placement labels. */
    public Builder cluster(ClusterDriver driver, Map<String, String> labels) {
      clusters.add(driver, labels);
      return this;
    }

    /** Registers every cluster of a registry. */
    public Builder clusters(ClusterRegistry registry) {
      registry.entries().forEach(e -> clusters.add(e.driver(), e.labels()));
      return this;
    }

    /** The clock used for timestamps and, in continuous mode, for scheduling. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Replaces the type registry (the default holds the built-ins). */
    public Builder types(TypeRegistry.Builder value) {
      this.types = Objects.requireNonNull(value, "types");
      return this;
    }

    /** Adds (or replaces) a component type. */
    public Builder componentType(ComponentType type) {
      types.component(type);
      return this;
    }

    /** Adds (or replaces) a trait type. */
    public Builder traitType(TraitType type) {
      types.trait(type);
      return this;
    }

    public OrchestrationPlane build() {
      return new OrchestrationPlane(this);
    }
  }

  public ClusterRegistry clusters() {
    return clusters;
  }

  public TypeRegistry types() {
    return types;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Decodes and validates an application from YAML or JSON; problems carry field paths, lines and
   * columns.
   */
  public Application load(String yamlOrJson) {
    return validator.validate(ApplicationCodec.readYaml(yamlOrJson));
  }

  /** Validates an application, throwing a {@code ValidationException} that lists every problem. */
  public Application validate(Application app) {
    return validator.validate(app);
  }

  /** The environments an application deploys to: its own, or one {@code default} environment everywhere. */
  public static List<Environment> environments(Application app) {
    return app.environments().isEmpty() ? List.of(Environment.builder("default").build()) : app.environments();
  }

  /** Validates and renders every environment, without touching a cluster. */
  public Map<String, List<Resource>> render(Application app) {
    validator.validate(app);
    Map<String, List<Resource>> out = new LinkedHashMap<>();
    for (Environment e : environments(app)) {
      out.put(e.name(), renderer.render(app, e));
    }
    return out;
  }

  /** Validates, renders and compares with the clusters: a dry run that writes nothing. */
  public Plan plan(Application app) {
    validator.validate(app);
    List<Planner.Target> targets = new ArrayList<>();
    Set<GroupKind> kinds = seenKinds.computeIfAbsent(app.id(), k -> ConcurrentHashMap.newKeySet());
    for (Environment e : environments(app)) {
      List<Resource> resources = renderer.render(app, e);
      resources.forEach(r -> kinds.add(r.groupKind()));
      for (String cluster : ApplicationValidator.resolve(e.placement(), clusters)) {
        targets.add(new Planner.Target(e.name(), clusters.require(cluster), resources));
      }
    }
    return planner.plan(app.id(), targets, allClusters(), managedKinds(app.id()), componentOrder(app));
  }

  /** The plan that removes everything the application owns, on every cluster. */
  public Plan planDelete(Application app) {
    return planner.plan(app.id(), List.of(), allClusters(), managedKinds(app.id()), componentOrder(app));
  }

  /** Plans and executes: creates, updates and prunes until the clusters hold the desired state. */
  public ExecutionResult apply(Application app) {
    return apply(plan(app));
  }

  /**
   * Executes a reviewed plan; refused with {@code StalePlanException} (nothing written) when the
   * clusters changed since it was computed.
   */
  public ExecutionResult apply(Plan plan) {
    ExecutionResult result = executor.execute(plan);
    record(result);
    return result;
  }

  /** Deletes everything the application owns, on every cluster. */
  public ExecutionResult delete(Application app) {
    ExecutionResult result = apply(planDelete(app));
    if (result.succeeded()) {
      seenKinds.remove(app.id());
    }
    return result;
  }

  /** Per environment and object: present, in sync (with the drifted fields), and the last write's result. */
  public ApplicationStatus status(Application app) {
    Plan plan = plan(app);
    List<ResourceStatus> resources = new ArrayList<>();
    for (Change c : plan.changes()) {
      boolean desired = c.type() != Change.Type.DELETE;
      boolean present = c.type() != Change.Type.CREATE;
      boolean inSync = c.type() == Change.Type.UNCHANGED;
      resources.add(new ResourceStatus(c.key(), c.environment(), desired, present, inSync, c.diffs(),
          lastResults.get(c.key())));
    }
    return new ApplicationStatus(app.id(), resources, plan.problems());
  }

  /** Stops what the plane started. The cluster drivers it was given stay open. */
  @Override
  public void close() {
    seenKinds.clear();
  }

  private void record(ExecutionResult result) {
    for (Outcome o : result.outcomes()) {
      switch (o.status()) {
        case APPLIED -> lastResults.put(o.change().key(), o.change().type() == Change.Type.CREATE ? "created" : "updated");
        case DELETED -> lastResults.remove(o.change().key());
        case FAILED -> lastResults.put(o.change().key(), "failed: " + o.message());
        default -> { }
      }
    }
  }

  private List<ClusterDriver> allClusters() {
    return clusters.entries().stream().map(ClusterRegistry.Entry::driver).toList();
  }

  private Set<GroupKind> managedKinds(String applicationId) {
    Set<GroupKind> kinds = new LinkedHashSet<>(BUILT_IN_KINDS);
    kinds.addAll(seenKinds.getOrDefault(applicationId, Set.of()));
    return kinds;
  }

  /** Rank of each component: 0 for those without dependencies, else one more than its deepest dependency. */
  static Map<String, Integer> componentOrder(Application app) {
    Map<String, Component> byName = new HashMap<>();
    app.components().forEach(c -> byName.put(c.name(), c));
    Map<String, Integer> rank = new HashMap<>();
    for (Component c : app.components()) {
      rank(c.name(), byName, rank, new LinkedHashSet<>());
    }
    return rank;
  }

  private static int rank(String name, Map<String, Component> byName, Map<String, Integer> rank, Set<String> path) {
    Integer known = rank.get(name);
    if (known != null) {
      return known;
    }
    Component c = byName.get(name);
    if (c == null || !path.add(name)) {
      return 0;
    }
    int r = 0;
    for (String dep : c.dependsOn()) {
      r = Math.max(r, rank(dep, byName, rank, path) + 1);
    }
    path.remove(name);
    rank.put(name, r);
    return r;
  }
}
