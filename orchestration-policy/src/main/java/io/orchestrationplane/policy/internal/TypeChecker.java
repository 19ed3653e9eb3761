package io.orchestrationplane.policy.internal;

import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import io.orchestrationplane.policy.CelEnvironment;
import io.orchestrationplane.policy.ExpressionWarning;
import io.orchestrationplane.policy.KindMapping;
import io.orchestrationplane.policy.NamedExpression;
import io.orchestrationplane.policy.ResourceRule;
import io.orchestrationplane.policy.TypeChecking;
import io.orchestrationplane.policy.ValidatingPolicy;
import io.orchestrationplane.policy.Validation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Type-checks policies as the API server's ValidatingAdmissionPolicy type checker does
 * ({@code admission/plugin/policy/validating/typechecking.go}): for each kind the policy's {@code matchConstraints}
 * name explicitly (group, version and resource without wildcards; at most 10, sorted), its variables and then each
 * validation's {@code expression} and {@code messageExpression} are compiled with {@code object} and
 * {@code oldObject} typed by that kind's schema, {@code params} by the param kind's schema (undeclared when it has
 * none), {@code request} and {@code namespaceObject} typed, and {@code variables} typed by what each variable
 * evaluates to. Problems become {@link ExpressionWarning}s; nothing here runs at evaluation time. Policies in
 * {@link CelEnvironment#KYVERNO} are not checked (Kyverno reports no type checking).
 */
public final class TypeChecker {
  private static final int MAX_TYPES = 10;

  private final KubeCel.Environment environment;
  private final KindMapping kinds;
  private final BuiltInSchemas.Sources sources;
  private final boolean orValueQuirk;
  private final int comprehensionLimit;
  /** Typed environments by kind and param kind, shared by the policies of one engine build. */
  private final Map<String, Typed> environments = new LinkedHashMap<>();
  private @Nullable SchemaTypes types;
  /** Every variable name of every policy: the field names of the shared {@code variables} types. */
  private final java.util.Set<String> variableNames = new java.util.TreeSet<>();

  /**
   * A typed environment and the variables of the policy being checked: its {@code variables} type resolves fields
   * through {@link #variables}, refilled for each policy, so that one environment serves every policy.
   */
  private record Typed(CelEnv env, Map<String, CelType> variables) {}

  public TypeChecker(KubeCel.Environment environment, KindMapping kinds, BuiltInSchemas.Sources sources,
      boolean orValueQuirk, int comprehensionLimit) {
    this.environment = environment;
    this.kinds = kinds;
    this.sources = sources;
    this.orValueQuirk = orValueQuirk;
    this.comprehensionLimit = comprehensionLimit;
  }

  private record Gvk(String group, String version, String kind) {
    @Override public String toString() {
      return group + "/" + version + ", Kind=" + kind;
    }
  }

  /** Type checking of every policy, by name. */
  public Map<String, TypeChecking> check(List<ValidatingPolicy> policies) {
    Map<String, TypeChecking> out = new LinkedHashMap<>();
    if (!sources.builtIn() && sources.custom().isEmpty()) {
      policies.forEach(p -> out.put(p.name(), new TypeChecking(List.of(), List.of())));
      return out;
    }
    JsonNode document = sources.builtIn() ? BuiltInSchemas.document() : JsonNodeFactory.instance.objectNode();
    types = new SchemaTypes(document.path("definitions"));
    policies.forEach(p -> p.variables().forEach(v -> variableNames.add(v.name())));
    for (ValidatingPolicy p : policies) {
      // Kyverno type-checks nothing against schemas; its policies compile in their own environment.
      out.put(p.name(), p.environment() == CelEnvironment.KYVERNO ? new TypeChecking(List.of(), List.of())
          : check(p, document));
    }
    return out;
  }

  private TypeChecking check(ValidatingPolicy p, JsonNode document) {
    List<Gvk> gvks = typesToCheck(p, document);
    if (gvks.isEmpty()) {
      return new TypeChecking(List.of(), List.of());
    }
    List<List<String>> results = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    for (int i = 0; i < p.validations().size(); i++) {
      Validation v = p.validations().get(i);
      fields.add("spec.validations[" + i + "].expression");
      if (v.messageExpression() != null && !v.messageExpression().isEmpty()) {
        fields.add("spec.validations[" + i + "].messageExpression");
      }
      results.add(new ArrayList<>());
      results.add(new ArrayList<>());
    }
    for (Gvk gvk : gvks) {
      CelEnv env = environment(p, gvk, document);
      int slot = 0;
      for (Validation v : p.validations()) {
        issues(env, v.expression()).ifPresent(addTo(results.get(slot), gvk));
        if (v.messageExpression() != null && !v.messageExpression().isEmpty()) {
          issues(env, v.messageExpression()).ifPresent(addTo(results.get(slot + 1), gvk));
        }
        slot += 2;
      }
    }
    List<ExpressionWarning> warnings = new ArrayList<>();
    int field = 0;
    for (int i = 0; i < p.validations().size(); i++) {
      List<String> expression = results.get(2 * i);
      if (!expression.isEmpty()) {
        warnings.add(new ExpressionWarning(fields.get(field), String.join("\n", expression)));
      }
      field++;
      Validation v = p.validations().get(i);
      if (v.messageExpression() != null && !v.messageExpression().isEmpty()) {
        List<String> message = results.get(2 * i + 1);
        if (!message.isEmpty()) {
          warnings.add(new ExpressionWarning(fields.get(field), String.join("\n", message)));
        }
        field++;
      }
    }
    return new TypeChecking(gvks.stream().map(Gvk::toString).toList(), warnings);
  }

  private static java.util.function.Consumer<String> addTo(List<String> list, Gvk gvk) {
    return issues -> list.add(gvk + ": " + issues + "\n");
  }

  private static java.util.Optional<String> issues(CelEnv env, String expression) {
    CelValidationResult result = env.cel().compile(expression);
    if (!result.hasError()) {
      try {
        result = env.validator().validate(result.getAst());
      } catch (Exception e) {
        return java.util.Optional.of(String.valueOf(e.getMessage()));
      }
    }
    if (!result.hasError()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(result.getIssueString().replaceAll(" \\(candidates: [^\\n]*\\)", ""));
  }

  /** The typed environment for one policy and kind, with the policy's variables compiled in order. */
  private CelEnv environment(ValidatingPolicy p, Gvk gvk, JsonNode document) {
    String key = gvk + "|" + (p.paramKind() == null ? "" : p.paramKind().apiVersion() + "/" + p.paramKind().kind());
    Typed typed = environments.get(key);
    if (typed == null) {
      typed = newEnvironment(p, gvk, document);
      environments.put(key, typed);
    }
    Map<String, CelType> variableTypes = typed.variables();
    variableTypes.clear();
    for (NamedExpression v : p.variables()) {
      CelValidationResult r = typed.env().cel().compile(v.expression());
      CelType t = SimpleType.DYN;
      if (!r.hasError()) {
        try {
          t = r.getAst().getResultType();
        } catch (Exception e) {
          t = SimpleType.DYN;
        }
      }
      variableTypes.put(v.name(), t);
    }
    return typed.env();
  }

  private Typed newEnvironment(ValidatingPolicy p, Gvk gvk, JsonNode document) {
    Map<String, CelType> vars = new LinkedHashMap<>();
    CelType object = schema(gvk, document);
    vars.put("object", object);
    vars.put("oldObject", object);
    vars.put("request", requestType());
    JsonNode namespace = document.path("kinds").path("/v1/Namespace");
    vars.put("namespaceObject", namespace.isMissingNode() ? SimpleType.DYN : types.definition(namespace.asString()));
    vars.put("authorizer", KubeLibrary.AUTHORIZER);
    if (p.paramKind() != null) {
      String apiVersion = p.paramKind().apiVersion();
      int slash = apiVersion.indexOf('/');
      Gvk paramGvk = new Gvk(slash < 0 ? "" : apiVersion.substring(0, slash),
          slash < 0 ? apiVersion : apiVersion.substring(slash + 1), p.paramKind().kind());
      CelType params = hasSchema(paramGvk, document) ? schema(paramGvk, document) : null;
      if (params != null) {
        vars.put("params", params);
      }
    }
    Map<String, CelType> variableTypes = new LinkedHashMap<>();
    vars.put("variables", types.declare("kubernetes.variables." + environments.size(), variableNames, variableTypes));
    return new Typed(CelEnv.typed(environment, vars.keySet(), vars, types, orValueQuirk, comprehensionLimit),
        variableTypes);
  }

  private CelType requestType() {
    CelType string = SimpleType.STRING;
    if (types.findType("kubernetes.AdmissionRequest").isPresent()) {
      return types.findType("kubernetes.AdmissionRequest").get();
    }
    CelType gvk = types.declare("kubernetes.GroupVersionKind", Map.of("group", string, "version", string,
        "kind", string));
    CelType gvr = types.declare("kubernetes.GroupVersionResource", Map.of("group", string, "version", string,
        "resource", string));
    CelType user = types.declare("kubernetes.UserInfo", Map.of("username", string, "uid", string,
        "groups", ListType.create(string), "extra", MapType.create(string, ListType.create(string))));
    Map<String, CelType> fields = new LinkedHashMap<>();
    fields.put("kind", gvk);
    fields.put("resource", gvr);
    fields.put("subResource", string);
    fields.put("requestKind", gvk);
    fields.put("requestResource", gvr);
    fields.put("requestSubResource", string);
    fields.put("name", string);
    fields.put("namespace", string);
    fields.put("operation", string);
    fields.put("userInfo", user);
    fields.put("dryRun", SimpleType.BOOL);
    fields.put("options", SimpleType.DYN);
    return types.declare("kubernetes.AdmissionRequest", fields);
  }

  private boolean hasSchema(Gvk gvk, JsonNode document) {
    String key = gvk.group() + "/" + gvk.version() + "/" + gvk.kind();
    return sources.custom().containsKey(key) || document.path("kinds").has(key);
  }

  /** The kind's root type; a custom kind's root always has apiVersion, kind and metadata, as the API server serves it. */
  private @Nullable CelType schema(Gvk gvk, JsonNode document) {
    String key = gvk.group() + "/" + gvk.version() + "/" + gvk.kind();
    JsonNode custom = sources.custom().get(key);
    if (custom != null) {
      ObjectNode root = (ObjectNode) custom.deepCopy();
      ObjectNode props = root.has("properties") && root.path("properties").isObject()
          ? (ObjectNode) root.get("properties") : root.putObject("properties");
      props.putObject("apiVersion").put("type", "string");
      props.putObject("kind").put("type", "string");
      JsonNode meta = props.path("metadata");
      if (!meta.path("properties").isObject() || meta.path("properties").isEmpty()) {
        props.putObject("metadata").put("$ref", "V1ObjectMeta");
      }
      root.put("type", "object");
      return types.typeOf(root, key);
    }
    return types.definition(document.path("kinds").path(key).asString());
  }

  private List<Gvk> typesToCheck(ValidatingPolicy p, JsonNode document) {
    TreeSet<Gvk> gvks = new TreeSet<>(Comparator.comparing(Gvk::group).thenComparing(Gvk::version)
        .thenComparing(Gvk::kind));
    for (ResourceRule rule : p.matchConstraints().resourceRules()) {
      if (rule.apiGroups().stream().anyMatch(g -> g.contains("*"))
          || rule.apiVersions().stream().anyMatch(v -> v.contains("*"))) {
        continue;
      }
      for (String group : rule.apiGroups().stream().sorted().toList()) {
        for (String version : rule.apiVersions().stream().sorted().toList()) {
          for (String resource : rule.resources().stream().filter(r -> !r.contains("*") && !r.contains("/"))
              .sorted().toList()) {
            String kind = customKind(group, version, resource);
            if (kind == null) {
              kind = kinds.kindOf(group, resource);
            }
            if (kind == null) {
              continue;
            }
            Gvk gvk = new Gvk(group, version, kind);
            if (hasSchema(gvk, document)) {
              gvks.add(gvk);
              if (gvks.size() == MAX_TYPES) {
                return List.copyOf(gvks);
              }
            }
          }
        }
      }
    }
    return List.copyOf(gvks);
  }

  private @Nullable String customKind(String group, String version, String resource) {
    for (Map.Entry<String, String> e : sources.customPlurals().entrySet()) {
      String[] gvk = e.getKey().split("/", 3);
      if (gvk[0].equals(group) && gvk[1].equals(version) && e.getValue().equals(resource)) {
        return gvk[2];
      }
    }
    return null;
  }
}
