package io.orchestrationplane.policy.internal;

import dev.cel.bundle.Cel;
import dev.cel.common.values.NullValue;
import io.orchestrationplane.policy.AdmissionRequest;
import io.orchestrationplane.policy.CelEnvironment;
import io.orchestrationplane.policy.CelExtension;
import io.orchestrationplane.policy.Decision;
import io.orchestrationplane.policy.EvaluationError;
import io.orchestrationplane.policy.FailurePolicy;
import io.orchestrationplane.policy.KindMapping;
import io.orchestrationplane.policy.LabelSelector;
import io.orchestrationplane.policy.MatchResources;
import io.orchestrationplane.policy.PolicyBinding;
import io.orchestrationplane.policy.PolicyCompileException;
import io.orchestrationplane.policy.PolicyEvaluationException;
import io.orchestrationplane.policy.ResourceRule;
import io.orchestrationplane.policy.UserInfo;
import io.orchestrationplane.policy.ValidatingPolicy;
import io.orchestrationplane.policy.ValidationAction;
import io.orchestrationplane.policy.Violation;
import io.orchestrationplane.policy.spi.Authorizer;
import io.orchestrationplane.policy.spi.ParamResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** The engine's immutable, thread-safe core: compiled policies, bindings and the evaluation algorithm. */
public final class Evaluator {
  private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);
  static final List<String> VARIABLES = List.of("object", "oldObject", "request", "params", "namespaceObject",
      "variables", "authorizer");

  /** Engine settings. */
  public record Settings(Authorizer authorizer, ParamResolver params, KindMapping kinds, long costBudget,
      int comprehensionLimit, boolean orValueQuirk, boolean autogen, Set<String> autogenControllers,
      KubeCel.Environment environment, long perExpressionCostLimit) {}

  /**
   * A binding of one compiled policy (variant). For a Gatekeeper constraint, {@code constraintParams} is the
   * constraint converted to CEL once here (or {@code paramsError} says why it cannot be).
   */
  private record Bound(PolicyBinding binding, CompiledPolicy policy, @Nullable MatchResources bindingMatch,
      @Nullable Object constraintParams, @Nullable String paramsError) {}

  private final Settings settings;
  private final List<Bound> bound = new ArrayList<>();
  /**
   * Per bound binding, the kinds (Gatekeeper constraints) and resources (the policy's resource rules) it can
   * match, or null for any: the index that lets a request skip every binding that cannot match it.
   */
  private final List<Set<String>> kindFilters = new ArrayList<>();
  private final List<Set<String>> resourceFilters = new ArrayList<>();
  /** kind + NUL + resource → the indexes of {@link #bound} a request of that kind and resource may match. */
  private final Map<String, int[]> candidates = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_INDEXED_KEYS = 4096;
  /** Kubernetes' {@code MaxEvaluatedMessageExpressionSizeBytes}: a longer messageExpression result is not used. */
  private static final int MAX_MESSAGE_EXPRESSION_BYTES = 5 * 1024;
  /** The Kubernetes environment of {@link Settings#environment()}: where VAP-style policies compile. */
  private final CelEnv cel;
  /**
   * The other environments (Kyverno's, the mutation environments), built on first need, which is only during
   * construction (of this and of the engine's {@link Mutator}); see {@link #environment}.
   */
  private final Map<String, CelEnv> environments = new java.util.concurrent.ConcurrentHashMap<>();

  public Evaluator(List<ValidatingPolicy> policies, List<PolicyBinding> bindings, Settings settings) {
    this.settings = settings;
    this.cel = CelEnv.of(settings.environment(), VARIABLES, Map.of(), settings.orValueQuirk(),
        settings.comprehensionLimit());
    List<PolicyCompileException.Problem> problems = new ArrayList<>();
    Map<String, List<CompiledPolicy>> byName = new LinkedHashMap<>();
    for (ValidatingPolicy p : policies) {
      if (byName.containsKey(p.name())) {
        throw new IllegalArgumentException("two policies are named '" + p.name() + "'");
      }
      List<CompiledPolicy> variants = new ArrayList<>();
      CelEnv env = environment(p.environment(), false);
      variants.add(new CompiledPolicy(env, p, null, problems));
      if (settings.autogen() && Autogen.appliesTo(p)) {
        Set<String> kinds = p.autogenControllers() != null ? p.autogenControllers() : settings.autogenControllers();
        for (String kind : Autogen.CONTROLLERS.keySet().stream().sorted().toList()) {
          if (kinds.contains(kind)) {
            variants.add(new CompiledPolicy(env, Autogen.rewrite(p, kind), kind, problems));
          }
        }
      }
      byName.put(p.name(), variants);
    }
    if (!problems.isEmpty()) {
      throw new PolicyCompileException(problems);
    }
    for (PolicyBinding b : bindings) {
      List<CompiledPolicy> variants = byName.get(b.policyName());
      if (variants == null) {
        // Kubernetes: "If the referenced resource does not exist, this binding is considered invalid
        // and will be ignored" (a binding may be created before its policy, or outlive it)
        LOG.warn("binding '{}' refers to policy '{}', which is not loaded: the binding is ignored, as Kubernetes "
            + "ignores it", b.name(), b.policyName());
        continue;
      }
      for (CompiledPolicy v : variants) {
        MatchResources bm = b.matchResources();
        if (bm != null && v.autogenKind != null && bm.resourceRules().stream()
            .allMatch(r -> r.resources().equals(List.of("pods")))) {
          bm = Autogen.rewrite(bm, v.autogenKind);
        }
        Object params = null;
        String paramsError = null;
        if (b.constraint() != null) {
          try {
            params = CelValues.toCel(b.constraint().object());
          } catch (IllegalArgumentException e) {
            paramsError = e.getMessage();
          }
        }
        bound.add(new Bound(b, v, bm, params, paramsError));
        kindFilters.add(b.constraint() == null ? null : kindFilter(b.constraint().match()));
        resourceFilters.add(resourceFilter(v.policy.matchConstraints()));
      }
    }
  }

  /** The CEL environment policies are compiled in (for tools and benchmarks). */
  public Cel cel() {
    return cel.cel();
  }

  private static @Nullable Set<String> kindFilter(io.orchestrationplane.policy.ConstraintMatch m) {
    if (m.kinds().isEmpty()) {
      return null;
    }
    Set<String> out = new java.util.HashSet<>();
    for (var gk : m.kinds()) {
      if (gk.kinds().isEmpty() || gk.kinds().contains("*")) {
        return null;
      }
      out.addAll(gk.kinds());
    }
    return Set.copyOf(out);
  }

  private static @Nullable Set<String> resourceFilter(MatchResources m) {
    Set<String> out = new java.util.HashSet<>();
    for (ResourceRule r : m.resourceRules()) {
      for (String res : r.resources()) {
        if (res.equals("*") || res.startsWith("*/")) {
          return null;
        }
        int slash = res.indexOf('/');
        out.add(slash < 0 ? res : res.substring(0, slash));
      }
    }
    return Set.copyOf(out);
  }

  /** The bindings a request of this kind and resource may match, in binding order. */
  private int[] candidates(String kind, String resource) {
    String key = kind + '\u0000' + resource;
    int[] c = candidates.get(key);
    if (c == null) {
      c = java.util.stream.IntStream.range(0, bound.size())
          .filter(i -> (kindFilters.get(i) == null || kindFilters.get(i).contains(kind))
              && (resourceFilters.get(i) == null || resourceFilters.get(i).contains(resource)))
          .toArray();
      if (candidates.size() < MAX_INDEXED_KEYS) {
        candidates.put(key, c);
      }
    }
    return c;
  }

  /**
   * The CEL environment of a library set, for validation or for mutation, at the engine's Kubernetes version
   * (built once, on first need; called while the engine is built). {@link CelEnvironment#KUBERNETES} (or null) is the API server's
   * environment with the engine's extensions; {@link CelEnvironment#KYVERNO} adds what Kyverno enables (the
   * {@link CelExtension#BINDINGS}, {@link CelExtension#ENCODERS} and {@link CelExtension#MATH} extensions) and
   * Kyverno's libraries ({@link KyvernoLibrary}). A mutation environment adds {@code jsonpatch.escapeKey}, as the
   * API server's MutatingAdmissionPolicy environment does.
   */
  CelEnv environment(CelEnvironment set, boolean mutation) {
    boolean kyverno = set == CelEnvironment.KYVERNO;
    if (!kyverno && !mutation) {
      return cel;
    }
    return environments.computeIfAbsent((kyverno ? "kyverno" : "kubernetes") + (mutation ? "/mutation" : ""), k -> {
      KubeCel.Environment env = settings.environment();
      if (kyverno) {
        java.util.EnumSet<CelExtension> extensions = java.util.EnumSet.of(CelExtension.BINDINGS,
            CelExtension.ENCODERS, CelExtension.MATH);
        extensions.addAll(env.extensions());
        env = new KubeCel.Environment(env.version(), extensions);
      }
      return CelEnv.of(env, VARIABLES, Map.of(), settings.orValueQuirk(), settings.comprehensionLimit(), builder -> {
        if (kyverno) {
          KyvernoLibrary.install(builder);
        }
        if (mutation) {
          Mutator.installJsonPatch(builder);
        }
      });
    });
  }

  /** A cost meter for one binding evaluation under the engine's budget and per-expression limit, or null. */
  @Nullable CostMeter newMeter() {
    return settings.costBudget() > 0 || settings.perExpressionCostLimit() > 0
        ? new CostMeter(settings.costBudget(), settings.perExpressionCostLimit()) : null;
  }

  /** Facts about the request derived once, shared by every policy; CEL values are built only when needed. */
  final class RequestFacts {
    final AdmissionRequest request;
    final @Nullable JsonNode subject;
    final String group;
    final String version;
    final String kind;
    final String resource;
    final String namespace;
    final String name;
    final boolean namespaced;
    private @Nullable Map<String, String> labels;
    private @Nullable Map<String, String> oldLabels;
    private @Nullable Map<String, String> namespaceLabels;
    private @Nullable Activation base;
    /** Why the request's objects could not be given to CEL, once {@link #base()} found out; else null. */
    private @Nullable String conversionError;
    final ParamResolver params;

    RequestFacts(AdmissionRequest r) {
      this.request = r;
      this.subject = r.object() != null ? r.object() : r.oldObject();
      String apiVersion = subject.path("apiVersion").asString("");
      int slash = apiVersion.indexOf('/');
      this.group = slash < 0 ? "" : apiVersion.substring(0, slash);
      this.version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
      this.kind = subject.path("kind").asString("");
      KindMapping.Entry entry = settings.kinds().find(group, kind);
      this.resource = r.resource() != null ? r.resource()
          : entry != null ? entry.resource() : KindMapping.pluralise(kind);
      String ns = r.namespace() != null ? r.namespace() : subject.path("metadata").path("namespace").asString("");
      this.namespaced = entry != null ? entry.namespaced() : !ns.isEmpty();
      this.namespace = namespaced ? ns : "";
      this.name = r.name() != null ? r.name() : subject.path("metadata").path("name").asString("");
      this.params = r.params() != null ? r.params() : settings.params();
    }

    /** The object's labels (read on first use: a request no binding matches never reads them). */
    Map<String, String> labels() {
      if (labels == null) {
        labels = labelsOf(request.object());
      }
      return labels;
    }

    Map<String, String> oldLabels() {
      if (oldLabels == null) {
        oldLabels = labelsOf(request.oldObject());
      }
      return oldLabels;
    }

    Map<String, String> namespaceLabels() {
      if (namespaceLabels == null) {
        // The API server gives every Namespace the immutable label kubernetes.io/metadata.name=<name>.
        Map<String, String> nsLabels = new HashMap<>();
        if (!namespaced && kind.equals("Namespace") && group.isEmpty()) {
          nsLabels.putAll(labels());
          nsLabels.put("kubernetes.io/metadata.name", name);
        } else {
          if (request.namespaceObject() != null) {
            nsLabels.putAll(labelsOf(request.namespaceObject()));
          }
          nsLabels.put("kubernetes.io/metadata.name", namespace);
        }
        namespaceLabels = nsLabels;
      }
      return namespaceLabels;
    }

    /**
     * The request's variables as CEL values, converted on first use (only when some policy matched); null when
     * the request cannot be given to CEL (nested deeper than {@link CelValues#MAX_DEPTH}, or an integer beyond
     * CEL's int), and then {@link #conversionError()} says why.
     */
    @Nullable Activation base() {
      if (base == null && conversionError == null) {
        try {
          base = activation();
        } catch (CelValues.TooDeep | CelValues.OutOfRange e) {
          conversionError = "cannot read the request: " + e.getMessage();
        }
      }
      return base;
    }

    /** Why {@link #base()} is null, else null. */
    @Nullable String conversionError() {
      return conversionError;
    }

    private Activation activation() {
      AdmissionRequest r = request;
      Activation base = new Activation();
      base.object = CelValues.toCel(r.object());
      base.oldObject = CelValues.toCel(r.oldObject());
      base.namespaceObject = namespaced ? CelValues.toCel(r.namespaceObject()) : NullValue.NULL_VALUE;
      base.request = CelValues.fromJava(requestMap());
      AuthorizerValues.Value authz = new AuthorizerValues.Value(settings.authorizer(), r.userInfo().username(),
          r.userInfo().groups());
      base.authorizer = authz;
      base.requestResource = new AuthorizerValues.ResourceCheck(authz, group, resource,
          r.subResource() == null ? "" : r.subResource(), namespace, name);
      base.kyvernoResources = new KyvernoLibrary.Resources(params, settings.kinds());
      return base;
    }

    private GatekeeperMatching.@Nullable Side objectSide;
    private GatekeeperMatching.@Nullable Side oldObjectSide;

    /** The object as Gatekeeper's matcher sees it (built once, on first use). */
    GatekeeperMatching.@Nullable Side objectSide() {
      if (objectSide == null && request.object() != null) {
        objectSide = side(request.object(), labels());
      }
      return objectSide;
    }

    GatekeeperMatching.@Nullable Side oldObjectSide() {
      if (oldObjectSide == null && request.oldObject() != null) {
        oldObjectSide = side(request.oldObject(), oldLabels());
      }
      return oldObjectSide;
    }

    private GatekeeperMatching.Side side(JsonNode o, Map<String, String> sideLabels) {
      return new GatekeeperMatching.Side(o.path("metadata").path("name").asString(""),
          o.path("metadata").path("generateName").asString(""), sideLabels);
    }

    private Map<String, Object> requestMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      Map<String, Object> gvk = Map.of("group", group, "version", version, "kind", kind);
      // a bare object's review (gator's object files) names no resource and no operation
      Map<String, Object> gvr = request.objectOnly() ? Map.of("group", "", "version", "", "resource", "")
          : Map.of("group", group, "version", version, "resource", resource);
      m.put("kind", gvk);
      m.put("resource", gvr);
      m.put("subResource", request.subResource() == null ? "" : request.subResource());
      m.put("requestKind", gvk);
      m.put("requestResource", gvr);
      m.put("requestSubResource", request.subResource() == null ? "" : request.subResource());
      m.put("name", name);
      m.put("namespace", namespace);
      m.put("operation", request.objectOnly() ? "" : request.operation().name());
      // authentication/v1 UserInfo's fields are all omitempty: the API server's request shows no empty one
      // (request.userInfo.uid of a user without uid is "no such key: uid", as in Kubernetes)
      Map<String, Object> user = new LinkedHashMap<>();
      UserInfo u = request.userInfo();
      if (!u.username().isEmpty()) {
        user.put("username", u.username());
      }
      if (!u.uid().isEmpty()) {
        user.put("uid", u.uid());
      }
      if (!u.groups().isEmpty()) {
        user.put("groups", u.groups());
      }
      if (!u.extra().isEmpty()) {
        user.put("extra", u.extra());
      }
      m.put("userInfo", user);
      m.put("dryRun", request.dryRun());
      m.put("options", Map.of());
      return m;
    }
  }

  private static Map<String, String> labelsOf(@Nullable JsonNode o) {
    if (o == null) {
      return Map.of();
    }
    JsonNode labels = o.path("metadata").path("labels");
    if (!labels.isObject() || labels.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new HashMap<>();
    labels.properties().forEach(e -> {
      if (!e.getValue().isContainer()) { // a list or an object is no label value: no selector matches it
        out.put(e.getKey(), e.getValue().asString());
      }
    });
    return out;
  }

  /** The facts of a request (for the mutation engine, which shares matching). */
  RequestFacts facts(AdmissionRequest r) {
    return new RequestFacts(r);
  }

  private boolean constraintMatches(io.orchestrationplane.policy.GatekeeperConstraint c, RequestFacts f) {
    boolean isNamespace = f.kind.equals("Namespace") && f.group.isEmpty();
    return GatekeeperMatching.matches(c.match(), f.group, f.kind, f.namespace, isNamespace, f);
  }

  boolean matches(MatchResources m, RequestFacts f) {
    boolean equivalent = m.matchPolicy().equals("Equivalent");
    if (!anyRule(m.resourceRules(), f, equivalent) || anyRule(m.excludeResourceRules(), f, equivalent)) {
      return false;
    }
    if (!m.objectSelector().equals(LabelSelector.EVERYTHING)
        && !(m.objectSelector().matches(f.labels()) || f.request.oldObject() != null
            && m.objectSelector().matches(f.oldLabels()))) {
      return false;
    }
    if (m.namespaceSelector().equals(LabelSelector.EVERYTHING)) {
      return true;
    }
    boolean isNamespace = f.kind.equals("Namespace") && f.group.isEmpty();
    if (!f.namespaced && !isNamespace) {
      return true;
    }
    return m.namespaceSelector().matches(f.namespaceLabels());
  }

  private static boolean anyRule(List<ResourceRule> rules, RequestFacts f, boolean anyVersion) {
    for (ResourceRule r : rules) {
      if (r.matches(f.group, f.version, f.resource, f.request.subResource(), f.request.operation(), f.name,
          f.namespaced, anyVersion)) {
        return true;
      }
    }
    return false;
  }

  /** Evaluates every binding against the request; never throws for anything a policy or object contains. */
  public Decision evaluate(AdmissionRequest request) {
    Result result = new Result();
    RequestFacts facts;
    try {
      facts = new RequestFacts(request);
    } catch (RuntimeException e) {
      result.errors.add(new EvaluationError("", "", "request", "cannot read the request: " + e.getMessage(),
          FailurePolicy.FAIL));
      return result.decision();
    }
    for (int index : candidates(facts.kind, facts.resource)) {
      Bound b = bound.get(index);
      ValidatingPolicy p = b.policy.policy;
      if (!matches(p.matchConstraints(), facts) || b.bindingMatch != null && !matches(b.bindingMatch, facts)
          || b.binding.constraint() != null && !constraintMatches(b.binding.constraint(), facts)) {
        continue;
      }
      // A request CEL cannot be given (too deep, an integer beyond int) fails each matching binding under its
      // failurePolicy, as the API server fails each policy whose evaluation cannot start.
      if (facts.base() == null) {
        result.failure(b, 0, "request", facts.conversionError(), null);
        continue;
      }
      try {
        evaluateBinding(b, facts, result);
      } catch (RuntimeException | StackOverflowError e) {
        // Only the exception type at warn level: messages may quote object content (Secrets included).
        LOG.warn("policy {} failed unexpectedly ({}); failurePolicy applied", p.name(), e.getClass().getName());
        LOG.debug("policy {} failure", p.name(), e);
        result.failure(b, 0, "spec", "internal error: " + e, null);
      }
    }
    return result.decision();
  }

  private void evaluateBinding(Bound b, RequestFacts facts, Result result) {
    ValidatingPolicy p = b.policy.policy;
    if (p.paramKind() == null) {
      evaluateWithParams(b, facts, NullValue.NULL_VALUE, result);
      return;
    }
    if (b.binding.constraint() != null) {
      if (b.paramsError != null) {
        result.failure(b, 0, "spec.parameters", b.paramsError, null);
      } else {
        evaluateWithParams(b, facts, b.constraintParams, result);
      }
      return;
    }
    Params params = params(p, b.binding, facts);
    if (params.error() != null) {
      result.configError(b, "spec.paramRef", params.error());
      return;
    }
    for (JsonNode param : params.found()) {
      Object celParam;
      try {
        celParam = CelValues.toCel(param);
      } catch (CelValues.TooDeep | CelValues.OutOfRange e) {
        result.failure(b, 0, "spec.paramRef", "cannot read params: " + e.getMessage(), null);
        continue;
      }
      evaluateWithParams(b, facts, celParam, result);
    }
  }

  /** The params objects of a binding, or why the binding cannot be configured for the request. */
  record Params(List<JsonNode> found, @Nullable String error) {}

  /**
   * Finds a binding's params as the API server's {@code CollectParams} does: namespaced params are read from
   * {@code paramRef.namespace}, else the request's namespace (a cluster-scoped request then has none: an error);
   * cluster-scoped params ignore namespaces; none found under {@code parameterNotFoundAction: Deny} is an error.
   * Whether the params kind is namespaced comes from the engine's {@link KindMapping}; for a kind it does not know,
   * the request's namespace applies when there is one.
   */
  Params params(ValidatingPolicy p, PolicyBinding binding, RequestFacts facts) {
    return params(p.paramKind(), binding.paramRef(), facts);
  }

  Params params(io.orchestrationplane.policy.ParamKind kind, io.orchestrationplane.policy.@Nullable ParamRef ref,
      RequestFacts facts) {
    if (ref == null) {
      return new Params(List.of(), "paramRef is required when paramKind is specified");
    }
    String apiVersion = kind.apiVersion();
    int slash = apiVersion.indexOf('/');
    KindMapping.Entry entry = settings.kinds().find(slash < 0 ? "" : apiVersion.substring(0, slash), kind.kind());
    String ns;
    if (entry != null && !entry.namespaced()) {
      ns = null;
    } else if (ref.namespace() != null && !ref.namespace().isEmpty()) {
      ns = ref.namespace();
    } else if (!facts.namespace.isEmpty()) {
      ns = facts.namespace;
    } else if (entry != null) {
      return new Params(List.of(),
          "cannot use namespaced paramRef in policy binding that matches cluster-scoped resources");
    } else {
      ns = null;
    }
    List<JsonNode> found;
    try {
      found = ref.name() != null ? facts.params.get(kind, ns, ref.name()).map(List::of).orElse(List.of())
          : facts.params.list(kind, ns, ref.selector());
    } catch (RuntimeException e) {
      return new Params(List.of(), "params lookup failed: " + e.getMessage());
    }
    if (found.isEmpty() && ref.denyWhenNotFound()) {
      return new Params(List.of(), "no params found for policy binding with `Deny` parameterNotFoundAction");
    }
    return new Params(found, null);
  }

  /**
   * Evaluates one binding with one params object. When the binding's cost budget runs out, everything it decided so
   * far is replaced by that one failure, as the API server reports it.
   */
  private void evaluateWithParams(Bound b, RequestFacts facts, @Nullable Object params, Result result) {
    CostMeter meter = newMeter();
    Result.Mark mark = result.mark();
    evaluateWithParams(b, facts, params, result, meter);
    if (meter != null && meter.exhausted()) {
      result.reset(mark);
      result.failure(b, 0, "spec", CostMeter.BUDGET_MESSAGE, null);
    }
  }

  private void evaluateWithParams(Bound b, RequestFacts facts, @Nullable Object params, Result result, @Nullable CostMeter meter) {
    CompiledPolicy cp = b.policy;
    ValidatingPolicy p = cp.policy;
    Activation act = facts.base().copy();
    act.params = params;
    act.variables = new LazyVariables(cp, act, meter);

    // As the API server's matcher: any false skips the policy; otherwise the errors, each worded as a failed
    // expression and aggregated as Kubernetes aggregates errors (one alone, several as "[e1, e2]").
    PolicyEvaluationException conditionError = null;
    String conditionField = null;
    List<String> conditionErrors = new ArrayList<>();
    for (int i = 0; i < cp.matchConditions.size(); i++) {
      try {
        Object r = cp.matchConditions.get(i).evaluate(act, meter);
        if (!(r instanceof Boolean)) {
          throw new PolicyEvaluationException("matchCondition must evaluate to bool, got " + typeName(r),
              cp.matchConditions.get(i).text(), 0, 0, null);
        }
        if (!(Boolean) r) {
          return;
        }
      } catch (PolicyEvaluationException e) {
        if (meter != null && meter.exhausted()) {
          return;
        }
        if (conditionError == null) {
          conditionError = e;
          conditionField = "spec.matchConditions[" + i + "] (" + p.matchConditions().get(i).name() + ")";
        }
        conditionErrors.add("expression '" + cp.matchConditions.get(i).text() + "' resulted in error: "
            + e.getMessage());
      }
    }
    result.evaluated.add(new Decision.Evaluated(b.policy.displayName(), b.binding.name()));
    if (conditionError != null) {
      result.failure(b, 0, conditionField, conditionErrors.size() == 1 ? conditionErrors.get(0)
          : "[" + String.join(", ", conditionErrors) + "]", conditionError.expression());
      return;
    }
    for (int i = 0; i < cp.validations.size(); i++) {
      var v = p.validations().get(i);
      CompiledExpression expr = cp.validations.get(i);
      Object r;
      try {
        r = expr.evaluate(act, meter);
        if (!(r instanceof Boolean)) {
          throw new PolicyEvaluationException("validation must evaluate to bool, got " + typeName(r),
              expr.text(), 0, 0, null);
        }
      } catch (PolicyEvaluationException e) {
        if (meter != null && meter.exhausted()) {
          return;
        }
        result.failure(b, i, "spec.validations[" + i + "].expression", "expression '" + expr.text()
            + "' resulted in error: " + e.getMessage(), expr.text());
        continue;
      }
      if ((Boolean) r) {
        continue;
      }
      String message = null;
      CompiledExpression me = cp.messageExpressions.get(i);
      if (me != null) {
        try {
          Object m = me.evaluate(act, meter);
          // As the API server: trimmed; empty, longer than 5 KiB or multi-line falls back to message
          String trimmed = m instanceof String s ? GoText.trimSpace(s) : null;
          if (trimmed != null && !trimmed.isEmpty() && trimmed.indexOf('\n') < 0
              && utf8Length(trimmed) <= MAX_MESSAGE_EXPRESSION_BYTES) {
            message = trimmed;
          } else {
            result.errors.add(new EvaluationError(p.name(), b.binding.name(),
                "spec.validations[" + i + "].messageExpression",
                "messageExpression must evaluate to a non-empty single-line string of at most 5 KiB, got " + describe(m), p.failurePolicy()));
          }
        } catch (PolicyEvaluationException e) {
          if (meter != null && meter.exhausted()) {
            return;
          }
          result.errors.add(new EvaluationError(p.name(), b.binding.name(),
              "spec.validations[" + i + "].messageExpression", e.getMessage(), p.failurePolicy()));
        }
      }
      if (message == null) {
        String fallback = v.message() == null ? "" : GoText.trimSpace(v.message());
        message = !fallback.isEmpty() ? fallback : "failed expression: " + GoText.trimSpace(v.expression());
      }
      result.violation(b, i, v.expression(), message, v.reason() == null ? "Invalid" : v.reason(), false);
    }
    // As the API server's validator and dispatcher: a string value is trimmed, and published unless empty
    // (truncated to 10 KiB); null publishes nothing; another type is an error whatever the failurePolicy; a runtime
    // error is one under Fail. Such errors deny whatever the binding's validationActions.
    for (int i = 0; i < cp.auditAnnotations.size(); i++) {
      String key = p.name() + "/" + p.auditAnnotations().get(i).name();
      String field = "spec.auditAnnotations[" + i + "].valueExpression";
      CompiledExpression expr = cp.auditAnnotations.get(i);
      Object value;
      try {
        value = expr.evaluate(act, meter);
      } catch (PolicyEvaluationException e) {
        if (meter != null && meter.exhausted()) {
          return;
        }
        if (p.failurePolicy() == FailurePolicy.FAIL) {
          result.annotationError(b, field, e.getMessage(), expr.text(), FailurePolicy.FAIL);
        } else {
          result.errors.add(new EvaluationError(b.policy.displayName(), b.binding.name(), field, e.getMessage(),
              FailurePolicy.IGNORE));
        }
        continue;
      }
      if (value instanceof String s) {
        String trimmed = GoText.trimSpace(s);
        if (!trimmed.isEmpty()) {
          result.annotation(key, truncateUtf8(trimmed, MAX_AUDIT_ANNOTATION_VALUE_BYTES));
        }
      } else if (!(value instanceof NullValue)) {
        // compilation admits only string or null, so this is a defence, worded as the validator words it
        result.annotationError(b, field, "valueExpression '" + expr.text() + "' resulted in unsupported return type: "
            + typeName(value) + ". Return type must be either string or null.", expr.text(), p.failurePolicy());
      }
    }
  }

  /** Kubernetes' {@code maxAuditAnnotationValueLength}: longer audit annotation values are cut to it. */
  private static final int MAX_AUDIT_ANNOTATION_VALUE_BYTES = 10 * 1024;

  /** The first {@code max} bytes of {@code s} in UTF-8 (a code point cut in two is dropped). */
  static String truncateUtf8(String s, int max) {
    if (utf8Length(s) <= max) {
      return s;
    }
    int bytes = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + n > max) {
        break;
      }
      bytes += n;
      i += Character.charCount(cp);
    }
    return s.substring(0, i);
  }


  private static int utf8Length(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private static String typeName(Object o) {
    return o == null || o instanceof NullValue ? "null" : o.getClass().getSimpleName();
  }

  private static String describe(Object o) {
    return o instanceof String s ? "'" + s + "'" : typeName(o);
  }

  /** Collects the outcome of one request. */
  private static final class Result {
    final List<Violation> violations = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    /** {@code policy/key} → the distinct values published, in order (joined with ", " as the API server does). */
    final Map<String, List<String>> auditAnnotations = new LinkedHashMap<>();
    final List<EvaluationError> errors = new ArrayList<>();
    /** The validation_failure values of Audit bindings, as JSON objects, in order. */
    final List<String> audits = new ArrayList<>();
    final List<Decision.Evaluated> evaluated = new ArrayList<>();

    /** Sizes of the collections, to undo what a binding decided before its budget ran out. */
    record Mark(int violations, int warnings, int errors, int audits, Map<String, List<String>> annotations) {}

    Mark mark() {
      return new Mark(violations.size(), warnings.size(), errors.size(), audits.size(),
          copy(auditAnnotations));
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> annotations) {
      Map<String, List<String>> out = new LinkedHashMap<>();
      annotations.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
      return out;
    }

    void reset(Mark m) {
      violations.subList(m.violations(), violations.size()).clear();
      warnings.subList(m.warnings(), warnings.size()).clear();
      errors.subList(m.errors(), errors.size()).clear();
      audits.subList(m.audits(), audits.size()).clear();
      auditAnnotations.clear();
      auditAnnotations.putAll(copy(m.annotations()));
    }

    /** Publishes an audit annotation value; the same value twice under one key is kept once. */
    void annotation(String key, String value) {
      List<String> values = auditAnnotations.computeIfAbsent(key, k -> new ArrayList<>());
      if (!values.contains(value)) {
        values.add(value);
      }
    }

    /**
     * An audit annotation that could not be published: as Kubernetes' dispatcher, it denies whatever the
     * binding's validationActions when {@code fp} is Fail.
     */
    void annotationError(Bound b, String field, String message, String expression, FailurePolicy fp) {
      errors.add(new EvaluationError(b.policy.displayName(), b.binding.name(), field, message, fp));
      if (fp == FailurePolicy.FAIL) {
        violations.add(new Violation(b.policy.displayName(), b.binding.name(), expression, message, "Invalid",
            Set.of(ValidationAction.DENY), true));
      }
    }

    /**
     * A failed validation (or an error under Fail) through the binding's validationActions.
     *
     * @param index the position of the decision in the policy's result, as the audit annotation's
     *     {@code expressionIndex}: the validation's, else 0 (an error that ends the evaluation is its only decision)
     */
    void violation(Bound b, int index, String expression, @Nullable String message, String reason, boolean error) {
      Set<ValidationAction> actions = b.binding.validationActions();
      String policy = b.policy.displayName();
      violations.add(new Violation(policy, b.binding.name(), expression, message, reason, actions, error));
      if (actions.contains(ValidationAction.WARN)) {
        warnings.add("Validation failed for ValidatingAdmissionPolicy '" + policy + "' with binding '"
            + b.binding.name() + "': " + message);
      }
      if (actions.contains(ValidationAction.AUDIT)) {
        // The API server's ValidationFailureValue, its fields in their order and its actions in the binding's
        audits.add("{\"message\":" + GoText.jsonString(message == null ? "" : message)
            + ",\"policy\":" + GoText.jsonString(b.binding.policyName())
            + ",\"binding\":" + GoText.jsonString(b.binding.name())
            + ",\"expressionIndex\":" + index
            + ",\"validationActions\":[" + String.join(",", actions.stream()
                .map(a -> GoText.jsonString(a.name().charAt(0) + a.name().substring(1).toLowerCase())).toList())
            + "]}");
      }
    }

    void failure(Bound b, int index, @Nullable String field, @Nullable String message, @Nullable String expression) {
      FailurePolicy fp = b.policy.policy.failurePolicy();
      errors.add(new EvaluationError(b.policy.displayName(), b.binding.name(), field, message, fp));
      if (fp == FailurePolicy.FAIL) {
        violation(b, index, expression == null ? "" : expression, message, "Invalid", true);
      }
    }

    /**
     * A binding the API server cannot configure for the request (its params): as Kubernetes' dispatcher, under
     * Fail it denies whatever the binding's validationActions, worded {@code failed to configure binding: ...};
     * under Ignore it is only recorded.
     */
    void configError(Bound b, String field, String message) {
      FailurePolicy fp = b.policy.policy.failurePolicy();
      errors.add(new EvaluationError(b.policy.displayName(), b.binding.name(), field, message, fp));
      if (fp == FailurePolicy.FAIL) {
        violations.add(new Violation(b.policy.displayName(), b.binding.name(), "",
            "failed to configure binding: " + message, "Invalid", Set.of(ValidationAction.DENY), true));
      }
    }

    Decision decision() {
      Map<String, String> annotations = new LinkedHashMap<>();
      auditAnnotations.forEach((k, v) -> annotations.put(k, String.join(", ", v)));
      if (!audits.isEmpty()) {
        // Each failure is published as a one-element list under the same key, and the API server refuses to
        // overwrite an audit annotation with another value: the first failure is the one recorded.
        annotations.put("validation.policy.admission.k8s.io/validation_failure", "[" + audits.get(0) + "]");
      }
      return new Decision(violations, warnings, annotations, errors, evaluated);
    }
  }
}
