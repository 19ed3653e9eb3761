package io.orchestrationplane.policy.internal;

import static io.orchestrationplane.policy.internal.ImportSupport.actions;
import static io.orchestrationplane.policy.internal.ImportSupport.failurePolicy;
import static io.orchestrationplane.policy.internal.ImportSupport.list;
import static io.orchestrationplane.policy.internal.ImportSupport.matchResources;
import static io.orchestrationplane.policy.internal.ImportSupport.name;
import static io.orchestrationplane.policy.internal.ImportSupport.named;
import static io.orchestrationplane.policy.internal.ImportSupport.namedKey;
import static io.orchestrationplane.policy.internal.ImportSupport.paramKind;
import static io.orchestrationplane.policy.internal.ImportSupport.paramRef;
import static io.orchestrationplane.policy.internal.ImportSupport.scalar;
import static io.orchestrationplane.policy.internal.ImportSupport.validations;

import io.orchestrationplane.policy.CelEnvironment;
import io.orchestrationplane.policy.MutatingPolicy;
import io.orchestrationplane.policy.MutatingPolicyBinding;
import io.orchestrationplane.policy.PolicyBinding;
import io.orchestrationplane.policy.ValidatingPolicy;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Kubernetes {@code admissionregistration.k8s.io}: ValidatingAdmissionPolicy and MutatingAdmissionPolicy with
 * their bindings, field for field.
 */
public final class VapImport {
  private VapImport() {}

  /** Reads one admissionregistration document; returns false when its kind is not one of the four. */
  public static boolean read(Doc doc, Loaded out) {
    JsonNode d = doc.node();
    switch (doc.kind()) {
      case "ValidatingAdmissionPolicy" -> out.policies.add(validating(d));
      case "ValidatingAdmissionPolicyBinding" -> out.bindings.add(validatingBinding(d));
      case "MutatingAdmissionPolicy" -> out.mutatingPolicies.add(mutating(name(d), d.path("spec"), true,
          CelEnvironment.KUBERNETES));
      case "MutatingAdmissionPolicyBinding" -> out.mutatingBindings.add(mutatingBinding(d));
      default -> {
        return false;
      }
    }
    return true;
  }

  /** The API server's limit on {@code spec.matchConditions} of admission policies. */
  static final int MAX_MATCH_CONDITIONS = 64;

  static ValidatingPolicy validating(JsonNode d) {
    checkMatchConditions(d.path("spec"));
    ValidatingPolicy.Builder b = ValidatingPolicy.builder(name(d));
    commonSpec(d.path("spec"), b);
    return b.build();
  }

  /** The fields VAPs and Kyverno ValidatingPolicies share. */
  static void commonSpec(JsonNode spec, ValidatingPolicy.Builder b) {
    b.paramKind(paramKind(spec));
    b.matchConstraints(matchResources(spec.path("matchConstraints"), "spec.matchConstraints"));
    b.matchConditions(named(spec.path("matchConditions"), "expression"));
    b.variables(named(spec.path("variables"), "expression"));
    b.validations(validations(spec.path("validations")));
    b.auditAnnotations(namedKey(spec.path("auditAnnotations")));
    if (spec.has("failurePolicy")) {
      b.failurePolicy(failurePolicy(spec));
    }
  }

  static PolicyBinding validatingBinding(JsonNode d) {
    JsonNode spec = d.path("spec");
    return new PolicyBinding(name(d), spec.path("policyName").asString(""),
        spec.has("paramRef") ? paramRef(spec.path("paramRef")) : null,
        spec.has("matchResources") ? matchResources(spec.path("matchResources"), "spec.matchResources") : null,
        actions(spec.path("validationActions"), "spec.validationActions", null));
  }

  /**
   * A mutating policy spec (MutatingAdmissionPolicy, and Kyverno MutatingPolicy which shares its fields).
   *
   * @param kubernetes true for MutatingAdmissionPolicy, whose {@code reinvocationPolicy} is required
   */
  static MutatingPolicy mutating(String name, JsonNode spec, boolean kubernetes, CelEnvironment environment) {
    if (kubernetes) {
      checkMatchConditions(spec);
    }
    MutatingPolicy.Builder b = MutatingPolicy.builder(name).environment(environment)
        .paramKind(paramKind(spec))
        .matchConstraints(matchResources(spec.path("matchConstraints"), "spec.matchConstraints"))
        .matchConditions(named(spec.path("matchConditions"), "expression"))
        .variables(named(spec.path("variables"), "expression"))
        .mutations(mutations(spec.path("mutations")));
    if (spec.has("failurePolicy")) {
      b.failurePolicy(failurePolicy(spec));
    }
    if (spec.has("reinvocationPolicy")) {
      b.reinvocationPolicy(MutatingPolicy.ReinvocationPolicy.parse(
          scalar(spec.path("reinvocationPolicy"), "spec.reinvocationPolicy")));
    } else if (kubernetes) {
      throw new IllegalArgumentException("spec.reinvocationPolicy is required (Never or IfNeeded)");
    }
    return b.build();
  }

  /** Refuses more match conditions than the API server accepts, worded as its validation words it. */
  private static void checkMatchConditions(JsonNode spec) {
    int n = spec.path("matchConditions").size();
    if (n > MAX_MATCH_CONDITIONS) {
      throw new IllegalArgumentException("spec.matchConditions: Too many: " + n + ": must have at most "
          + MAX_MATCH_CONDITIONS + " items");
    }
  }

  private static List<MutatingPolicy.Mutation> mutations(JsonNode list) {
    List<MutatingPolicy.Mutation> out = new ArrayList<>();
    for (int i = 0; i < list(list, "spec.mutations").size(); i++) {
      JsonNode m = list.get(i);
      String where = "spec.mutations[" + i + "]";
      if (!m.has("patchType")) {
        throw new IllegalArgumentException(where + ".patchType is required (ApplyConfiguration or JSONPatch)");
      }
      MutatingPolicy.PatchType type;
      try {
        type = MutatingPolicy.PatchType.parse(scalar(m.path("patchType"), "patchType"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ".patchType: " + e.getMessage(), e);
      }
      String field = type == MutatingPolicy.PatchType.APPLY_CONFIGURATION ? "applyConfiguration" : "jsonPatch";
      String expression = m.path(field).path("expression").asString("");
      if (expression.isBlank()) {
        throw new IllegalArgumentException(where + "." + field + ".expression is required for patchType "
            + m.path("patchType").asString());
      }
      out.add(new MutatingPolicy.Mutation(type, expression));
    }
    return out;
  }

  static MutatingPolicyBinding mutatingBinding(JsonNode d) {
    JsonNode spec = d.path("spec");
    return new MutatingPolicyBinding(name(d), spec.path("policyName").asString(""),
        spec.has("paramRef") ? paramRef(spec.path("paramRef")) : null,
        spec.has("matchResources") ? matchResources(spec.path("matchResources"), "spec.matchResources") : null);
  }
}
