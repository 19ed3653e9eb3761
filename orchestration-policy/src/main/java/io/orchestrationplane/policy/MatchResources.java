package io.orchestrationplane.policy;

import java.util.List;

/**
 * Which requests a policy ({@code matchConstraints}) or binding ({@code matchResources}) applies to.
 * A request matches when a resource rule matches, no exclude rule matches, and both selectors match.
 *
 * @param namespaceSelector labels of the request's Namespace (for a Namespace itself: its own labels)
 * @param objectSelector labels of the object or of the old object
 * @param matchPolicy {@code Exact} (the request's version must be listed) or {@code Equivalent}, the default (any
 *     version of the same group and resource matches, as the API server would convert the object)
 */
public record MatchResources(LabelSelector namespaceSelector, LabelSelector objectSelector,
    List<ResourceRule> resourceRules, List<ResourceRule> excludeResourceRules, String matchPolicy) {
  public MatchResources {
    namespaceSelector = namespaceSelector == null ? LabelSelector.EVERYTHING : namespaceSelector;
    objectSelector = objectSelector == null ? LabelSelector.EVERYTHING : objectSelector;
    resourceRules = List.copyOf(resourceRules == null ? List.of() : resourceRules);
    excludeResourceRules = List.copyOf(excludeResourceRules == null ? List.of() : excludeResourceRules);
    matchPolicy = matchPolicy == null ? "Equivalent" : matchPolicy;
    if (!matchPolicy.equals("Equivalent") && !matchPolicy.equals("Exact")) {
      throw new IllegalArgumentException("unknown matchPolicy '" + matchPolicy + "' (expected Exact or Equivalent)");
    }
  }

  /** Matches requests for any of these rules, with no selectors. */
  public static MatchResources of(ResourceRule... rules) {
    return new MatchResources(null, null, List.of(rules), List.of(), null);
  }
}
