package io.orchestrationplane.policy;

import io.orchestrationplane.policy.internal.Autogen;
import io.orchestrationplane.policy.internal.Yaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads policies from YAML (multi-document) into the engine's model:
 * <ul>
 *   <li>{@code admissionregistration.k8s.io} ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding;</li>
 *   <li>Kyverno {@code policies.kyverno.io} ValidatingPolicy (with a binding from its validationActions);</li>
 *   <li>Kyverno {@code kyverno.io} ClusterPolicy/Policy rules with {@code validate.cel} (one policy per rule,
 *       named {@code policy/rule});</li>
 *   <li>Gatekeeper ConstraintTemplates with the {@code K8sNativeValidation} engine and their Constraints (one
 *       policy per constraint, named {@code Kind/constraint}, with {@code variables.anyObject} and
 *       {@code variables.params}).</li>
 * </ul>
 * Other documents are ignored. Errors name the document index and field.
 *
 * <pre>{@code
 * PolicySet set = PolicyLoader.load(Files.readString(Path.of("policies.yaml")));
 * }</pre>
 */
public final class PolicyLoader {
  private final KindMapping kinds;

  private PolicyLoader(KindMapping kinds) {
    this.kinds = kinds;
  }

  /** A loader resolving Kyverno and Gatekeeper kinds with {@code kinds}. */
  public static PolicyLoader using(KindMapping kinds) {
    return new PolicyLoader(kinds);
  }

  /** Loads with the default {@link KindMapping}. */
  public static PolicySet load(String yaml) {
    return using(KindMapping.defaults()).read(yaml);
  }

  /** Reads every supported document of a YAML stream. */
  public PolicySet read(String yaml) {
    return read(Yaml.readAll(yaml));
  }

  /** Reads already-parsed documents. */
  public PolicySet read(List<JsonNode> docs) {
    List<ValidatingPolicy> policies = new ArrayList<>();
    List<PolicyBinding> bindings = new ArrayList<>();
    Map<String, JsonNode> templates = new LinkedHashMap<>();
    List<JsonNode> constraints = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      JsonNode d = docs.get(i);
      String apiVersion = d.path("apiVersion").asString("");
      String kind = d.path("kind").asString("");
      String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
      String where = "document " + i + " (" + kind + " " + d.path("metadata").path("name").asString("?") + ")";
      try {
        switch (group + "/" + kind) {
          case "admissionregistration.k8s.io/ValidatingAdmissionPolicy" -> policies.add(vap(d));
          case "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding" -> bindings.add(vapBinding(d));
          case "policies.kyverno.io/ValidatingPolicy", "policies.kyverno.io/NamespacedValidatingPolicy" -> {
            ValidatingPolicy p = kyvernoValidatingPolicy(d);
            policies.add(p);
            bindings.add(new PolicyBinding(p.name(), p.name(), null, null, actions(d.path("spec").path("validationActions"), "Deny")));
          }
          case "kyverno.io/ClusterPolicy", "kyverno.io/Policy" -> kyvernoClusterPolicy(d, policies, bindings);
          case "templates.gatekeeper.sh/ConstraintTemplate" ->
              templates.put(d.path("spec").path("crd").path("spec").path("names").path("kind").asString(), d);
          default -> {
            if (group.equals("constraints.gatekeeper.sh")) {
              constraints.add(d);
            }
          }
        }
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    for (JsonNode c : constraints) {
      String kind = c.path("kind").asString();
      JsonNode template = templates.get(kind);
      if (template == null) {
        throw new IllegalArgumentException("constraint " + kind + "/" + c.path("metadata").path("name").asString()
            + " has no ConstraintTemplate in the same input");
      }
      gatekeeper(template, c, policies, bindings);
    }
    return new PolicySet(policies, bindings);
  }

  // ---- Kubernetes ----

  private static String name(JsonNode d) {
    String n = d.path("metadata").path("name").asString("");
    if (n.isEmpty()) {
      throw new IllegalArgumentException("metadata.name is required");
    }
    return n;
  }

  private ValidatingPolicy vap(JsonNode d) {
    JsonNode spec = d.path("spec");
    ValidatingPolicy.Builder b = ValidatingPolicy.builder(name(d));
    commonSpec(spec, b);
    return b.build();
  }

  /** The fields VAPs and Kyverno ValidatingPolicies share. */
  private static void commonSpec(JsonNode spec, ValidatingPolicy.Builder b) {
    if (spec.has("paramKind")) {
      b.paramKind(new ParamKind(spec.path("paramKind").path("apiVersion").asString(""),
          spec.path("paramKind").path("kind").asString("")));
    }
    b.matchConstraints(matchResources(spec.path("matchConstraints"), "spec.matchConstraints"));
    b.matchConditions(named(spec.path("matchConditions"), "expression"));
    b.variables(named(spec.path("variables"), "expression"));
    List<Validation> vs = new ArrayList<>();
    for (JsonNode v : spec.path("validations")) {
      vs.add(validation(v));
    }
    b.validations(vs);
    b.auditAnnotations(namedKey(spec.path("auditAnnotations")));
    if (spec.has("failurePolicy")) {
      b.failurePolicy(FailurePolicy.parse(spec.path("failurePolicy").asString()));
    }
  }

  private static Validation validation(JsonNode v) {
    return new Validation(v.path("expression").asString(""), text(v, "message"), text(v, "messageExpression"),
        text(v, "reason"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }

  private static List<NamedExpression> named(JsonNode list, String exprField) {
    List<NamedExpression> out = new ArrayList<>();
    for (JsonNode n : list) {
      out.add(new NamedExpression(n.path("name").asString(""), n.path(exprField).asString("")));
    }
    return out;
  }

  private static List<NamedExpression> namedKey(JsonNode list) {
    List<NamedExpression> out = new ArrayList<>();
    for (JsonNode n : list) {
      out.add(new NamedExpression(n.path("key").asString(""), n.path("valueExpression").asString("")));
    }
    return out;
  }

  private PolicyBinding vapBinding(JsonNode d) {
    JsonNode spec = d.path("spec");
    ParamRef ref = null;
    if (spec.has("paramRef")) {
      JsonNode r = spec.path("paramRef");
      ref = new ParamRef(text(r, "name"), text(r, "namespace"),
          r.has("selector") ? selector(r.path("selector")) : null,
          !"Allow".equals(r.path("parameterNotFoundAction").asString("Deny")));
    }
    return new PolicyBinding(name(d), spec.path("policyName").asString(""), ref,
        spec.has("matchResources") ? matchResources(spec.path("matchResources"), "spec.matchResources") : null,
        actions(spec.path("validationActions"), null));
  }

  private static Set<ValidationAction> actions(JsonNode list, String fallback) {
    Set<ValidationAction> out = new LinkedHashSet<>();
    for (JsonNode a : list) {
      out.add(ValidationAction.parse(a.asString()));
    }
    if (out.isEmpty() && fallback != null) {
      out.add(ValidationAction.parse(fallback));
    }
    return out;
  }

  static MatchResources matchResources(JsonNode m, String field) {
    return new MatchResources(
        m.has("namespaceSelector") ? selector(m.path("namespaceSelector")) : null,
        m.has("objectSelector") ? selector(m.path("objectSelector")) : null,
        rules(m.path("resourceRules")), rules(m.path("excludeResourceRules")),
        text(m, "matchPolicy"));
  }

  private static List<ResourceRule> rules(JsonNode list) {
    List<ResourceRule> out = new ArrayList<>();
    for (JsonNode r : list) {
      Set<Operation> ops = new LinkedHashSet<>();
      boolean any = false;
      for (JsonNode o : r.path("operations")) {
        if (o.asString().equals("*")) {
          any = true;
        } else {
          ops.add(Operation.parse(o.asString()));
        }
      }
      out.add(new ResourceRule(strings(r.path("apiGroups"), List.of("*")), strings(r.path("apiVersions"), List.of("*")),
          strings(r.path("resources"), List.of()), ops, any, strings(r.path("resourceNames"), List.of()),
          text(r, "scope")));
    }
    return out;
  }

  private static List<String> strings(JsonNode list, List<String> whenAbsent) {
    if (!list.isArray()) {
      return whenAbsent;
    }
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.asString()));
    return out;
  }

  static LabelSelector selector(JsonNode s) {
    Map<String, String> labels = new LinkedHashMap<>();
    s.path("matchLabels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
    List<LabelSelector.Requirement> reqs = new ArrayList<>();
    for (JsonNode e : s.path("matchExpressions")) {
      reqs.add(new LabelSelector.Requirement(e.path("key").asString(), e.path("operator").asString(),
          strings(e.path("values"), List.of())));
    }
    return new LabelSelector(labels, reqs);
  }

  // ---- Kyverno ----

  private ValidatingPolicy kyvernoValidatingPolicy(JsonNode d) {
    JsonNode spec = d.path("spec");
    ValidatingPolicy.Builder b = ValidatingPolicy.builder(name(d));
    commonSpec(spec, b);
    JsonNode controllers = spec.path("autogen").path("podControllers").path("controllers");
    if (controllers.isArray()) {
      b.autogenControllers(Set.copyOf(strings(controllers, List.of())));
    }
    return b.build();
  }

  private void kyvernoClusterPolicy(JsonNode d, List<ValidatingPolicy> policies, List<PolicyBinding> bindings) {
    String policyName = name(d);
    JsonNode spec = d.path("spec");
    Set<String> autogen = null;
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
    JsonNode rules = spec.path("rules");
    for (int i = 0; i < rules.size(); i++) {
      JsonNode rule = rules.get(i);
      JsonNode cel = rule.path("validate").path("cel");
      if (cel.isMissingNode()) {
        continue;
      }
      String name = policyName + "/" + rule.path("name").asString("rule-" + i);
      ValidatingPolicy.Builder b = ValidatingPolicy.builder(name).autogenControllers(autogen);
      if (spec.has("failurePolicy")) {
        b.failurePolicy(FailurePolicy.parse(spec.path("failurePolicy").asString()));
      }
      KyvernoMatch match = kyvernoMatch(rule.path("match"), rule.path("exclude"), d.path("kind").asString()
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
      List<Validation> vs = new ArrayList<>();
      for (JsonNode v : cel.path("expressions")) {
        vs.add(validation(v));
      }
      b.validations(vs);
      b.auditAnnotations(namedKey(cel.path("auditAnnotations")));
      ParamRef ref = null;
      if (cel.has("paramKind")) {
        b.paramKind(new ParamKind(cel.path("paramKind").path("apiVersion").asString(""),
            cel.path("paramKind").path("kind").asString("")));
        JsonNode r = cel.path("paramRef");
        ref = new ParamRef(text(r, "name"), text(r, "namespace"), r.has("selector") ? selector(r.path("selector")) : null,
            !"Allow".equals(r.path("parameterNotFoundAction").asString("Deny")));
      }
      policies.add(b.build());
      String action = rule.path("validate").path("failureAction").asString(defaultAction);
      bindings.add(new PolicyBinding(name, name, ref, null,
          Set.of(action.equalsIgnoreCase("Enforce") ? ValidationAction.DENY : ValidationAction.AUDIT)));
    }
  }

  /** A Kyverno match/exclude in engine form: match resources plus conditions for what selectors cannot say. */
  private record KyvernoMatch(MatchResources match, List<NamedExpression> conditions) {}

  private KyvernoMatch kyvernoMatch(JsonNode match, JsonNode exclude, String policyNamespace) {
    List<ResourceRule> rules = new ArrayList<>();
    List<LabelSelector.Requirement> nsReqs = new ArrayList<>();
    List<NamedExpression> conditions = new ArrayList<>();
    LabelSelector objectSelector = null;
    LabelSelector namespaceSelector = null;
    for (JsonNode res : filters(match)) {
      Set<Operation> ops = new LinkedHashSet<>();
      for (JsonNode o : res.path("operations")) {
        ops.add(Operation.parse(o.asString()));
      }
      if (ops.isEmpty()) {
        ops.add(Operation.CREATE);
        ops.add(Operation.UPDATE);
      }
      List<String> names = strings(res.path("names"), List.of());
      if (hasWildcard(names)) {
        conditions.add(new NamedExpression("kyverno-match-names", anyOf("request.name", names)));
        names = List.of();
      }
      rules.addAll(kindRules(strings(res.path("kinds"), List.of()), ops, names));
      List<String> namespaces = strings(res.path("namespaces"), List.of());
      if (hasWildcard(namespaces)) {
        conditions.add(new NamedExpression("kyverno-match-namespaces", anyOf("request.namespace", namespaces)));
      } else if (!namespaces.isEmpty()) {
        nsReqs.add(new LabelSelector.Requirement("kubernetes.io/metadata.name", "In", namespaces));
      }
      if (res.has("selector")) {
        objectSelector = selector(res.path("selector"));
      }
      if (res.has("namespaceSelector")) {
        namespaceSelector = selector(res.path("namespaceSelector"));
      }
    }
    if (policyNamespace != null) {
      nsReqs.add(new LabelSelector.Requirement("kubernetes.io/metadata.name", "In", List.of(policyNamespace)));
    }
    List<ResourceRule> excludes = new ArrayList<>();
    int excludeIndex = 0;
    for (JsonNode res : filters(exclude)) {
      List<String> kindsList = strings(res.path("kinds"), List.of());
      List<String> names = strings(res.path("names"), List.of());
      List<String> namespaces = strings(res.path("namespaces"), List.of());
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

  private static String excludedSubjects(JsonNode exclude) {
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
        case "User" -> terms.add("request.userInfo.username == '" + name + "'");
        case "Group" -> terms.add("'" + name + "' in request.userInfo.groups");
        case "ServiceAccount" -> terms.add("request.userInfo.username == 'system:serviceaccount:"
            + s.path("namespace").asString("") + ":" + name + "'");
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
        groups = List.of(String.join("/", java.util.Arrays.copyOf(parts, parts.length - 2)));
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

  // ---- Gatekeeper ----

  private void gatekeeper(JsonNode template, JsonNode constraint, List<ValidatingPolicy> policies,
      List<PolicyBinding> bindings) {
    String kind = constraint.path("kind").asString();
    String name = kind + "/" + name(constraint);
    JsonNode source = null;
    for (JsonNode target : template.path("spec").path("targets")) {
      for (JsonNode code : target.path("code")) {
        if (code.path("engine").asString("").equals("K8sNativeValidation")) {
          source = code.path("source");
        }
      }
    }
    if (source == null) {
      throw new IllegalArgumentException("ConstraintTemplate " + kind + " has no K8sNativeValidation code");
    }
    JsonNode cspec = constraint.path("spec");
    ValidatingPolicy.Builder b = ValidatingPolicy.builder(name);
    List<NamedExpression> vars = new ArrayList<>();
    vars.add(new NamedExpression("anyObject", "object != null ? object : oldObject"));
    vars.add(new NamedExpression("params", celLiteral(cspec.path("parameters"))));
    vars.addAll(named(source.path("variables"), "expression"));
    b.variables(vars);
    b.matchConditions(named(source.path("matchConditions"), "expression"));
    List<Validation> vs = new ArrayList<>();
    for (JsonNode v : source.path("validations")) {
      vs.add(validation(v));
    }
    b.validations(vs);
    if (source.has("failurePolicy")) {
      b.failurePolicy(FailurePolicy.parse(source.path("failurePolicy").asString()));
    }
    JsonNode match = cspec.path("match");
    List<ResourceRule> rules = new ArrayList<>();
    Set<Operation> ops = Set.of(Operation.CREATE, Operation.UPDATE);
    for (JsonNode k : match.path("kinds")) {
      List<String> groups = strings(k.path("apiGroups"), List.of("*"));
      for (JsonNode kn : k.path("kinds")) {
        String kindName = kn.asString();
        String resource = kindName.equals("*") ? "*" : kinds.resourceOf(groups.get(0).equals("*") ? "" : groups.get(0), kindName);
        rules.add(new ResourceRule(groups, List.of("*"), List.of(resource), ops, false, List.of(), match.path("scope").asString("*")));
      }
    }
    if (rules.isEmpty()) {
      rules.add(new ResourceRule(List.of("*"), List.of("*"), List.of("*"), ops, false, List.of(), "*"));
    }
    List<LabelSelector.Requirement> nsReqs = new ArrayList<>();
    List<String> namespaces = strings(match.path("namespaces"), List.of());
    if (!namespaces.isEmpty()) {
      nsReqs.add(new LabelSelector.Requirement("kubernetes.io/metadata.name", "In", namespaces));
    }
    List<String> excluded = strings(match.path("excludedNamespaces"), List.of());
    if (!excluded.isEmpty()) {
      nsReqs.add(new LabelSelector.Requirement("kubernetes.io/metadata.name", "NotIn", excluded));
    }
    LabelSelector nsSel = match.has("namespaceSelector") ? selector(match.path("namespaceSelector")) : LabelSelector.EVERYTHING;
    if (!nsReqs.isEmpty()) {
      List<LabelSelector.Requirement> all = new ArrayList<>(nsSel.matchExpressions());
      all.addAll(nsReqs);
      nsSel = new LabelSelector(nsSel.matchLabels(), all);
    }
    b.matchConstraints(new MatchResources(nsSel,
        match.has("labelSelector") ? selector(match.path("labelSelector")) : null, rules, List.of(), null));
    policies.add(b.build());
    String action = cspec.path("enforcementAction").asString("deny");
    ValidationAction a = switch (action.toLowerCase()) {
      case "warn" -> ValidationAction.WARN;
      case "dryrun" -> ValidationAction.AUDIT;
      default -> ValidationAction.DENY;
    };
    bindings.add(new PolicyBinding(name, name, null, null, Set.of(a)));
  }

  /** A JSON value written as a CEL literal (for Gatekeeper constraint parameters). */
  static String celLiteral(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return "{}";
    }
    if (n.isObject()) {
      List<String> entries = new ArrayList<>();
      n.properties().forEach(e -> entries.add(quote(e.getKey()) + ": " + valueLiteral(e.getValue())));
      return "{" + String.join(", ", entries) + "}";
    }
    return valueLiteral(n);
  }

  private static String valueLiteral(JsonNode n) {
    if (n.isObject()) {
      return celLiteral(n);
    }
    if (n.isArray()) {
      List<String> items = new ArrayList<>();
      n.forEach(x -> items.add(valueLiteral(x)));
      return "[" + String.join(", ", items) + "]";
    }
    if (n.isString()) {
      return quote(n.asString());
    }
    if (n.isIntegralNumber()) {
      return Long.toString(n.longValue());
    }
    if (n.isNumber()) {
      return Double.toString(n.doubleValue());
    }
    if (n.isBoolean()) {
      return Boolean.toString(n.booleanValue());
    }
    return "null";
  }

  private static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
