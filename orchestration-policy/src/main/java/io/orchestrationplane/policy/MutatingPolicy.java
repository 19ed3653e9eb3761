package io.orchestrationplane.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A MutatingAdmissionPolicy ({@code admissionregistration.k8s.io/v1beta1}) in engine form; Kyverno
 * {@code MutatingPolicy} documents that express the same mutations are read into this shape by
 * {@link PolicyLoader}. It takes effect through a {@link MutatingPolicyBinding}.
 * {@code environment} is the CEL environment its expressions compile in (null = Kubernetes').
 *
 * <pre>{@code
 * MutatingPolicy p = MutatingPolicy.builder("default-team")
 *     .matchConstraints(MatchResources.of(ResourceRule.of("", Set.of(Operation.CREATE), "configmaps")))
 *     .mutation(Mutation.applyConfiguration(
 *         "Object{metadata: Object.metadata{labels: {'team': 'platform'}}}"))
 *     .build();
 * }</pre>
 */
public record MutatingPolicy(String name, @Nullable ParamKind paramKind, MatchResources matchConstraints,
    List<NamedExpression> matchConditions, List<NamedExpression> variables, List<Mutation> mutations,
    FailurePolicy failurePolicy, ReinvocationPolicy reinvocationPolicy, CelEnvironment environment) {

  /** Whether a policy runs again when later mutations changed the object ({@code reinvocationPolicy}). */
  public enum ReinvocationPolicy {
    NEVER, IF_NEEDED;

    /** Parses {@code Never}/{@code IfNeeded}; throws {@link IllegalArgumentException} naming the value. */
    public static ReinvocationPolicy parse(String value) {
      return switch (value) {
        case "Never" -> NEVER;
        case "IfNeeded" -> IF_NEEDED;
        default -> throw new IllegalArgumentException("unknown reinvocationPolicy '" + value
            + "' (expected Never or IfNeeded)");
      };
    }
  }

  /** How a mutation's expression result is applied. */
  public enum PatchType {
    /** The result is an {@code Object{...}} merged into the object with server-side-apply rules. */
    APPLY_CONFIGURATION,
    /** The result is a list of {@code JSONPatch{op, path, from, value}} applied as RFC 6902 operations. */
    JSON_PATCH;

    /** Parses {@code ApplyConfiguration}/{@code JSONPatch}; throws {@link IllegalArgumentException} naming the value. */
    public static PatchType parse(String value) {
      return switch (value) {
        case "ApplyConfiguration" -> APPLY_CONFIGURATION;
        case "JSONPatch" -> JSON_PATCH;
        default -> throw new IllegalArgumentException("unknown patchType '" + value
            + "' (expected ApplyConfiguration or JSONPatch)");
      };
    }
  }

  /** One entry of {@code spec.mutations}. */
  public record Mutation(PatchType patchType, String expression) {
    public Mutation {
      Objects.requireNonNull(patchType, "patchType");
      Objects.requireNonNull(expression, "expression");
      if (expression.isBlank()) {
        throw new IllegalArgumentException("mutation expression must not be blank");
      }
    }

    public static Mutation applyConfiguration(String expression) {
      return new Mutation(PatchType.APPLY_CONFIGURATION, expression);
    }

    public static Mutation jsonPatch(String expression) {
      return new Mutation(PatchType.JSON_PATCH, expression);
    }
  }

  public MutatingPolicy {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("policy name must not be blank");
    }
    Objects.requireNonNull(matchConstraints, "matchConstraints of mutating policy " + name);
    matchConditions = List.copyOf(matchConditions);
    variables = List.copyOf(variables);
    mutations = List.copyOf(mutations);
    failurePolicy = failurePolicy == null ? FailurePolicy.FAIL : failurePolicy;
    reinvocationPolicy = reinvocationPolicy == null ? ReinvocationPolicy.NEVER : reinvocationPolicy;
    environment = environment == null ? CelEnvironment.KUBERNETES : environment;
    if (mutations.isEmpty()) {
      throw new IllegalArgumentException("mutating policy " + name + " needs at least one mutation");
    }
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builder of {@link MutatingPolicy}; lists keep the order calls were made in. */
  public static final class Builder {
    private final String name;
    private @Nullable ParamKind paramKind;
    private MatchResources matchConstraints = MatchResources.of();
    private final List<NamedExpression> matchConditions = new ArrayList<>();
    private final List<NamedExpression> variables = new ArrayList<>();
    private final List<Mutation> mutations = new ArrayList<>();
    private @Nullable FailurePolicy failurePolicy = FailurePolicy.FAIL;
    private ReinvocationPolicy reinvocationPolicy = ReinvocationPolicy.NEVER;
    private CelEnvironment environment = CelEnvironment.KUBERNETES;

    private Builder(String name) {
      this.name = name;
    }

    public Builder paramKind(@Nullable ParamKind p) { this.paramKind = p; return this; }
    public Builder matchConstraints(MatchResources m) { this.matchConstraints = m; return this; }
    public Builder matchCondition(String name, String expression) {
      matchConditions.add(new NamedExpression(name, expression)); return this;
    }
    public Builder matchConditions(List<NamedExpression> v) { matchConditions.clear(); matchConditions.addAll(v); return this; }
    public Builder variable(String name, String expression) {
      variables.add(new NamedExpression(name, expression)); return this;
    }
    public Builder variables(List<NamedExpression> v) { variables.clear(); variables.addAll(v); return this; }
    public Builder mutation(Mutation m) { mutations.add(m); return this; }
    public Builder mutations(List<Mutation> v) { mutations.clear(); mutations.addAll(v); return this; }
    public Builder failurePolicy(@Nullable FailurePolicy f) { this.failurePolicy = f; return this; }
    public Builder reinvocationPolicy(ReinvocationPolicy r) { this.reinvocationPolicy = r; return this; }
    public Builder environment(CelEnvironment e) { this.environment = e; return this; }

    public MutatingPolicy build() {
      return new MutatingPolicy(name, paramKind, matchConstraints, matchConditions, variables, mutations,
          failurePolicy, reinvocationPolicy, environment);
    }
  }
}
