package io.orchestrationplane.core.model;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.internal.JqPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonPointer;

/**
 * Differences the planner does not count for matching objects, in the shape of Argo CD's
 * {@code ignoreDifferences}: fields named by JSON pointers ({@code /spec/replicas}) or jq path
 * expressions ({@code .spec.template.spec.containers[] | select(.name == "istio-proxy")}), and
 * fields owned by named field managers ({@code kube-controller-manager} for an HPA's replicas,
 * read from the live object's {@code managedFields}). An ignored difference never makes a write;
 * the plan still lists it on request ({@code Plan.toText(true)}).
 *
 * <pre>{@code
 * IgnoreDifferences.builder("apps", "Deployment")
 *     .jsonPointers("/spec/replicas")
 *     .managedFieldsManagers("kube-controller-manager")
 *     .build();
 * }</pre>
 *
 * <p>The jq subset understood: {@code .field}, {@code ."quoted.field"}, {@code .["field"]},
 * {@code []}, {@code [n]}, {@code |}, and {@code select(...)} with {@code ==}, {@code !=},
 * {@code and}, {@code or}, {@code not}, {@code startswith("x")}, {@code endswith("x")},
 * {@code contains("x")} over paths and string, number, boolean and null literals. An expression
 * outside it is rejected when the rule is built, naming the column.
 *
 * @param group the API group ({@code ""} for core), or {@code "*"} for any
 * @param kind the kind, or {@code "*"} for any
 * @param namespace the namespace the rule is limited to, or {@code null} for any
 * @param name the object name the rule is limited to, or {@code null} for any
 * @param jsonPointers RFC 6901 pointers to ignored fields
 * @param jqPathExpressions jq path expressions selecting ignored fields
 * @param managedFieldsManagers field managers whose fields are ignored
 */
public record IgnoreDifferences(String group, String kind, @Nullable String namespace, @Nullable String name, List<String> jsonPointers,
    List<String> jqPathExpressions, List<String> managedFieldsManagers) {

  public IgnoreDifferences {
    Objects.requireNonNull(group, "group");
    if (kind == null || kind.isBlank()) {
      throw new IllegalArgumentException("ignoreDifferences: kind is required (use \"*\" for every kind)");
    }
    jsonPointers = List.copyOf(jsonPointers);
    jqPathExpressions = List.copyOf(jqPathExpressions);
    managedFieldsManagers = List.copyOf(managedFieldsManagers);
    for (int i = 0; i < jsonPointers.size(); i++) {
      String p = jsonPointers.get(i);
      if (p == null || !p.startsWith("/")) {
        throw new IllegalArgumentException("ignoreDifferences.jsonPointers[" + i + "]: '" + p
            + "' is not a JSON pointer (it must start with '/')");
      }
      try {
        JsonPointer.compile(p);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("ignoreDifferences.jsonPointers[" + i + "]: " + e.getMessage(), e);
      }
    }
    for (int i = 0; i < jqPathExpressions.size(); i++) {
      try {
        JqPath.compile(jqPathExpressions.get(i));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("ignoreDifferences.jqPathExpressions[" + i + "]: " + e.getMessage(), e);
      }
    }
    if (jsonPointers.isEmpty() && jqPathExpressions.isEmpty() && managedFieldsManagers.isEmpty()) {
      throw new IllegalArgumentException("ignoreDifferences for " + kind
          + ": name at least one of jsonPointers, jqPathExpressions or managedFieldsManagers");
    }
  }

  /** A rule for one group and kind ({@code "*"} for any). */
  public static Builder builder(String group, String kind) {
    return new Builder(group, kind);
  }

  /** True when the rule applies to an object of this kind, namespace and name. */
  public boolean matches(GroupKind groupKind, String objectNamespace, String objectName) {
    return (group.equals("*") || group.equals(groupKind.group()))
        && (kind.equals("*") || kind.equals(groupKind.kind()))
        && (namespace == null || namespace.equals(objectNamespace))
        && (name == null || name.equals(objectName));
  }

  /** Builds an {@link IgnoreDifferences}. */
  public static final class Builder {
    private final String group;
    private final String kind;
    private @Nullable String namespace;
    private @Nullable String name;
    private final List<String> pointers = new ArrayList<>();
    private final List<String> jq = new ArrayList<>();
    private final List<String> managers = new ArrayList<>();

    private Builder(String group, String kind) {
      this.group = Objects.requireNonNull(group, "group");
      this.kind = kind;
    }

    /** Limits the rule to objects in this namespace. */
    public Builder namespace(String value) {
      this.namespace = value;
      return this;
    }

    /** Limits the rule to objects of this name. */
    public Builder name(String value) {
      this.name = value;
      return this;
    }

    public Builder jsonPointers(String... values) {
      pointers.addAll(List.of(values));
      return this;
    }

    public Builder jqPathExpressions(String... values) {
      jq.addAll(List.of(values));
      return this;
    }

    public Builder managedFieldsManagers(String... values) {
      managers.addAll(List.of(values));
      return this;
    }

    public IgnoreDifferences build() {
      return new IgnoreDifferences(group, kind, namespace, name, pointers, jq, managers);
    }
  }
}
