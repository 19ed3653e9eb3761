package io.orchestrationplane.policy;

import io.orchestrationplane.policy.internal.Autogen;
import io.orchestrationplane.policy.internal.Evaluator;
import io.orchestrationplane.policy.internal.JsonPatches;
import io.orchestrationplane.policy.internal.KubeCel;
import io.orchestrationplane.policy.internal.Mutator;
import io.orchestrationplane.policy.internal.TypeChecker;
import io.orchestrationplane.policy.spi.Authorizer;
import io.orchestrationplane.policy.spi.ParamResolver;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Evaluates ValidatingAdmissionPolicy-style policies (and, through {@link #admit}, MutatingAdmissionPolicy-style
 * mutations before them) against admission requests, as the Kubernetes API
 * server does. Every expression is compiled when the engine is built (a {@link PolicyCompileException} lists
 * all problems); the engine is then immutable and thread-safe, and {@link #evaluate} never throws because of
 * what a policy or an object contains.
 *
 * <pre>{@code
 * PolicyEngine engine = PolicyEngine.builder()
 *     .policies(PolicyLoader.load(yaml))
 *     .costBudget(10_000_000)
 *     .build();
 * Decision d = engine.evaluate(AdmissionRequest.builder(Operation.CREATE).object(pod).build());
 * d.violations().forEach(System.out::println);
 * }</pre>
 */
public final class PolicyEngine {
  /** Kubernetes' per-binding runtime cost budget ({@code RuntimeCELCostBudget}). */
  public static final long DEFAULT_COST_BUDGET = 10_000_000L;
  /** Kubernetes' runtime cost limit of one expression evaluation ({@code PerCallLimit}). */
  public static final long DEFAULT_PER_EXPRESSION_COST_LIMIT = 1_000_000L;

  private final Evaluator evaluator;
  private final List<ValidatingPolicy> policies;
  private final List<PolicyBinding> bindings;
  private final KubernetesVersion kubernetesVersion;
  private final Map<String, TypeChecking> typeChecking;
  private final List<MutatingPolicy> mutatingPolicies;
  private final List<MutatingPolicyBinding> mutatingBindings;
  private final Mutator mutator;

  private PolicyEngine(Builder b) {
    this.policies = List.copyOf(b.policies);
    this.bindings = List.copyOf(b.bindings);
    this.evaluator = new Evaluator(policies, bindings, new Evaluator.Settings(b.authorizer, b.params, b.kinds,
        b.costBudget, b.comprehensionLimit, b.orValueQuirk, b.autogen, b.autogenControllers,
        new KubeCel.Environment(b.kubernetesVersion, b.extensions), b.perExpressionCostLimit));
    this.kubernetesVersion = b.kubernetesVersion;
    this.mutatingPolicies = List.copyOf(b.mutatingPolicies);
    this.mutatingBindings = List.copyOf(b.mutatingBindings);
    // Mutations compile in the mutation environment of the same Kubernetes version, with the same cost limits.
    this.mutator = new Mutator(mutatingPolicies, mutatingBindings, evaluator);
    // After compilation (which rejects what the API server rejects), so that warnings concern valid policies only.
    this.typeChecking = new TypeChecker(new KubeCel.Environment(b.kubernetesVersion, b.extensions), b.kinds,
        b.schemas.sources(), b.orValueQuirk, b.comprehensionLimit).check(policies);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Evaluates every binding that matches the request and collects all violations. */
  public Decision evaluate(AdmissionRequest request) {
    Objects.requireNonNull(request, "request");
    return evaluator.evaluate(request);
  }

  /**
   * Admits a request as the API server does: every matching mutating policy first (in binding order, with
   * reinvocation), then every validating policy on the mutated object. Never throws because of what a policy or
   * an object contains: failures of mutating policies appear in the decision (denying under failurePolicy Fail).
   */
  public Admission admit(AdmissionRequest request) {
    Objects.requireNonNull(request, "request");
    if (mutator.isEmpty() || request.object() == null) {
      return new Admission(request.object(), List.of(), null, evaluator.evaluate(request));
    }
    Mutator.Outcome m = mutator.mutate(request);
    AdmissionRequest mutated = m.applied().isEmpty() ? request : request.toBuilder().object(m.object()).build();
    Decision d = evaluator.evaluate(mutated);
    if (!m.failures().isEmpty() || !m.errors().isEmpty()) {
      List<Violation> violations = new ArrayList<>(m.failures());
      violations.addAll(d.violations());
      List<EvaluationError> errors = new ArrayList<>(m.errors());
      errors.addAll(d.errors());
      d = new Decision(violations, d.warnings(), d.auditAnnotations(), errors, d.evaluated());
    }
    return new Admission(m.object(), m.applied(), JsonPatches.diff(request.object(), m.object()), d);
  }

  public List<ValidatingPolicy> policies() {
    return policies;
  }

  public List<PolicyBinding> bindings() {
    return bindings;
  }

  /**
   * What type checking against the schemas of the kinds each policy matches found, by policy name, as the API
   * server reports it in {@code status.typeChecking} (see {@link Builder#schemas}). Computed when the engine is
   * built; warnings never change evaluation. Policies in {@link CelEnvironment#KYVERNO} are not type-checked
   * (Kyverno does not), and have an empty result.
   */
  public Map<String, TypeChecking> typeChecking() {
    return typeChecking;
  }

  /** The Kubernetes version whose CEL environment policies were compiled in. */
  public KubernetesVersion kubernetesVersion() {
    return kubernetesVersion;
  }

  /** The mutating policies, as given to the builder. */
  public List<MutatingPolicy> mutatingPolicies() {
    return mutatingPolicies;
  }

  /** The mutating bindings, as given to the builder. */
  public List<MutatingPolicyBinding> mutatingBindings() {
    return mutatingBindings;
  }

  /** Whether the engine has mutating policies bound (so {@link #admit} may change objects). */
  public boolean mutates() {
    return !mutator.isEmpty();
  }

  /** Builder of {@link PolicyEngine}. */
  public static final class Builder {
    private final List<ValidatingPolicy> policies = new ArrayList<>();
    private final List<PolicyBinding> bindings = new ArrayList<>();
    private final List<MutatingPolicy> mutatingPolicies = new ArrayList<>();
    private final List<MutatingPolicyBinding> mutatingBindings = new ArrayList<>();
    private Authorizer authorizer = Authorizer.denyAll();
    private ParamResolver params = ParamResolver.none();
    private KindMapping kinds = KindMapping.defaults();
    private long costBudget = DEFAULT_COST_BUDGET;
    private long perExpressionCostLimit = DEFAULT_PER_EXPRESSION_COST_LIMIT;
    private KubernetesVersion kubernetesVersion = KubernetesVersion.LATEST;
    private Set<CelExtension> extensions = Set.of();
    private KindSchemas schemas = KindSchemas.builtIn();
    private int comprehensionLimit = 1_000_000;
    private boolean orValueQuirk;
    private boolean autogen;
    private Set<String> autogenControllers = Autogen.DEFAULT_CONTROLLERS;

    private Builder() {}

    /** Adds a policy; it takes effect only through a binding. */
    public Builder policy(ValidatingPolicy policy) {
      policies.add(Objects.requireNonNull(policy, "policy"));
      return this;
    }

    /**
     * Adds a binding of a policy by name. A binding whose policy is not added is ignored (with a
     * warning in the log) when the engine is built, as Kubernetes ignores it.
     */
    public Builder binding(PolicyBinding binding) {
      bindings.add(Objects.requireNonNull(binding, "binding"));
      return this;
    }

    /** Adds a policy with a binding that denies everything it matches ({@link PolicyBinding#denyAll}). */
    public Builder enforce(ValidatingPolicy policy) {
      return policy(policy).binding(PolicyBinding.denyAll(policy.name()));
    }

    /** Adds a mutating policy; it takes effect only through a {@link MutatingPolicyBinding}. */
    public Builder mutatingPolicy(MutatingPolicy policy) {
      mutatingPolicies.add(Objects.requireNonNull(policy, "policy"));
      return this;
    }

    public Builder mutatingBinding(MutatingPolicyBinding binding) {
      mutatingBindings.add(Objects.requireNonNull(binding, "binding"));
      return this;
    }

    /** Adds every policy and binding of a loaded set, mutating ones included. */
    public Builder policies(PolicySet set) {
      set.policies().forEach(this::policy);
      set.bindings().forEach(this::binding);
      set.mutatingPolicies().forEach(this::mutatingPolicy);
      set.mutatingBindings().forEach(this::mutatingBinding);
      return this;
    }

    /** Answers {@code authorizer} checks; the default denies every check. */
    public Builder authorizer(Authorizer authorizer) {
      this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
      return this;
    }

    /** Where params are found when the request does not bring its own resolver. */
    public Builder params(ParamResolver params) {
      this.params = Objects.requireNonNull(params, "params");
      return this;
    }

    /** Kind ↔ resource table; extend {@link KindMapping#defaults()} for CRDs. */
    public Builder kinds(KindMapping kinds) {
      this.kinds = Objects.requireNonNull(kinds, "kinds");
      return this;
    }

    /**
     * Runtime cost allowed per binding evaluation, all its expressions together (Kubernetes' RuntimeCELCostBudget,
     * default {@value #DEFAULT_COST_BUDGET}); 0 disables the budget. Cost is charged as the API server charges it,
     * by the size of strings and lists where operations are proportional to it (docs/policy.md). When it runs out
     * the binding's result is one failure, {@code validation failed due to running out of cost budget, no further
     * validation rules will be run}, and its failurePolicy applies.
     */
    public Builder costBudget(long budget) {
      if (budget < 0) {
        throw new IllegalArgumentException("costBudget must be >= 0, got " + budget);
      }
      this.costBudget = budget;
      return this;
    }

    /**
     * Runtime cost allowed for one evaluation of one expression (Kubernetes' PerCallLimit, default
     * {@value #DEFAULT_PER_EXPRESSION_COST_LIMIT}); 0 disables it. An expression that exceeds it fails with
     * {@code operation cancelled: actual cost limit exceeded} and its failurePolicy applies.
     */
    public Builder perExpressionCostLimit(long limit) {
      if (limit < 0) {
        throw new IllegalArgumentException("perExpressionCostLimit must be >= 0, got " + limit);
      }
      this.perExpressionCostLimit = limit;
      return this;
    }

    /**
     * The Kubernetes version whose API server's CEL environment expressions are compiled in (default
     * {@link KubernetesVersion#LATEST}): functions introduced later are compile errors, as on that cluster.
     */
    public Builder kubernetesVersion(KubernetesVersion version) {
      this.kubernetesVersion = Objects.requireNonNull(version, "version");
      return this;
    }

    /** As {@link #kubernetesVersion(KubernetesVersion)}, parsed from {@code 1.31}. */
    public Builder kubernetesVersion(String version) {
      return kubernetesVersion(KubernetesVersion.parse(version));
    }

    /**
     * The schemas policies are type-checked against ({@link #typeChecking()}); default
     * {@link KindSchemas#builtIn()}, {@link KindSchemas#none()} turns type checking off. Add CRDs with
     * {@link KindSchemas#withCustomResourceDefinition}.
     */
    public Builder schemas(KindSchemas schemas) {
      this.schemas = Objects.requireNonNull(schemas, "schemas");
      return this;
    }

    /** CEL libraries beyond the API server's (for policies written for engines that offer them); none by default. */
    public Builder celExtensions(CelExtension... extensions) {
      this.extensions = extensions.length == 0 ? Set.of() : Set.copyOf(EnumSet.copyOf(List.of(extensions)));
      return this;
    }

    /**
     * Maximum comprehension iterations ({@code all}, {@code map}...) in one evaluation of one expression, nested
     * loops counted together; default 1,000,000.
     */
    public Builder comprehensionLimit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("comprehensionLimit must be >= 1, got " + limit);
      }
      this.comprehensionLimit = limit;
      return this;
    }

    /**
     * Reproduces cel-go before 0.28 (Kubernetes ≤ 1.35, Kyverno): {@code orValue()}/{@code or()} called on a
     * non-optional value return that value instead of failing with {@code no_such_overload}.
     */
    public Builder orValueOnNonOptional(boolean enabled) {
      this.orValueQuirk = enabled;
      return this;
    }

    /**
     * Kyverno-style autogen: a policy matching only Pods also applies to pod controllers, with expressions
     * rewritten to the pod template. Policies may restrict the kinds ({@link ValidatingPolicy#autogenControllers}).
     */
    public Builder autogen(boolean enabled) {
      this.autogen = enabled;
      return this;
    }

    /** The controller kinds autogen targets by default (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob). */
    public Builder autogenControllers(Set<String> kinds) {
      for (String k : kinds) {
        if (!Autogen.CONTROLLERS.containsKey(k)) {
          throw new IllegalArgumentException("unknown autogen controller kind '" + k + "' (expected one of "
              + Autogen.CONTROLLERS.keySet() + ")");
        }
      }
      this.autogenControllers = Set.copyOf(kinds);
      return this;
    }

    /** Compiles every policy; throws {@link PolicyCompileException} listing each expression that does not compile. */
    public PolicyEngine build() {
      return new PolicyEngine(this);
    }
  }
}
