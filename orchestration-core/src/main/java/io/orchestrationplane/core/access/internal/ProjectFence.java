package io.orchestrationplane.core.access.internal;

import io.orchestrationplane.core.access.Project;
import io.orchestrationplane.core.kind.KindCatalog;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The checks of a {@link Project} on what an application renders: its component types, and each
 * rendered object's destination (cluster and namespace) and kind. An object is cluster-scoped
 * when the kind catalogue says so or it has no namespace. Stateless.
 */
public final class ProjectFence {
  private ProjectFence() {}

  /** One line per component whose type the project does not allow. */
  public static void componentTypes(Project project, Application app, List<String> out) {
    for (Component c : app.components()) {
      if (!anyMatches(project.componentTypes(), c.type())) {
        out.add("component " + c.name() + ": component type " + c.type() + " is not allowed in project "
            + project.name() + " (allowed: " + String.join(", ", project.componentTypes()) + ")");
      }
    }
  }

  /**
   * What is wrong with {@code object} going to {@code cluster}, or null when the project allows it.
   * Runs on every rendered object: the message naming the object is built only for a violation.
   */
  public static @Nullable String violation(Project project, KindCatalog kinds, String cluster, Resource object) {
    GroupKind gk = object.groupKind();
    boolean clusterScoped = kinds.isClusterScoped(gk) || object.namespace().isEmpty();
    if (clusterScoped) {
      boolean allowedKind = false;
      for (Project.KindPattern k : project.clusterScopedKinds()) {
        if (k.matches(gk)) {
          allowedKind = true;
          break;
        }
      }
      if (!allowedKind) {
        return what(object, cluster) + "cluster-scoped kind " + kindName(gk) + " is not allowed in project "
            + project.name() + " (allowed cluster-scoped kinds: " + list(project.clusterScopedKinds()) + ")";
      }
      String destination = destinationViolation(project, cluster, null);
      return destination == null ? null : what(object, cluster) + destination;
    }
    for (Project.KindPattern denied : project.deniedNamespacedKinds()) {
      if (denied.matches(gk)) {
        return what(object, cluster) + "kind " + kindName(gk) + " is denied in project " + project.name()
            + " (denied namespaced kind " + denied + ")";
      }
    }
    String destination = destinationViolation(project, cluster, object.namespace());
    return destination == null ? null : what(object, cluster) + destination;
  }

  /** The start of a violation's message: the object, its cluster and the component that rendered it. */
  private static String what(Resource object, String cluster) {
    String component = object.label(Ownership.COMPONENT_LABEL);
    return object + " (cluster " + cluster + ")" + (component == null ? "" : ", component " + component) + ": ";
  }

  private static String kindName(GroupKind gk) {
    return gk.group().isEmpty() ? gk.kind() : gk.group() + "/" + gk.kind();
  }

  private static boolean anyMatches(List<String> patterns, String value) {
    for (String p : patterns) {
      if (Glob.of(p).matches(value)) {
        return true;
      }
    }
    return false;
  }

  /** Argo CD's rule: some allowed destination matches, and no denied one. */
  private static @Nullable String destinationViolation(Project project, String cluster, @Nullable String namespace) {
    boolean allowed = false;
    for (Project.Destination d : project.destinations()) {
      if (d.denied()) {
        // a cluster-scoped object is refused by a denied cluster only, not by a denied namespace
        boolean hit = namespace == null
            ? d.cluster().startsWith("!") && matchesDenied(d.cluster(), cluster)
            : matchesDenied(d.cluster(), cluster) && matchesDenied(d.namespace(), namespace);
        if (hit) {
          return "destination " + where(cluster, namespace) + " is denied in project " + project.name()
              + " (destination " + d + ")";
        }
      } else if (Glob.of(d.cluster()).matches(cluster)
          && (namespace == null || Glob.of(d.namespace()).matches(namespace))) {
        allowed = true;
      }
    }
    if (!allowed) {
      return "destination " + where(cluster, namespace) + " is not allowed in project " + project.name()
          + " (allowed destinations: " + project.destinations().stream().filter(d -> !d.denied())
          .map(Project.Destination::toString).collect(Collectors.joining(", ")) + ")";
    }
    return null;
  }

  /** A negated pattern ({@code !x}) matches what {@code x} matches; a plain one in a denied destination narrows it. */
  private static boolean matchesDenied(String pattern, String value) {
    return Glob.of(pattern.startsWith("!") ? pattern.substring(1) : pattern).matches(value);
  }

  private static String where(String cluster, @Nullable String namespace) {
    return namespace == null ? "cluster " + cluster : "cluster " + cluster + ", namespace " + namespace;
  }

  private static String list(List<Project.KindPattern> kinds) {
    return kinds.isEmpty() ? "none" : kinds.stream().map(Project.KindPattern::toString).collect(Collectors.joining(", "));
  }
}
