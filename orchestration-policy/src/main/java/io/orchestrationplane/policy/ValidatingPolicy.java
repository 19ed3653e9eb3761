package io.orchestrationplane.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A ValidatingAdmissionPolicy ({@code admissionregistration.k8s.io/v1}) in engine form. Kyverno and
 * Gatekeeper policies are translated into this shape by {@link PolicyLoader}.
 *
 * <pre>{@code
 * ValidatingPolicy p = ValidatingPolicy.builder("replicas-limit")
 *     .matchConstraints(MatchResources.of(ResourceRule.of("apps", Set.of(Operation.CREATE), "deployments")))
 *     .validation(Validation.of("object.spec.replicas <= 5", "at most 5 replicas"))
 *     .build();
 * }</pre>
 *
 * @param autogenControllers pod-controller kinds this Pod policy is also applied to when the engine's
 *     autogen is on; null = the engine's default set, empty = none
 * @param environment the CEL environment its expressions compile in (null = {@link CelEnvironment#KUBERNETES})
 */
public record ValidatingPolicy(String name, @Nullable ParamKind paramKind, MatchResources matchConstraints,
    List<NamedExpression> matchConditions, List<NamedExpression> variables, List<Validation> validations,
    List<NamedExpression> auditAnnotations, FailurePolicy failurePolicy, @Nullable Set<String> autogenControllers,
    CelEnvironment environment) {

  public ValidatingPolicy {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("policy name must not be blank");
    }
    Objects.requireNonNull(matchConstraints, "matchConstraints of policy " + name);
    matchConditions = List.copyOf(matchConditions);
    variables = List.copyOf(variables);
    validations = List.copyOf(validations);
    auditAnnotations = List.copyOf(auditAnnotations);
    failurePolicy = failurePolicy == null ? FailurePolicy.FAIL : failurePolicy;
    autogenControllers = autogenControllers == null ? null : Set.copyOf(autogenControllers);
    environment = environment == null ? CelEnvironment.KUBERNETES : environment;
    if (validations.isEmpty() && auditAnnotations.isEmpty()) {
      throw new IllegalArgumentException("policy " + name + " needs at least one validation or auditAnnotation");
    }
  }

  /** A policy in the Kubernetes CEL environment. */
  public ValidatingPolicy(String name, ParamKind paramKind, MatchResources matchConstraints,
      List<NamedExpression> matchConditions, List<NamedExpression> variables, List<Validation> validations,
      List<NamedExpression> auditAnnotations, FailurePolicy failurePolicy, Set<String> autogenControllers) {
    this(name, paramKind, matchConstraints, matchConditions, variables, validations, auditAnnotations, failurePolicy,
        autogenControllers, CelEnvironment.KUBERNETES);
  }

  /** Starts a builder for a policy named {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder initialised from this policy. */
  public Builder toBuilder() {
    Builder b = new Builder(name).paramKind(paramKind).matchConstraints(matchConstraints)
        .failurePolicy(failurePolicy).autogenControllers(autogenControllers).environment(environment);
    b.matchConditions.addAll(matchConditions);
    b.variables.addAll(variables);
    b.validations.addAll(validations);
    b.auditAnnotations.addAll(auditAnnotations);
    return b;
  }

  /** Builder of {@link ValidatingPolicy}; lists keep the order calls were made in. */
  public static final class Builder {
    private String name;
    private @Nullable ParamKind paramKind;
    private MatchResources matchConstraints = MatchResources.of();
    private final List<NamedExpression> matchConditions = new ArrayList<>();
    private final List<NamedExpression> variables = new ArrayList<>();
    private final List<Validation> validations = new ArrayList<>();
    private final List<NamedExpression> auditAnnotations = new ArrayList<>();
    private @Nullable FailurePolicy failurePolicy = FailurePolicy.FAIL;
    private @Nullable Set<String> autogenControllers;
    private CelEnvironment environment = CelEnvironment.KUBERNETES;

    private Builder(String name) {
      this.name = name;
    }

    public Builder name(String name) { this.name = name; return this; }
    public Builder paramKind(@Nullable ParamKind paramKind) { this.paramKind = paramKind; return this; }
    public Builder matchConstraints(MatchResources m) { this.matchConstraints = m; return this; }
    public Builder matchCondition(String name, String expression) {
      matchConditions.add(new NamedExpression(name, expression)); return this;
    }
    public Builder variable(String name, String expression) {
      variables.add(new NamedExpression(name, expression)); return this;
    }
    public Builder validation(Validation v) { validations.add(v); return this; }
    public Builder validations(List<Validation> v) { validations.clear(); validations.addAll(v); return this; }
    public Builder variables(List<NamedExpression> v) { variables.clear(); variables.addAll(v); return this; }
    public Builder matchConditions(List<NamedExpression> v) { matchConditions.clear(); matchConditions.addAll(v); return this; }
    public Builder auditAnnotations(List<NamedExpression> v) { auditAnnotations.clear(); auditAnnotations.addAll(v); return this; }
    public Builder auditAnnotation(String key, String valueExpression) {
      auditAnnotations.add(new NamedExpression(key, valueExpression)); return this;
    }
    public Builder failurePolicy(@Nullable FailurePolicy f) { this.failurePolicy = f; return this; }
    public Builder autogenControllers(@Nullable Set<String> kinds) { this.autogenControllers = kinds; return this; }
    public Builder environment(CelEnvironment e) { this.environment = e; return this; }

    public ValidatingPolicy build() {
      return new ValidatingPolicy(name, paramKind, matchConstraints, matchConditions, variables,
          validations, auditAnnotations, failurePolicy, autogenControllers, environment);
    }
  }
}
