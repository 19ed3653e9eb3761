package io.orchestrationplane.policy.internal;

import static io.orchestrationplane.policy.internal.ImportSupport.list;
import static io.orchestrationplane.policy.internal.ImportSupport.name;
import static io.orchestrationplane.policy.internal.ImportSupport.named;
import static io.orchestrationplane.policy.internal.ImportSupport.selector;
import static io.orchestrationplane.policy.internal.ImportSupport.strings;
import static io.orchestrationplane.policy.internal.ImportSupport.validations;

import io.orchestrationplane.policy.ConstraintMatch;
import io.orchestrationplane.policy.FailurePolicy;
import io.orchestrationplane.policy.GatekeeperConstraint;
import io.orchestrationplane.policy.MatchResources;
import io.orchestrationplane.policy.NamedExpression;
import io.orchestrationplane.policy.Operation;
import io.orchestrationplane.policy.ParamKind;
import io.orchestrationplane.policy.PolicyBinding;
import io.orchestrationplane.policy.ResourceRule;
import io.orchestrationplane.policy.ValidatingPolicy;
import io.orchestrationplane.policy.ValidationAction;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Gatekeeper ConstraintTemplates with the {@code K8sNativeValidation} engine and their Constraints, with
 * Gatekeeper's semantics. A template becomes one {@link ValidatingPolicy} named after its constraint kind,
 * compiled once; each constraint becomes a {@link PolicyBinding} carrying the constraint (its params and its
 * match). The template's variables come after Gatekeeper's own {@code anyObject} (the object, or oldObject on
 * DELETE) and {@code params} ({@code spec.parameters} of the constraint, null when absent).
 */
public final class GatekeeperImport {
  /** The admission target of Gatekeeper templates. */
  static final String TARGET = "admission.k8s.gatekeeper.sh";
  static final String ENGINE = "K8sNativeValidation";
  static final String RESERVED_PREFIX = "gatekeeper_internal_";
  static final String ANY_OBJECT =
      "has(request.operation) && request.operation == \"DELETE\" && object == null ? oldObject : object";
  static final String PARAMS = "!has(params.spec) ? null : !has(params.spec.parameters) ? null : params.spec.parameters";

  private final String enforcementPoint;
  private final Set<Operation> operations;
  /** Template kind → the policy, or the reason it was skipped. */
  private final Map<String, Object> templates = new LinkedHashMap<>();
  private final Map<String, JsonNode> schemas = new LinkedHashMap<>();
  private final List<Doc> constraints = new ArrayList<>();

  public GatekeeperImport(String enforcementPoint, Set<Operation> operations) {
    this.enforcementPoint = enforcementPoint;
    this.operations = operations;
  }

  /** Reads a ConstraintTemplate now; constraints are kept until {@link #finish}, so order in the input is free. */
  public void read(Doc doc, Loaded out) {
    if (doc.group().equals("templates.gatekeeper.sh")) {
      if (!doc.kind().equals("ConstraintTemplate")) {
        out.skip(doc.skipped("", "unknown Gatekeeper template kind " + doc.kind()));
        return;
      }
      template(doc, out);
    } else {
      constraints.add(doc);
    }
  }

  private void template(Doc doc, Loaded out) {
    JsonNode spec = doc.node().path("spec");
    String kind = spec.path("crd").path("spec").path("names").path("kind").asString("");
    if (kind.isEmpty()) {
      throw new IllegalArgumentException("spec.crd.spec.names.kind is required");
    }
    if (templates.containsKey(kind)) {
      throw new IllegalArgumentException("a second ConstraintTemplate for kind " + kind);
    }
    JsonNode targets = spec.path("targets");
    if (targets.size() != 1) {
      String reason = "a ConstraintTemplate must have exactly one target, found " + targets.size();
      templates.put(kind, reason);
      out.skip(doc.skipped("", reason));
      return;
    }
    JsonNode target = targets.get(0);
    JsonNode source = null;
    List<String> engines = new ArrayList<>();
    if (target.has("rego")) {
      engines.add("Rego");
    }
    for (JsonNode code : target.path("code")) {
      String engine = code.path("engine").asString("");
      engines.add(engine);
      if (engine.equals(ENGINE) && source == null) {
        source = code.path("source");
      }
    }
    if (source == null) {
      String reason = "no " + ENGINE + " (CEL) code; engines present: " + (engines.isEmpty() ? "none" : engines)
          + ". Only CEL templates run in this engine; its constraints are skipped too";
      templates.put(kind, reason);
      out.skip(doc.skipped("", reason));
      return;
    }
    schemas.put(kind, spec.path("crd").path("spec").path("validation").path("openAPIV3Schema"));
    templates.put(kind, policy(kind, source));
    out.policies.add((ValidatingPolicy) templates.get(kind));
  }

  private ValidatingPolicy policy(String kind, JsonNode source) {
    String where = "spec.targets[0].code[" + ENGINE + "].source";
    List<NamedExpression> userVariables = named(source.path("variables"), "expression");
    for (NamedExpression v : userVariables) {
      if (v.name().startsWith(RESERVED_PREFIX) || v.name().equals("params") || v.name().equals("anyObject")) {
        throw new IllegalArgumentException(where + ".variables: '" + v.name() + "' is reserved by Gatekeeper"
            + " (params, anyObject and names starting with " + RESERVED_PREFIX + ")");
      }
    }
    // Gatekeeper's field is matchCondition; matchConditions (the VAP spelling) is read as well.
    List<NamedExpression> conditions = new ArrayList<>(named(source.path("matchCondition"), "expression"));
    conditions.addAll(named(source.path("matchConditions"), "expression"));
    for (NamedExpression c : conditions) {
      if (c.name().startsWith(RESERVED_PREFIX)) {
        throw new IllegalArgumentException(where + ".matchCondition '" + c.name() + "': the prefix "
            + RESERVED_PREFIX + " is reserved by Gatekeeper");
      }
    }
    List<NamedExpression> variables = new ArrayList<>();
    variables.add(new NamedExpression("anyObject", ANY_OBJECT));
    variables.add(new NamedExpression("params", PARAMS));
    variables.addAll(userVariables);
    ValidatingPolicy.Builder b = ValidatingPolicy.builder(kind)
        .paramKind(new ParamKind("constraints.gatekeeper.sh/v1beta1", kind))
        .matchConstraints(MatchResources.of(new ResourceRule(List.of("*"), List.of("*"), List.of("*", "*/*"),
            operations, false, List.of(), "*")))
        .variables(variables)
        .matchConditions(conditions)
        .validations(validations(source.path("validations")))
        .autogenControllers(Set.of());
    String fp = source.path("failurePolicy").asString("Fail");
    if (!fp.equals("Fail") && !fp.equals("Ignore")) {
      throw new IllegalArgumentException(where + ".failurePolicy: unrecognized failure policy '" + fp
          + "' (expected Fail or Ignore)");
    }
    b.failurePolicy(FailurePolicy.parse(fp));
    return b.build();
  }

  /** Turns every constraint read into a binding of its template, or a skip record saying why not. */
  public void finish(Loaded out) {
    for (Doc doc : constraints) {
      try {
        constraint(doc, out);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(doc + ": " + e.getMessage(), e);
      }
    }
    constraints.clear();
  }

  private void constraint(Doc doc, Loaded out) {
    JsonNode c = doc.node();
    String kind = doc.kind();
    String name = name(c);
    Object template = templates.get(kind);
    if (template == null) {
      out.skip(doc.skipped("", "no ConstraintTemplate for kind " + kind + " in this input"));
      return;
    }
    if (template instanceof String reason) {
      out.skip(doc.skipped("", "its ConstraintTemplate " + kind + " was skipped: " + reason));
      return;
    }
    JsonNode spec = c.path("spec");
    String schemaProblem = OpenApiCheck.problem(schemas.get(kind), spec.path("parameters"), "spec.parameters");
    if (schemaProblem != null) {
      throw new IllegalArgumentException("invalid constraint: " + schemaProblem);
    }
    Set<ValidationAction> actions = actions(spec);
    if (actions.isEmpty()) {
      out.skip(doc.skipped("spec.scopedEnforcementActions", "not enforced at enforcement point " + enforcementPoint
          + " (enforcementAction scoped names other points)"));
      return;
    }
    JsonNode match = spec.path("match");
    String source = match.path("source").asString("");
    if (source.equals("Generated")) {
      out.skip(doc.skipped("spec.match.source", "applies only to resources generated by ExpansionTemplates,"
          + " which this engine does not expand"));
      return;
    }
    if (!source.isEmpty() && !source.equals("Original") && !source.equals("All")) {
      throw new IllegalArgumentException("spec.match.source: '" + source + "' (expected Original, Generated or All)");
    }
    ConstraintMatch cm = match(match);
    out.bindings.add(new PolicyBinding(kind + "/" + name, kind, null, null, actions,
        new GatekeeperConstraint(kind, name, c, cm)));
  }

  private static ConstraintMatch match(JsonNode m) {
    List<ConstraintMatch.GroupKinds> kinds = new ArrayList<>();
    JsonNode kindList = list(m.path("kinds"), "spec.match.kinds");
    for (int i = 0; i < kindList.size(); i++) {
      JsonNode k = kindList.get(i);
      String at = "spec.match.kinds[" + i + "]";
      kinds.add(new ConstraintMatch.GroupKinds(strings(k.path("apiGroups"), at + ".apiGroups", List.of()),
          strings(k.path("kinds"), at + ".kinds", List.of())));
    }
    String scope = m.path("scope").asString("*");
    return new ConstraintMatch(kinds, scope, strings(m.path("namespaces"), "spec.match.namespaces", List.of()),
        strings(m.path("excludedNamespaces"), "spec.match.excludedNamespaces", List.of()),
        m.has("labelSelector") && !m.path("labelSelector").isNull()
            ? selector(m.path("labelSelector"), "spec.match.labelSelector") : null,
        m.has("namespaceSelector") && !m.path("namespaceSelector").isNull()
            ? selector(m.path("namespaceSelector"), "spec.match.namespaceSelector") : null,
        m.path("name").asString(""));
  }

  /**
   * The actions at this loader's enforcement point: {@code deny}, {@code warn}, {@code dryrun} (audit only), or
   * for {@code scoped} those of {@code scopedEnforcementActions} naming this point (or {@code *}). Deny wins over
   * warn at the same point, as Gatekeeper's webhook rejects then.
   */
  private Set<ValidationAction> actions(JsonNode spec) {
    String action = spec.path("enforcementAction").asString("deny");
    List<String> names = new ArrayList<>();
    if (action.isEmpty()) {
      action = "deny";
    }
    if (action.equalsIgnoreCase("scoped")) {
      JsonNode scoped = list(spec.path("scopedEnforcementActions"), "spec.scopedEnforcementActions");
      for (int i = 0; i < scoped.size(); i++) {
        JsonNode s = scoped.get(i);
        for (JsonNode p : s.path("enforcementPoints")) {
          String point = p.path("name").asString("");
          if (point.equals(enforcementPoint) || point.equals("*")) {
            names.add(s.path("action").asString(""));
          }
        }
      }
    } else {
      names.add(action);
    }
    Set<ValidationAction> out = EnumSet.noneOf(ValidationAction.class);
    for (String n : names) {
      switch (n.toLowerCase(Locale.ROOT)) {
        case "deny" -> out.add(ValidationAction.DENY);
        case "warn" -> out.add(ValidationAction.WARN);
        case "dryrun" -> out.add(ValidationAction.AUDIT);
        default -> throw new IllegalArgumentException("spec.enforcementAction: unknown action '" + n
            + "' (expected deny, dryrun, warn or scoped)");
      }
    }
    if (out.contains(ValidationAction.DENY)) {
      out.remove(ValidationAction.WARN);
    }
    return new LinkedHashSet<>(out);
  }
}
