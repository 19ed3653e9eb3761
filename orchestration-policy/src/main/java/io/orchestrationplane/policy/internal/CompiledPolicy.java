package io.orchestrationplane.policy.internal;

import dev.cel.bundle.Cel;
import io.orchestrationplane.policy.NamedExpression;
import io.orchestrationplane.policy.PolicyCompileException;
import io.orchestrationplane.policy.Validation;
import io.orchestrationplane.policy.ValidatingPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A policy whose every expression is compiled; immutable and shared between threads. */
final class CompiledPolicy {
  final ValidatingPolicy policy;
  /** The controller kind for an autogen variant, else null. */
  final @Nullable String autogenKind;
  final List<CompiledExpression> matchConditions;
  final List<String> variableNames;
  final List<CompiledExpression> variables;
  final Map<String, Integer> variableIndex = new HashMap<>();
  final List<CompiledExpression> validations;
  final List<CompiledExpression> messageExpressions;
  final List<CompiledExpression> auditAnnotations;

  CompiledPolicy(CelEnv cel, ValidatingPolicy policy, @Nullable String autogenKind, List<PolicyCompileException.Problem> problems) {
    this.policy = policy;
    this.autogenKind = autogenKind;
    String name = policy.name() + (autogenKind == null ? "" : " (autogen " + autogenKind + ")");
    this.matchConditions = compileAll(cel, name, "spec.matchConditions", policy.matchConditions(),
        CompiledExpression.Returns.BOOL, problems);
    this.variableNames = policy.variables().stream().map(NamedExpression::name).toList();
    this.variables = compileAll(cel, name, "spec.variables", policy.variables(), CompiledExpression.Returns.ANY,
        problems);
    for (int i = 0; i < variableNames.size(); i++) {
      variableIndex.put(variableNames.get(i), i);
    }
    List<Validation> vs = policy.validations();
    this.validations = new java.util.ArrayList<>();
    this.messageExpressions = new java.util.ArrayList<>();
    for (int i = 0; i < vs.size(); i++) {
      validations.add(CompiledExpression.compile(cel, vs.get(i).expression(), CompiledExpression.Returns.BOOL, name,
          "spec.validations[" + i + "].expression", problems));
      String me = vs.get(i).messageExpression();
      messageExpressions.add(me == null || me.isBlank() ? null
          : CompiledExpression.compile(cel, me, CompiledExpression.Returns.STRING, name,
              "spec.validations[" + i + "].messageExpression", problems));
    }
    this.auditAnnotations = new java.util.ArrayList<>();
    for (int i = 0; i < policy.auditAnnotations().size(); i++) {
      auditAnnotations.add(CompiledExpression.compile(cel, policy.auditAnnotations().get(i).expression(),
          CompiledExpression.Returns.STRING_OR_NULL, name, "spec.auditAnnotations[" + i + "].valueExpression",
          problems));
    }
  }

  String displayName() {
    return policy.name();
  }

  private static List<CompiledExpression> compileAll(CelEnv cel, String policy, String field,
      List<NamedExpression> list, CompiledExpression.Returns returns, List<PolicyCompileException.Problem> problems) {
    List<CompiledExpression> out = new java.util.ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(CompiledExpression.compile(cel, list.get(i).expression(), returns, policy,
          field + "[" + i + "].expression", problems));
    }
    return out;
  }
}
