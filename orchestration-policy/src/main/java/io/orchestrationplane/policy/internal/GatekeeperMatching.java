package io.orchestrationplane.policy.internal;

import io.orchestrationplane.policy.ConstraintMatch;
import java.util.Map;

/**
 * Gatekeeper's constraint matching ({@code spec.match}), criterion by criterion as Gatekeeper's matcher does it.
 * A request matches when its object matches or, failing that, its old object does. Stateless.
 */
final class GatekeeperMatching {
  private GatekeeperMatching() {}

  /** One side of the request (object or oldObject) as the matcher sees it. */
  record Side(String name, String generateName, Map<String, String> labels) {}

  /**
   * @param namespace the object's namespace ("" for cluster-scoped objects)
   * @param isNamespace whether the object is a core Namespace (whose own name and labels stand for its namespace)
   * @param facts the request, for the labels of its Namespace (of the object itself when it is a Namespace) and
   *     of its object and old object, read only when a criterion needs them
   */
  static boolean matches(ConstraintMatch m, String group, String kind, String namespace, boolean isNamespace,
      Evaluator.RequestFacts facts) {
    if (!kinds(m, group, kind) || !scope(m, namespace, isNamespace)) {
      return false;
    }
    Side object = facts.objectSide();
    Side oldObject = facts.oldObjectSide();
    String ns = isNamespace ? (object != null ? object.name() : oldObject.name()) : namespace;
    boolean clusterScoped = !isNamespace && namespace.isEmpty();
    if (!clusterScoped && !namespaces(m, ns)) {
      return false;
    }
    if (m.namespaceSelector() != null && !clusterScoped && !m.namespaceSelector().matches(facts.namespaceLabels())) {
      return false;
    }
    return object != null && side(m, object) || oldObject != null && side(m, oldObject);
  }

  private static boolean side(ConstraintMatch m, Side s) {
    if (m.labelSelector() != null && !m.labelSelector().matches(s.labels())) {
      return false;
    }
    if (m.name().isEmpty()) {
      return true;
    }
    if (ConstraintMatch.globMatches(m.name(), s.name())) {
      return true;
    }
    // A trailing glob may match the generateName prefix instead, whatever the name (Gatekeeper's
    // Wildcard.MatchesGenerateName): "web-*" matches an object generated from "web-".
    return m.name().endsWith("*") && !s.generateName().isEmpty()
        && ConstraintMatch.globMatches(m.name(), s.generateName());
  }

  private static boolean kinds(ConstraintMatch m, String group, String kind) {
    if (m.kinds().isEmpty()) {
      return true;
    }
    for (ConstraintMatch.GroupKinds gk : m.kinds()) {
      if (gk.matches(group, kind)) {
        return true;
      }
    }
    return false;
  }

  private static boolean scope(ConstraintMatch m, String namespace, boolean isNamespace) {
    boolean hasNamespace = !namespace.isEmpty();
    return switch (m.scope()) {
      case "Cluster" -> isNamespace || !hasNamespace;
      case "Namespaced" -> !isNamespace && hasNamespace;
      default -> true; // Gatekeeper treats any other value (typos included) as *
    };
  }

  private static boolean namespaces(ConstraintMatch m, String ns) {
    if (!m.namespaces().isEmpty() && m.namespaces().stream().noneMatch(g -> ConstraintMatch.globMatches(g, ns))) {
      return false;
    }
    return m.excludedNamespaces().stream().noneMatch(g -> ConstraintMatch.globMatches(g, ns));
  }
}
