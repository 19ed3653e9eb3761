package io.orchestrationplane.core.access;

import io.orchestrationplane.core.access.internal.Glob;
import io.orchestrationplane.core.resource.GroupKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A tenant's fence, after Argo CD's AppProject: which applications belong to it (by their
 * namespace), where their rendered objects may go, which kinds they may create and which
 * component types they may use. The plane checks every object an application renders, after
 * traits and templates and before admission and planning, so nothing a type or trait emits gets
 * past it; a violation throws {@link ProjectViolationException} naming the object and the rule,
 * and nothing is written.
 *
 * <pre>{@code
 * Project shop = Project.builder("shop")
 *     .applicationNamespaces("shop", "shop-*")     // applications in these namespaces belong to it
 *     .destination("prod-*", "shop-*")             // cluster, namespace (globs)
 *     .destination("*", "!shop-system")            // a leading ! denies a destination
 *     .deniedNamespacedKind("", "ResourceQuota")   // group, kind (globs)
 *     .componentTypes("webservice", "worker")
 *     .build();                                    // no cluster-scoped kind unless clusterScopedKind(...)
 * }</pre>
 *
 * <p>Globs as in {@link RbacPolicy}. Immutable and thread-safe.
 *
 * @param name the project name, as RBAC objects name it ({@code <project>/<namespace>/<name>})
 * @param applicationNamespaces namespaces whose applications belong to this project (Argo CD's {@code sourceNamespaces})
 * @param destinations where objects may go; an object must match an allowed one and no denied one
 * @param clusterScopedKinds the cluster-scoped kinds its applications may create (Argo CD's {@code
 *     clusterResourceWhitelist}); none by default
 * @param deniedNamespacedKinds namespaced kinds its applications may not create (Argo CD's {@code namespaceResourceBlacklist})
 * @param componentTypes the component types its applications may use (default {@code *}: all)
 */
public record Project(String name, List<String> applicationNamespaces, List<Destination> destinations,
    List<KindPattern> clusterScopedKinds, List<KindPattern> deniedNamespacedKinds, List<String> componentTypes) {

  public Project {
    if (name == null || name.isBlank() || name.contains("/")) {
      throw new IllegalArgumentException("a project needs a name without '/', was '" + name + "'");
    }
    applicationNamespaces = List.copyOf(applicationNamespaces);
    destinations = List.copyOf(destinations);
    clusterScopedKinds = List.copyOf(clusterScopedKinds);
    deniedNamespacedKinds = List.copyOf(deniedNamespacedKinds);
    componentTypes = List.copyOf(componentTypes);
    applicationNamespaces.forEach(p -> check("project " + name + ": applicationNamespaces", p));
    componentTypes.forEach(p -> check("project " + name + ": componentTypes", p));
    if (applicationNamespaces.isEmpty()) {
      throw new IllegalArgumentException("project " + name + " needs applicationNamespaces: the namespaces whose "
          + "applications belong to it");
    }
    if (destinations.stream().noneMatch(d -> !d.denied())) {
      throw new IllegalArgumentException("project " + name + " needs at least one allowed destination");
    }
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** True when applications of namespace {@code namespace} belong to this project. */
  public boolean hasApplicationsOf(String namespace) {
    return applicationNamespaces.stream().anyMatch(p -> Glob.of(p).matches(namespace));
  }

  private static void check(String where, String pattern) {
    if (pattern == null || pattern.isBlank()) {
      throw new IllegalArgumentException(where + ": a pattern must not be blank");
    }
    try {
      Glob.compile(pattern);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  /**
   * Where objects may go: a cluster name and a namespace, both globs. A pattern starting with
   * {@code !} makes this a denied destination (Argo CD's negated destinations): an object
   * matching it is refused whatever else allows it. A cluster-scoped object is checked against
   * the cluster only.
   */
  public record Destination(String cluster, String namespace) {
    public Destination {
      check("destination cluster", cluster);
      check("destination namespace", namespace);
      if (cluster.startsWith("!")) {
        check("destination cluster", cluster.substring(1));
      }
      if (namespace.startsWith("!")) {
        check("destination namespace", namespace.substring(1));
      }
    }

    /** True for a destination that denies (a pattern starts with {@code !}). */
    public boolean denied() {
      return cluster.startsWith("!") || namespace.startsWith("!");
    }

    @Override
    public String toString() {
      return cluster + "/" + namespace;
    }
  }

  /** A group and kind, both globs; the core group is {@code ""}. */
  public record KindPattern(String group, String kind) {
    public KindPattern {
      Objects.requireNonNull(group, "group");
      if (!group.isEmpty()) {
        check("kind group", group);
      }
      check("kind", kind);
    }

    public boolean matches(GroupKind gk) {
      return Glob.of(group).matches(gk.group()) && Glob.of(kind).matches(gk.kind());
    }

    @Override
    public String toString() {
      return group.isEmpty() ? kind : group + "/" + kind;
    }
  }

  /** Builds a {@link Project}. */
  public static final class Builder {
    private final String name;
    private final List<String> applicationNamespaces = new ArrayList<>();
    private final List<Destination> destinations = new ArrayList<>();
    private final List<KindPattern> clusterScopedKinds = new ArrayList<>();
    private final List<KindPattern> deniedNamespacedKinds = new ArrayList<>();
    private final List<String> componentTypes = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    /** Namespaces (globs) whose applications belong to this project. */
    public Builder applicationNamespaces(String... patterns) {
      applicationNamespaces.addAll(List.of(patterns));
      return this;
    }

    /** A cluster and namespace (globs) objects may go to; a leading {@code !} denies instead. */
    public Builder destination(String cluster, String namespace) {
      destinations.add(new Destination(cluster, namespace));
      return this;
    }

    /** A cluster-scoped kind (group and kind, globs) applications may create; none by default. */
    public Builder clusterScopedKind(String group, String kind) {
      clusterScopedKinds.add(new KindPattern(group, kind));
      return this;
    }

    /** A namespaced kind (group and kind, globs) applications may not create. */
    public Builder deniedNamespacedKind(String group, String kind) {
      deniedNamespacedKinds.add(new KindPattern(group, kind));
      return this;
    }

    /** The component types (globs) applications may use; all when none is given. */
    public Builder componentTypes(String... patterns) {
      componentTypes.addAll(List.of(patterns));
      return this;
    }

    public Project build() {
      return new Project(name, applicationNamespaces, destinations, clusterScopedKinds, deniedNamespacedKinds,
          componentTypes.isEmpty() ? List.of("*") : componentTypes);
    }
  }
}
