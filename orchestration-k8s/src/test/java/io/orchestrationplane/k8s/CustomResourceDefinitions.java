package io.orchestrationplane.k8s;

import io.orchestrationplane.core.resource.Resource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Minimal CRDs (schema preserving unknown fields) for the custom kinds found in manifests, so
 * the mock serves their paths as a cluster with Istio and the Gateway API installed would.
 */
final class CustomResourceDefinitions {
  private static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "batch", "storage.k8s.io",
      "rbac.authorization.k8s.io", "networking.k8s.io", "policy", "autoscaling");

  private CustomResourceDefinitions() {}

  static List<Resource> forKindsOf(List<Resource> manifests) {
    Map<String, Resource> crds = new LinkedHashMap<>();
    for (Resource m : manifests) {
      if (BUILT_IN_GROUPS.contains(m.group())) {
        continue;
      }
      String version = m.apiVersion().substring(m.apiVersion().indexOf('/') + 1);
      String plural = plural(m.kind());
      crds.putIfAbsent(plural + "." + m.group(), crd(m.group(), version, m.kind(), plural, true));
    }
    return List.copyOf(crds.values());
  }

  static String plural(String kind) {
    String lower = kind.toLowerCase(Locale.ROOT);
    if (lower.endsWith("y")) {
      return lower.substring(0, lower.length() - 1) + "ies";
    }
    return lower + (lower.endsWith("s") ? "es" : "s");
  }

  static Resource crd(String group, String version, String kind, String plural, boolean namespaced) {
    return Resource.fromYaml("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: %s.%s}
        spec:
          group: %s
          names: {kind: %s, plural: %s, singular: %s, listKind: %sList}
          scope: %s
          versions:
          - name: %s
            served: true
            storage: true
            schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
            subresources: {status: {}}
        """.formatted(plural, group, group, kind, plural, kind.toLowerCase(Locale.ROOT), kind,
        namespaced ? "Namespaced" : "Cluster", version));
  }
}
