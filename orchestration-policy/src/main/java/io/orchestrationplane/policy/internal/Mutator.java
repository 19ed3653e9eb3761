package io.orchestrationplane.policy.internal;

import dev.cel.bundle.CelBuilder;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelFunctionBinding;
import io.orchestrationplane.policy.AdmissionRequest;
import io.orchestrationplane.policy.AppliedMutation;
import io.orchestrationplane.policy.CelEnvironment;
import io.orchestrationplane.policy.EvaluationError;
import io.orchestrationplane.policy.FailurePolicy;
import io.orchestrationplane.policy.KubernetesVersion;
import io.orchestrationplane.policy.MatchResources;
import io.orchestrationplane.policy.MutatingPolicy;
import io.orchestrationplane.policy.MutatingPolicyBinding;
import io.orchestrationplane.policy.PolicyCompileException;
import io.orchestrationplane.policy.PolicyEvaluationException;
import io.orchestrationplane.policy.Validation;
import io.orchestrationplane.policy.ValidatingPolicy;
import io.orchestrationplane.policy.ValidationAction;
import io.orchestrationplane.policy.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The MutatingAdmissionPolicy engine: applies every matching binding's mutations to the request's object, in
 * binding order, each mutation seeing the object as the previous one left it; ApplyConfiguration results are
 * merged with server-side-apply rules ({@link ApplyConfigurations}), JSONPatch results applied as RFC 6902. With
 * {@code reinvocationPolicy: IfNeeded} a policy runs once more when a later policy changed the object after it
 * ran, as the API server reinvokes. Immutable and thread-safe.
 */
public final class Mutator {
  private static final Logger LOG = LoggerFactory.getLogger(Mutator.class);

  /** The first Kubernetes version with MutatingAdmissionPolicy (alpha in 1.32, beta in 1.34). */
  static final KubernetesVersion FIRST_VERSION = KubernetesVersion.of(1, 32);

  private record Compiled(MutatingPolicy policy, CompiledPolicy conditions, List<CompiledExpression> mutations) {}

  private record Bound(MutatingPolicyBinding binding, Compiled policy) {}

  /** The outcome of mutating one request. */
  public record Outcome(@Nullable JsonNode object, List<AppliedMutation> applied, List<Violation> failures,
      List<EvaluationError> errors) {}

  private final Evaluator evaluator;
  private final List<Bound> bound = new ArrayList<>();

  public Mutator(List<MutatingPolicy> policies, List<MutatingPolicyBinding> bindings, Evaluator evaluator) {
    this.evaluator = evaluator;
    List<PolicyCompileException.Problem> problems = new ArrayList<>();
    Map<String, Compiled> byName = new LinkedHashMap<>();
    for (MutatingPolicy p : policies) {
      if (byName.containsKey(p.name())) {
        throw new IllegalArgumentException("two mutating policies are named '" + p.name() + "'");
      }
      // The mutation environment of the engine's Kubernetes version (Kyverno's for Kyverno's MutatingPolicy).
      CelEnv env = evaluator.environment(p.environment(), true);
      if (p.environment() != CelEnvironment.KYVERNO && !env.environment().at(FIRST_VERSION.minor())) {
        problems.add(new PolicyCompileException.Problem(p.name(), "spec", 1, 1, "MutatingAdmissionPolicy is not"
            + " available in Kubernetes " + env.environment().version() + " (it appeared in " + FIRST_VERSION
            + "); build the engine for " + FIRST_VERSION + " or newer"));
        continue;
      }
      // The match conditions and variables compile exactly as a validating policy's; it never validates.
      ValidatingPolicy shape = ValidatingPolicy.builder(p.name()).matchConstraints(p.matchConstraints())
          .matchConditions(p.matchConditions()).variables(p.variables()).paramKind(p.paramKind())
          .failurePolicy(p.failurePolicy()).validation(Validation.of("true", "")).build();
      CompiledPolicy conditions = new CompiledPolicy(env, shape, null, problems);
      List<CompiledExpression> mutations = new ArrayList<>();
      for (int i = 0; i < p.mutations().size(); i++) {
        MutatingPolicy.Mutation m = p.mutations().get(i);
        String field = "spec.mutations[" + i + "]." + (m.patchType() == MutatingPolicy.PatchType.APPLY_CONFIGURATION
            ? "applyConfiguration" : "jsonPatch") + ".expression";
        mutations.add(CompiledExpression.compile(env, StructLiterals.rewrite(m.expression()),
            CompiledExpression.Returns.ANY, p.name(), field, problems));
      }
      byName.put(p.name(), new Compiled(p, conditions, mutations));
    }
    if (!problems.isEmpty()) {
      throw new PolicyCompileException(problems);
    }
    for (MutatingPolicyBinding b : bindings) {
      Compiled c = byName.get(b.policyName());
      if (c == null) {
        // as a validating binding of a missing policy: ignored, as Kubernetes ignores it
        LOG.warn("mutating binding '{}' refers to policy '{}', which is not loaded: the binding is ignored, as "
            + "Kubernetes ignores it", b.name(), b.policyName());
        continue;
      }
      bound.add(new Bound(b, c));
    }
  }

  /** Whether there is anything to apply. */
  public boolean isEmpty() {
    return bound.isEmpty();
  }

  /**
   * Adds what the API server's mutation environment adds to the policy environment, {@code jsonpatch.escapeKey},
   * and the identity function {@link StructLiterals#FUNCTION} that typed object literals are rewritten to.
   */
  static void installJsonPatch(CelBuilder builder) {
    builder.addFunctionDeclarations(CelFunctionDecl.newFunctionDeclaration("jsonpatch.escapeKey",
            CelOverloadDecl.newGlobalOverload("jsonpatch_escape_key_string", SimpleType.STRING, SimpleType.STRING)),
            CelFunctionDecl.newFunctionDeclaration(StructLiterals.FUNCTION,
                CelOverloadDecl.newGlobalOverload("struct_literal_dyn", SimpleType.DYN, SimpleType.DYN)))
        .addFunctionBindings(CelFunctionBinding.from("jsonpatch_escape_key_string", String.class,
            k -> k.replace("~", "~0").replace("/", "~1")),
            CelFunctionBinding.from("struct_literal_dyn", Object.class, o -> o));
  }

  /** Applies every matching mutation to the request's object; never throws for what a policy or object contains. */
  public Outcome mutate(AdmissionRequest request) {
    List<AppliedMutation> applied = new ArrayList<>();
    List<Violation> failures = new ArrayList<>();
    List<EvaluationError> errors = new ArrayList<>();
    if (request.object() == null || bound.isEmpty()) {
      return new Outcome(request.object(), applied, failures, errors);
    }
    AdmissionRequest current = request;
    // For each IfNeeded binding that ran: how many changes had been recorded right after it ran.
    List<int[]> reinvoke = new ArrayList<>();
    for (int i = 0; i < bound.size(); i++) {
      Run r = safeRun(bound.get(i), current, applied, failures, errors);
      if (r.object() != current.object()) {
        current = current.toBuilder().object(r.object()).build();
      }
      if (r.matched() && bound.get(i).policy.policy.reinvocationPolicy() == MutatingPolicy.ReinvocationPolicy.IF_NEEDED) {
        reinvoke.add(new int[] {i, applied.size()});
      }
    }
    // Reinvoked at most once, in order, when another policy changed the object after this one ran.
    for (int[] r : reinvoke) {
      if (applied.size() > r[1]) {
        Run again = safeRun(bound.get(r[0]), current, applied, failures, errors);
        if (again.object() != current.object()) {
          current = current.toBuilder().object(again.object()).build();
        }
      }
    }
    return new Outcome(current.object(), applied, failures, errors);
  }

  /** Whether a binding matched (and so ran), and the object after it (the same instance when unchanged). */
  private record Run(boolean matched, @Nullable JsonNode object) {}

  /**
   * {@link #run}, with any unexpected failure (a library's exception, a stack overflow inside one evaluation)
   * recorded as that binding's failure under its failurePolicy: admission never throws for what a policy or an
   * object contains.
   */
  private Run safeRun(Bound b, AdmissionRequest request, List<AppliedMutation> applied, List<Violation> failures,
      List<EvaluationError> errors) {
    int before = applied.size();
    try {
      return run(b, request, applied, failures, errors);
    } catch (RuntimeException | StackOverflowError e) {
      applied.subList(before, applied.size()).clear();
      // Only the exception type: messages may quote object content (Secrets included).
      fail(b, "spec", "internal error: " + e.getClass().getName(), "", failures, errors);
      return new Run(true, request.object());
    }
  }

  /** Runs one binding, recording a change in {@code applied}. */
  private Run run(Bound b, AdmissionRequest request, List<AppliedMutation> applied, List<Violation> failures,
      List<EvaluationError> errors) {
    MutatingPolicy p = b.policy.policy;
    Evaluator.RequestFacts facts = evaluator.facts(request);
    MatchResources bm = b.binding.matchResources();
    if (!evaluator.matches(p.matchConstraints(), facts) || bm != null && !evaluator.matches(bm, facts)) {
      return new Run(false, request.object());
    }
    List<Object> paramValues = new ArrayList<>();
    if (p.paramKind() == null) {
      paramValues.add(NullValue.NULL_VALUE);
    } else {
      // As the API server's generic policy dispatcher: a binding whose params cannot be found is a configuration
      // error, under the policy's failurePolicy.
      Evaluator.Params params = evaluator.params(p.paramKind(), b.binding.paramRef(), facts);
      if (params.error() != null) {
        fail(b, "spec.paramRef", "failed to configure binding: " + params.error(), "", failures, errors);
        return new Run(true, request.object());
      }
      List<JsonNode> found = params.found();
      if (found.isEmpty()) {
        return new Run(true, request.object());
      }
      // With a selector the policy is applied once per params object, in the order they are found.
      for (JsonNode param : found) {
        try {
          paramValues.add(CelValues.toCel(param));
        } catch (CelValues.TooDeep | CelValues.OutOfRange e) {
          fail(b, "spec.paramRef", "cannot read params: " + e.getMessage(), "", failures, errors);
          return new Run(true, request.object());
        }
      }
    }
    JsonNode start = request.object();
    JsonNode object = start;
    boolean matched = false;
    for (Object params : paramValues) {
      AdmissionRequest current = object == start ? request : request.toBuilder().object(object).build();
      JsonNode next = applyWithParams(b, evaluator.facts(current), params, failures, errors);
      if (next == null) {
        continue;
      }
      matched = true;
      if (next == FAILED) {
        return new Run(true, request.object());
      }
      object = next;
    }
    if (!object.equals(start)) {
      applied.add(new AppliedMutation(p.name(), b.binding.name(), JsonPatches.diff(start, object)));
      return new Run(true, object);
    }
    return new Run(matched, request.object());
  }

  /** Marks a failed application (the failure is recorded): the binding's changes are dropped. */
  private static final JsonNode FAILED = tools.jackson.databind.node.JsonNodeFactory.instance.missingNode();

  /**
   * Applies one binding with one params value: the object after its mutations, null when a match condition is
   * false, or {@link #FAILED}.
   */
  private @Nullable JsonNode applyWithParams(Bound b, Evaluator.RequestFacts facts, Object params, List<Violation> failures,
      List<EvaluationError> errors) {
    MutatingPolicy p = b.policy.policy;
    JsonNode object = facts.request.object();
    Activation base = facts.base();
    if (base == null) {
      fail(b, "request", facts.conversionError(), "", failures, errors);
      return FAILED;
    }
    Activation act = base.copy();
    act.params = params;
    CostMeter meter = evaluator.newMeter();
    CompiledPolicy cp = b.policy.conditions;
    act.variables = new LazyVariables(cp, act, meter);
    for (int i = 0; i < cp.matchConditions.size(); i++) {
      try {
        Object r = cp.matchConditions.get(i).evaluate(act, meter);
        if (!(r instanceof Boolean)) {
          fail(b, "spec.matchConditions[" + i + "]", "matchCondition must evaluate to bool", cp.matchConditions.get(i).text(),
              failures, errors);
          return FAILED;
        }
        if (!(Boolean) r) {
          return null;
        }
      } catch (PolicyEvaluationException e) {
        fail(b, "spec.matchConditions[" + i + "]", e.getMessage(), e.expression(), failures, errors);
        return FAILED;
      }
    }
    for (int i = 0; i < b.policy.mutations.size(); i++) {
      MutatingPolicy.Mutation m = p.mutations().get(i);
      CompiledExpression expr = b.policy.mutations.get(i);
      String field = "spec.mutations[" + i + "]";
      try {
        Object result = expr.evaluate(act, meter);
        JsonNode next;
        if (m.patchType() == MutatingPolicy.PatchType.APPLY_CONFIGURATION) {
          next = ApplyConfigurations.merge(object, result);
        } else if (result instanceof List<?> ops) {
          next = JsonPatches.apply(object, ops);
        } else {
          throw new IllegalArgumentException("a JSONPatch mutation must evaluate to a list of JSONPatch{...}");
        }
        if (!next.equals(object)) {
          object = next;
          act = act.copy();
          act.params = params;
          act.object = CelValues.toCel(object);
          act.variables = new LazyVariables(cp, act, meter);
        }
      } catch (PolicyEvaluationException e) {
        fail(b, field, e.getMessage(), m.expression(), failures, errors);
        return FAILED;
      } catch (IllegalArgumentException e) {
        fail(b, field, e.getMessage(), m.expression(), failures, errors);
        return FAILED;
      }
    }
    return object;
  }

  private static void fail(Bound b, String field, @Nullable String message, String expression, List<Violation> failures,
      List<EvaluationError> errors) {
    MutatingPolicy p = b.policy.policy;
    errors.add(new EvaluationError(p.name(), b.binding.name(), field, message, p.failurePolicy()));
    if (p.failurePolicy() == FailurePolicy.FAIL) {
      failures.add(new Violation(p.name(), b.binding.name(), expression, message, "Invalid",
          Set.of(ValidationAction.DENY), true));
    }
  }
}
