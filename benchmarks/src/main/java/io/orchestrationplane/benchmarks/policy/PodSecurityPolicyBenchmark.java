package io.orchestrationplane.benchmarks.policy;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import io.orchestrationplane.policy.AdmissionRequest;
import io.orchestrationplane.policy.Decision;
import io.orchestrationplane.policy.KindSchemas;
import io.orchestrationplane.policy.MatchResources;
import io.orchestrationplane.policy.NamedExpression;
import io.orchestrationplane.policy.Operation;
import io.orchestrationplane.policy.PolicyEngine;
import io.orchestrationplane.policy.PolicyLoader;
import io.orchestrationplane.policy.PolicySet;
import io.orchestrationplane.policy.ResourceRule;
import io.orchestrationplane.policy.Validation;
import io.orchestrationplane.policy.ValidatingPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every {@code pod-security-cel__*} policy of the Kyverno corpus (17 rules) on one compliant 10-container Pod:
 * the engine's full {@code evaluate} (matching, object conversion, lazy variables, cost budget, decision) beside
 * raw cel-java evaluating the same expressions on an already-converted map (the floor).
 *
 * <p>Reads the corpus from {@code -Dorchestration.corpus} (default {@code ../shared/corpus}). Run:
 * {@code java -cp <classpath> org.openjdk.jmh.Main PodSecurityPolicyBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PodSecurityPolicyBenchmark {
  private PolicyEngine engine;
  private PolicyEngine engineWithoutCostBudget;
  private PolicyEngine engineTypeChecked;
  private PolicyEngine engineNotTypeChecked;
  private AdmissionRequest request;
  private Map<String, Object> convertedPod;
  private JsonNode pod;
  private final List<RawPolicy> raw = new ArrayList<>();

  /** One policy's expressions compiled directly with cel-java. */
  private record RawPolicy(List<String> variableNames, List<CelRuntime.Program> variables,
      List<CelRuntime.Program> validations) {}

  @Setup
  public void setUp() throws Exception {
    Path corpus = Path.of(System.getProperty("orchestration.corpus", "../shared/corpus"), "policy", "kyverno");
    List<ValidatingPolicy> policies = new ArrayList<>();
    PolicySet all = new PolicySet(List.of(), List.of());
    try (Stream<Path> dirs = Files.list(corpus)) {
      for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith("pod-security-cel__")).sorted().toList()) {
        all = all.plus(PolicyLoader.load(Files.readString(dir.resolve("policy.yaml"))));
      }
    } catch (IOException e) {
      throw new IllegalStateException("corpus not found at " + corpus.toAbsolutePath()
          + " (set -Dorchestration.corpus)", e);
    }
    policies.addAll(all.policies());
    if (policies.size() < 17) {
      throw new IllegalStateException("expected the 17 pod-security-cel rules, found " + policies.size());
    }
    engine = PolicyEngine.builder().policies(all).build();
    engineWithoutCostBudget = PolicyEngine.builder().policies(all).costBudget(0).build();
    // The same rules matching v1 Pods explicitly, so that they are type-checked against the Pod schema, beside the
    // same engine with type checking off: type checking runs when the engine is built, never per request.
    List<ValidatingPolicy> explicit = new ArrayList<>();
    for (ValidatingPolicy p : all.policies()) {
      explicit.add(p.toBuilder().matchConstraints(MatchResources.of(new ResourceRule(List.of(""), List.of("v1"),
          List.of("pods"), Set.of(Operation.CREATE, Operation.UPDATE), false, List.of(), "*"))).build());
    }
    PolicySet typed = new PolicySet(explicit, all.bindings());
    engineTypeChecked = PolicyEngine.builder().policies(typed).schemas(KindSchemas.builtIn()).build();
    engineNotTypeChecked = PolicyEngine.builder().policies(typed).schemas(KindSchemas.none()).build();
    if (engineTypeChecked.typeChecking().values().stream().allMatch(t -> t.checkedKinds().isEmpty())) {
      throw new IllegalStateException("the type-checked engine must have checked the Pod schema");
    }
    pod = tenContainerPod();
    request = AdmissionRequest.builder(Operation.CREATE).object(pod).build();
    Decision check = engine.evaluate(request);
    if (!check.errors().isEmpty() || !check.violations().isEmpty()) {
      throw new IllegalStateException("the benchmark Pod must pass every policy cleanly: " + check);
    }

    CelOptions options = CelOptions.current().enableOptionalSyntax(true).build();
    Cel cel = CelFactory.standardCelBuilder().setOptions(options)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addCompilerLibraries(CelExtensions.optional(), CelExtensions.strings())
        .addRuntimeLibraries(CelExtensions.optional(), CelExtensions.strings())
        .addVar("object", SimpleType.DYN).addVar("variables", SimpleType.DYN).build();
    for (ValidatingPolicy p : policies) {
      List<CelRuntime.Program> vars = new ArrayList<>();
      for (NamedExpression v : p.variables()) {
        vars.add(cel.createProgram(cel.compile(v.expression()).getAst()));
      }
      List<CelRuntime.Program> validations = new ArrayList<>();
      for (Validation v : p.validations()) {
        validations.add(cel.createProgram(cel.compile(v.expression()).getAst()));
      }
      raw.add(new RawPolicy(p.variables().stream().map(NamedExpression::name).toList(), vars, validations));
    }
    convertedPod = toCel(pod);
    if (!Boolean.TRUE.equals(rawEvaluation())) {
      throw new IllegalStateException("raw cel-java must accept the benchmark Pod too");
    }
  }

  private Object rawEvaluation() throws Exception {
    boolean allTrue = true;
    for (RawPolicy p : raw) {
      Map<String, Object> variables = new HashMap<>();
      CelVariableResolver activation = name -> switch (name) {
        case "object" -> Optional.of(convertedPod);
        case "variables" -> Optional.of(variables);
        default -> Optional.empty();
      };
      for (int i = 0; i < p.variables().size(); i++) {
        variables.put(p.variableNames().get(i), p.variables().get(i).eval(activation));
      }
      for (CelRuntime.Program v : p.validations()) {
        allTrue &= Boolean.TRUE.equals(v.eval(activation));
      }
    }
    return allTrue;
  }

  /** The floor: cel-java alone on a pre-converted object, variables evaluated eagerly. */
  @Benchmark
  public Object rawCelJava() throws Exception {
    return rawEvaluation();
  }

  /** The engine end to end, from the Pod's JSON tree to a Decision. */
  @Benchmark
  public Decision engine() {
    return engine.evaluate(request);
  }

  /** The engine without runtime cost accounting (costBudget 0). */
  @Benchmark
  public Decision engineWithoutCostBudget() {
    return engineWithoutCostBudget.evaluate(request);
  }

  /** Policies type-checked against the Pod schema when the engine was built. */
  @Benchmark
  public Decision engineTypeChecked() {
    return engineTypeChecked.evaluate(request);
  }

  /** The same policies with type checking off. */
  @Benchmark
  public Decision engineNotTypeChecked() {
    return engineNotTypeChecked.evaluate(request);
  }

  /** Just the JSON-tree → CEL conversion the engine does once per request. */
  @Benchmark
  public void conversionOnly(Blackhole bh) {
    bh.consume(toCel(pod));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> toCel(JsonNode node) {
    return (Map<String, Object>) convert(node);
  }

  private static Object convert(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      n.properties().forEach(e -> m.put(e.getKey(), convert(e.getValue())));
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(x -> l.add(convert(x)));
      return l;
    }
    if (n.isIntegralNumber()) {
      return n.longValue();
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isNull()) {
      return dev.cel.common.values.NullValue.NULL_VALUE;
    }
    return n.asString();
  }

  static JsonNode tenContainerPod() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode pod = f.objectNode().put("apiVersion", "v1").put("kind", "Pod");
    ObjectNode meta = pod.putObject("metadata").put("name", "bench").put("namespace", "bench");
    meta.putObject("labels").put("app", "bench");
    ObjectNode spec = pod.putObject("spec");
    ObjectNode podSc = spec.putObject("securityContext").put("runAsNonRoot", true).put("runAsUser", 1000);
    podSc.putObject("seccompProfile").put("type", "RuntimeDefault");
    ArrayNode containers = spec.putArray("containers");
    for (int i = 0; i < 10; i++) {
      ObjectNode c = containers.addObject().put("name", "c" + i).put("image", "registry.example.com/app:" + i)
          .put("imagePullPolicy", "IfNotPresent");
      c.putArray("ports").addObject().put("containerPort", 8080 + i);
      ObjectNode sc = c.putObject("securityContext").put("allowPrivilegeEscalation", false)
          .put("runAsNonRoot", true).put("privileged", false);
      sc.putObject("capabilities").putArray("drop").add("ALL");
      sc.putObject("seccompProfile").put("type", "RuntimeDefault");
      c.putArray("volumeMounts").addObject().put("name", "data").put("mountPath", "/data");
    }
    spec.putArray("volumes").addObject().put("name", "data").putObject("emptyDir");
    return pod;
  }
}
