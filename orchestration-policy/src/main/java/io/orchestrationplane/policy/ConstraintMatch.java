package io.orchestrationplane.policy;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code spec.match} of a Gatekeeper Constraint, with Gatekeeper's semantics: every criterion that is set
 * must match. {@code kinds} match on group and kind ({@code *} or an empty list matches all); {@code scope} is
 * {@code *}, {@code Cluster} (Namespaces count as cluster-scoped) or {@code Namespaced}; {@code namespaces} and
 * {@code excludedNamespaces} compare the object's namespace (a Namespace's own name) and accept a {@code *} at
 * the front or end ({@code kube-*}, {@code *-system}); cluster-scoped objects other than Namespaces pass both;
 * {@code labelSelector} reads the object's labels, {@code namespaceSelector} its Namespace's (a Namespace's own);
 * {@code name} accepts the same globs.
 *
 * @param labelSelector null when unset
 * @param namespaceSelector null when unset
 * @param name null or empty when unset
 */
public record ConstraintMatch(List<GroupKinds> kinds, String scope, List<String> namespaces,
    List<String> excludedNamespaces, @Nullable LabelSelector labelSelector, @Nullable LabelSelector namespaceSelector, String name) {
  /** Gatekeeper's validation pattern for a wildcard value (a name with an optional leading or trailing glob). */
  private static final Pattern WILDCARD = Pattern.compile("^(\\*|\\*-)?[a-z0-9]([-:a-z0-9]*[a-z0-9])?(\\*|-\\*)?$");

  /** Matches everything. */
  public static final ConstraintMatch EVERYTHING = new ConstraintMatch(List.of(), "*", List.of(), List.of(), null, null, null);

  /** One {@code kinds} entry. Empty lists and {@code *} match every group or kind. */
  public record GroupKinds(List<String> apiGroups, List<String> kinds) {
    public GroupKinds {
      apiGroups = List.copyOf(apiGroups == null ? List.of() : apiGroups);
      kinds = List.copyOf(kinds == null ? List.of() : kinds);
    }

    /** Whether an object of this group and kind is covered. */
    public boolean matches(String group, String kind) {
      return (kinds.isEmpty() || kinds.contains("*") || kinds.contains(kind))
          && (apiGroups.isEmpty() || apiGroups.contains("*") || apiGroups.contains(group));
    }
  }

  public ConstraintMatch {
    kinds = List.copyOf(kinds == null ? List.of() : kinds);
    scope = scope == null || scope.isEmpty() ? "*" : scope;
    namespaces = List.copyOf(namespaces == null ? List.of() : namespaces);
    excludedNamespaces = List.copyOf(excludedNamespaces == null ? List.of() : excludedNamespaces);
    name = name == null ? "" : name;
    checkWildcards("namespaces", namespaces);
    checkWildcards("excludedNamespaces", excludedNamespaces);
    if (!name.isEmpty()) {
      checkWildcards("name", List.of(name));
    }
  }

  private static void checkWildcards(String field, List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      String v = Objects.requireNonNull(values.get(i), "match." + field + "[" + i + "]");
      if (!WILDCARD.matcher(v).matches()) {
        throw new IllegalArgumentException("match." + field + "[" + i + "]: '" + v + "' is not a name with an"
            + " optional '*' at the front or end (Gatekeeper's pattern " + WILDCARD.pattern() + ")");
      }
    }
  }

  /** Whether {@code value} matches a Gatekeeper wildcard: exact, {@code prefix*}, {@code *suffix} or {@code *infix*}. */
  public static boolean globMatches(String glob, String value) {
    if (glob.length() > 1 && glob.startsWith("*") && glob.endsWith("*")) {
      return value.contains(glob.substring(1, glob.length() - 1));
    }
    if (glob.endsWith("*")) {
      return value.startsWith(glob.substring(0, glob.length() - 1));
    }
    if (glob.startsWith("*")) {
      return value.endsWith(glob.substring(1));
    }
    return glob.equals(value);
  }
}
