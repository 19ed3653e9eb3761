package io.orchestrationplane.policy;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A {@code resourceRules} entry of {@code matchConstraints}/{@code matchResources}. {@code "*"} matches
 * anything; resources may name subresources ({@code pods/status}, {@code *}{@code /*}).
 *
 * @param scope {@code *}, {@code Cluster} or {@code Namespaced}
 */
public record ResourceRule(List<String> apiGroups, List<String> apiVersions, List<String> resources,
    Set<Operation> operations, boolean anyOperation, List<String> resourceNames, String scope) {
  public ResourceRule {
    apiGroups = List.copyOf(apiGroups == null ? List.of("*") : apiGroups);
    apiVersions = List.copyOf(apiVersions == null ? List.of("*") : apiVersions);
    resources = List.copyOf(resources == null ? List.of() : resources);
    operations = Set.copyOf(operations == null ? Set.of() : operations);
    resourceNames = List.copyOf(resourceNames == null ? List.of() : resourceNames);
    scope = scope == null ? "*" : scope;
    if (!List.of("*", "Cluster", "Namespaced").contains(scope)) {
      throw new IllegalArgumentException("unknown scope '" + scope + "' (expected *, Cluster or Namespaced)");
    }
  }

  /** A rule for resources of a group (any version) on the given operations, e.g. {@code of("", Set.of(CREATE), "pods")}. */
  public static ResourceRule of(String apiGroup, Set<Operation> operations, String... resources) {
    return new ResourceRule(List.of(apiGroup), List.of("*"), List.of(resources), operations, false, List.of(), "*");
  }

  /** Whether the rule covers a request for {@code group/version/resource[/subresource]} (exact version). */
  public boolean matches(String group, String version, String resource, String subResource,
      Operation operation, String name, boolean namespaced) {
    return matches(group, version, resource, subResource, operation, name, namespaced, false);
  }

  /**
   * As {@link #matches(String, String, String, String, Operation, String, boolean)}; with {@code anyVersion}
   * (matchPolicy Equivalent) the request's version need not be listed, since the API server would convert it.
   */
  public boolean matches(String group, String version, String resource, @Nullable String subResource,
      Operation operation, String name, boolean namespaced, boolean anyVersion) {
    if (!anyOperation && !operations.contains(operation)) {
      return false;
    }
    if (!apiGroups.contains("*") && !apiGroups.contains(group)) {
      return false;
    }
    if (!anyVersion && !apiVersions.contains("*") && !apiVersions.contains(version)) {
      return false;
    }
    if (!resourceNames.isEmpty() && !resourceNames.contains(name)) {
      return false;
    }
    if (scope.equals("Cluster") && namespaced || scope.equals("Namespaced") && !namespaced) {
      return false;
    }
    String full = subResource == null || subResource.isEmpty() ? resource : resource + "/" + subResource;
    for (String r : resources) {
      if (r.equals("*")) {
        if (subResource == null || subResource.isEmpty()) {
          return true;
        }
      } else if (r.equals("*/*") || r.equals(full)) {
        return true;
      } else if (r.startsWith("*/") && subResource != null && r.substring(2).equals(subResource)) {
        return true;
      } else if (r.endsWith("/*") && subResource != null && !subResource.isEmpty()
          && r.substring(0, r.length() - 2).equals(resource)) {
        return true;
      }
    }
    return false;
  }
}
