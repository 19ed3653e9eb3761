package io.orchestrationplane.policy.internal;

import static io.orchestrationplane.policy.internal.ImportSupport.actions;
import static io.orchestrationplane.policy.internal.ImportSupport.failurePolicy;
import static io.orchestrationplane.policy.internal.ImportSupport.list;
import static io.orchestrationplane.policy.internal.ImportSupport.name;
import static io.orchestrationplane.policy.internal.ImportSupport.named;
import static io.orchestrationplane.policy.internal.ImportSupport.namedKey;
import static io.orchestrationplane.policy.internal.ImportSupport.paramRef;
import static io.orchestrationplane.policy.internal.ImportSupport.quote;
import static io.orchestrationplane.policy.internal.ImportSupport.selector;
import static io.orchestrationplane.policy.internal.ImportSupport.strings;
import static io.orchestrationplane.policy.internal.ImportSupport.validations;

import io.orchestrationplane.policy.CelEnvironment;
import io.orchestrationplane.policy.KindMapping;
import io.orchestrationplane.policy.LabelSelector;
import io.orchestrationplane.policy.MatchResources;
import io.orchestrationplane.policy.MutatingPolicy;
import io.orchestrationplane.policy.MutatingPolicyBinding;
import io.orchestrationplane.policy.NamedExpression;
import io.orchestrationplane.policy.Operation;
import io.orchestrationplane.policy.ParamKind;
import io.orchestrationplane.policy.ParamRef;
import io.orchestrationplane.policy.PolicyBinding;
import io.orchestrationplane.policy.ResourceRule;
import io.orchestrationplane.policy.ValidatingPolicy;
import io.orchestrationplane.policy.ValidationAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Kyverno: {@code policies.kyverno.io} ValidatingPolicy and MutatingPolicy (and their namespaced forms), and
 * {@code kyverno.io} ClusterPolicy/Policy rules with {@code validate.cel} (one policy per rule, named
 * {@code policy/rule}). Rules and documents the engine cannot run are reported as skipped.
 */
public final class KyvernoImport {
  private final KindMapping kinds;

  public KyvernoImport(KindMapping kinds) {
    this.kinds = kinds;
  }

  /** Reads one Kyverno document; unsupported kinds and rules are recorded as skipped. */
  public void read(Doc doc, Loaded out) {
    JsonNode d = doc.node();
    String key = doc.group() + "/" + doc.kind();
    switch (key) {
      case "policies.kyverno.io/ValidatingPolicy", "policies.kyverno.io/NamespacedValidatingPolicy" -> {
        ValidatingPolicy p = validatingPolicy(d);
        out.policies.add(p);
        out.bindings.add(new PolicyBinding(p.name(), p.name(), null, null,
            actions(d.path("spec").path("validationActions"), "spec.validationActions", "Deny")));
      }
      case "policies.kyverno.io/MutatingPolicy", "policies.kyverno.io/NamespacedMutatingPolicy" -> mutatingPolicy(doc, out);
      case "kyverno.io/ClusterPolicy", "kyverno.io/Policy" -> clusterPolicy(doc, out);
      default -> out.skip(doc.skipped("", "Kyverno " + doc.kind() + " is not supported (supported: ValidatingPolicy,"
          + " MutatingPolicy, and ClusterPolicy/Policy rules with validate.cel)"));
    }
  }

  private ValidatingPolicy validatingPolicy(JsonNode d) {
    JsonNode spec = d.path("spec");
    ValidatingPolicy.Builder b = ValidatingPolicy.builder(name(d)).environment(CelEnvironment.KYVERNO);
    VapImport.commonSpec(spec, b);
    JsonNode controllers = spec.path("autogen").path("podControllers").path("controllers");
    if (controllers.isArray()) {
      b.autogenControllers(Set.copyOf(strings(controllers, "spec.autogen.podControllers.controllers", List.of())));
    }
    return b.build();
  }

  /** A MutatingPolicy expressing admission-time mutations becomes a {@link MutatingPolicy}; mutate-existing is skipped. */
  private void mutatingPolicy(Doc doc, Loaded out) {
    JsonNode spec = doc.node().path("spec");
    if (spec.path("evaluation").path("mutateExisting").path("enabled").asBoolean(false)
        || spec.has("targetMatchConstraints")) {
      out.skip(doc.skipped("spec.evaluation.mutateExisting", "mutation of existing resources (background"
          + " mutation of other objects) is not supported; only admission-time mutation of the request's object"));
      return;
    }
    if (spec.path("evaluation").path("admission").path("enabled").asBoolean(true) == false) {
      out.skip(doc.skipped("spec.evaluation.admission", "admission is disabled for this policy"));
      return;
    }
    MutatingPolicy p = VapImport.mutating(name(doc.node()), spec, false, CelEnvironment.KYVERNO);
    out.mutatingPolicies.add(p);
    out.mutatingBindings.add(MutatingPolicyBinding.of(p.name()));
  }

  private void clusterPolicy(Doc doc, Loaded out) {
    JsonNode d = doc.node();
    String policyName = name(d);
    JsonNode spec = d.path("spec");
    Set<String> autogen;
    String annotation = d.path("metadata").path("annotations").path("pod-policies.kyverno.io/autogen-controllers")
        .asString(null);
    if (annotation != null) {
      autogen = new LinkedHashSet<>();
      if (!annotation.equalsIgnoreCase("none")) {
        for (String k : annotation.split(",")) {
          if (Autogen.CONTROLLERS.containsKey(k.strip())) {
            autogen.add(k.strip());
          }
        }
      }
    } else {
      autogen = new LinkedHashSet<>(Autogen.DEFAULT_CONTROLLERS);
      autogen.add("ReplicationController");
    }
    String defaultAction = spec.path("validationFailureAction").asString("Audit");
    JsonNode rules = list(spec.path("rules"), "spec.rules");
    for (int i = 0; i < rules.size(); i++) {
      JsonNode rule = rules.get(i);
      String ruleName = rule.path("name").asString("rule-" + i);
      JsonNode cel = rule.path("validate").path("cel");
      if (cel.isMissingNode()) {
        out.skip(doc.skipped("rule " + ruleName, "only validate.cel rules run here; this rule uses "
            + ruleKind(rule)));
        continue;
      }
      String name = policyName + "/" + ruleName;
      ValidatingPolicy.Builder b = ValidatingPolicy.builder(name).autogenControllers(autogen);
      if (spec.has("failurePolicy")) {
        b.failurePolicy(failurePolicy(spec));
      }
      KyvernoMatch match = kyvernoMatch(rule.path("match"), rule.path("exclude"), doc.kind()
          .equals("Policy") ? d.path("metadata").path("namespace").asString(null) : null);
      b.matchConstraints(match.match());
      List<NamedExpression> conditions = new ArrayList<>(match.conditions());
      conditions.addAll(named(rule.path("celPreconditions"), "expression"));
      String subjects = excludedSubjects(rule.path("exclude"));
      if (subjects != null) {
        conditions.add(new NamedExpression("kyverno-exclude-subjects", subjects));
      }
      b.matchConditions(conditions);
      b.variables(named(cel.path("variables"), "expression"));
      b.validations(validations(cel.path("expressions")));
      b.auditAnnotations(namedKey(cel.path("auditAnnotations")));
      ParamRef ref = null;
      if (cel.has("paramKind")) {
        b.paramKind(new ParamKind(cel.path("paramKind").path("apiVersion").asString(""),
            cel.path("paramKind").path("kind").asString("")));
        ref = paramRef(cel.path("paramRef"));
      }
      out.policies.add(b.build());
      String action = rule.path("validate").path("failureAction").asString(defaultAction);
      out.bindings.add(new PolicyBinding(name, name, ref, null,
          Set.of(action.equalsIgnoreCase("Enforce") ? ValidationAction.DENY : ValidationAction.AUDIT)));
    }
  }

  /** What a rule without validate.cel does, for the skip reason. */
  private static String ruleKind(JsonNode rule) {
    for (String k : List.of("mutate", "generate", "verifyImages")) {
      if (rule.has(k)) {
        return k;
      }
    }
    JsonNode v = rule.path("validate");
    for (String k : List.of("pattern", "anyPattern", "deny", "foreach", "podSecurity", "cel", "manifests", "assert")) {
      if (v.has(k)) {
        return "validate." + k;
      }
    }
    return "no validate.cel";
  }

  /** A Kyverno match/exclude in engine form: match resources plus conditions for what selectors cannot say. */
  private record KyvernoMatch(MatchResources match, List<NamedExpression> conditions) {}

  private KyvernoMatch kyvernoMatch(JsonNode match, JsonNode exclude, @Nullable String policyNamespace) {
    List<ResourceRule> rules = new ArrayList<>();
    List<LabelSelector.Requirement> nsReqs = new ArrayList<>();
    List<NamedExpression> conditions = new ArrayList<>();
    LabelSelector objectSelector = null;
    LabelSelector namespaceSelector = null;
    for (JsonNode res : filters(match)) {
      Set<Operation> ops = new LinkedHashSet<>();
      for (String o : strings(res.path("operations"), "operations", List.of())) {
        ops.add(Operation.parse(o));
      }
      if (ops.isEmpty()) {
        ops.add(Operation.CREATE);
        ops.add(Operation.UPDATE);
      }
      List<String> names = strings(res.path("names"), "names", List.of());
      if (hasWildcard(names)) {
        conditions.add(new NamedExpression("kyverno-match-names", anyOf("request.name", names)));
        names = List.of();
      }
      rules.addAll(kindRules(strings(res.path("kinds"), "kinds", List.of()), ops, names));
      List<String> namespaces = strings(res.path("namespaces"), "namespaces", List.of());
      if (hasWildcard(namespaces)) {
        conditions.add(new NamedExpression("kyverno-match-namespaces", anyOf("request.namespace", namespaces)));
      } else if (!namespaces.isEmpty()) {
        nsReqs.add(new LabelSelector.Requirement("kubernetes.io/metadata.name", "In", namespaces));
      }
      if (res.has("selector")) {
        objectSelector = selector(res.path("selector"), "selector");
      }
      if (res.has("namespaceSelector")) {
        namespaceSelector = selector(res.path("namespaceSelector"), "namespaceSelector");
      }
    }
    if (policyNamespace != null) {
      nsReqs.add(new LabelSelector.Requirement("kubernetes.io/metadata.name", "In", List.of(policyNamespace)));
    }
    List<ResourceRule> excludes = new ArrayList<>();
    int excludeIndex = 0;
    for (JsonNode res : filters(exclude)) {
      List<String> kindsList = strings(res.path("kinds"), "kinds", List.of());
      List<String> names = strings(res.path("names"), "names", List.of());
      List<String> namespaces = strings(res.path("namespaces"), "namespaces", List.of());
      if (hasWildcard(names) || hasWildcard(namespaces)) {
        // Selectors and resourceNames have no wildcards: say the whole exclusion in CEL instead.
        List<String> terms = new ArrayList<>();
        if (!kindsList.isEmpty()) {
          terms.add("request.kind.kind in [" + String.join(", ", kindsList.stream()
              .map(k -> quote(k.substring(k.lastIndexOf('/') + 1))).toList()) + "]");
        }
        if (!names.isEmpty()) {
          terms.add(anyOf("request.name", names));
        }
        if (!namespaces.isEmpty()) {
          terms.add(anyOf("request.namespace", namespaces));
        }
        conditions.add(new NamedExpression("kyverno-exclude-" + excludeIndex++, "!(" + String.join(" && ", terms) + ")"));
      } else if (!namespaces.isEmpty() && kindsList.isEmpty() && names.isEmpty()) {
        nsReqs.add(new LabelSelector.Requirement("kubernetes.io/metadata.name", "NotIn", namespaces));
      } else if (!kindsList.isEmpty() || !names.isEmpty()) {
        Set<Operation> all = Set.of(Operation.values());
        if (kindsList.isEmpty()) {
          for (ResourceRule r : rules) {
            excludes.add(new ResourceRule(r.apiGroups(), r.apiVersions(), r.resources(), all, true, names, r.scope()));
          }
        } else {
          excludes.addAll(kindRules(kindsList, all, names));
        }
      }
    }
    if (!nsReqs.isEmpty()) {
      LabelSelector base = namespaceSelector == null ? LabelSelector.EVERYTHING : namespaceSelector;
      List<LabelSelector.Requirement> reqs = new ArrayList<>(base.matchExpressions());
      reqs.addAll(nsReqs);
      namespaceSelector = new LabelSelector(base.matchLabels(), reqs);
    }
    return new KyvernoMatch(new MatchResources(namespaceSelector, objectSelector, rules, excludes, null), conditions);
  }

  private static boolean hasWildcard(List<String> values) {
    return values.stream().anyMatch(v -> v.indexOf('*') >= 0 || v.indexOf('?') >= 0);
  }

  /** CEL that is true when {@code field} equals one of the values, Kyverno wildcards ({@code *}, {@code ?}) allowed. */
  private static String anyOf(String field, List<String> values) {
    List<String> terms = new ArrayList<>();
    for (String v : values) {
      if (v.indexOf('*') < 0 && v.indexOf('?') < 0) {
        terms.add(field + " == " + quote(v));
      } else {
        StringBuilder re = new StringBuilder("^");
        for (char c : v.toCharArray()) {
          if (c == '*') {
            re.append(".*");
          } else if (c == '?') {
            re.append('.');
          } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
            re.append(c);
          } else {
            re.append('\\').append(c);
          }
        }
        terms.add(field + ".matches(" + quote(re.append('$').toString()) + ")");
      }
    }
    return "(" + String.join(" || ", terms) + ")";
  }

  /** The {@code resources} blocks of a Kyverno match/exclude ({@code any}, {@code all} or direct). */
  private static List<JsonNode> filters(JsonNode block) {
    List<JsonNode> out = new ArrayList<>();
    for (String k : List.of("any", "all")) {
      for (JsonNode f : block.path(k)) {
        if (f.has("resources")) {
          out.add(f.path("resources"));
        }
      }
    }
    if (block.has("resources")) {
      out.add(block.path("resources"));
    }
    return out;
  }

  private static @Nullable String excludedSubjects(JsonNode exclude) {
    List<String> terms = new ArrayList<>();
    for (String k : List.of("any", "all")) {
      for (JsonNode f : exclude.path(k)) {
        collectSubjects(f, terms);
      }
    }
    collectSubjects(exclude, terms);
    return terms.isEmpty() ? null : "!(" + String.join(" || ", terms) + ")";
  }

  private static void collectSubjects(JsonNode filter, List<String> terms) {
    for (JsonNode s : filter.path("subjects")) {
      String kind = s.path("kind").asString("");
      String name = s.path("name").asString("").replace("'", "\\'");
      switch (kind) {
        // request.userInfo shows no empty field (as the API server's), hence the presence tests
        case "User" -> terms.add("has(request.userInfo.username) && request.userInfo.username == '" + name + "'");
        case "Group" -> terms.add("has(request.userInfo.groups) && '" + name + "' in request.userInfo.groups");
        case "ServiceAccount" -> terms.add("has(request.userInfo.username) && request.userInfo.username == "
            + "'system:serviceaccount:" + s.path("namespace").asString("") + ":" + name + "'");
        default -> { }
      }
    }
  }

  /** Resource rules for Kyverno kinds: {@code Pod}, {@code v1/Pod}, {@code apps/v1/Deployment}, {@code *}. */
  private List<ResourceRule> kindRules(List<String> kindList, Set<Operation> ops, List<String> names) {
    List<ResourceRule> out = new ArrayList<>();
    for (String k : kindList) {
      String[] parts = k.split("/");
      String kind = parts[parts.length - 1];
      String version = parts.length >= 2 ? parts[parts.length - 2] : "*";
      List<String> groups;
      if (parts.length >= 3) {
        groups = List.of(String.join("/", Arrays.copyOf(parts, parts.length - 2)));
      } else if (parts.length == 2 && !version.matches("v[0-9]+((alpha|beta)[0-9]+)?")) {
        groups = List.of(version);
        version = "*";
      } else if (parts.length == 2) {
        groups = List.of("");
      } else {
        groups = kinds.groupsOf(kind);
        if (groups.isEmpty()) {
          groups = List.of("*");
        }
      }
      String resource = kind.equals("*") ? "*" : kinds.resourceOf(groups.get(0).equals("*") ? "" : groups.get(0), kind);
      out.add(new ResourceRule(groups, List.of(version), List.of(resource), ops, false, names, "*"));
    }
    return out;
  }
}
