package io.orchestrationplane.policy;

import java.util.List;

/**
 * Which requests a policy ({@code matchConstraints}) or binding ({@code matchResources}) applies to.
 * A request matches when a resource rule matches, no exclude rule matches, and both selectors match.
 *
 * @param namespaceSelector labels of the request's Namespace (for a Namespace itself: its own labels)
 * @param objectSelector labels of the object or of the old object
 * @param matchPolicy {@code Exact} or {@code Equivalent} (kept for fidelity; this engine matches by resource name)
 */
public record MatchResources(LabelSelector namespaceSelector, LabelSelector objectSelector,
    List<ResourceRule> resourceRules, List<ResourceRule> excludeResourceRules, String matchPolicy) {
  public MatchResources {
    namespaceSelector = namespaceSelector == null ? LabelSelector.EVERYTHING : namespaceSelector;
    objectSelector = objectSelector == null ? LabelSelector.EVERYTHING : objectSelector;
    resourceRules = List.copyOf(resourceRules == null ? List.of() : resourceRules);
    excludeResourceRules = List.copyOf(excludeResourceRules == null ? List.of() : excludeResourceRules);
    matchPolicy = matchPolicy == null ? "Equivalent" : matchPolicy;
  }

  /** Matches requests for any of these rules, with no selectors. */
  public static MatchResources of(ResourceRule... rules) {
    return new MatchResources(null, null, List.of(rules), List.of(), null);
  }
}
