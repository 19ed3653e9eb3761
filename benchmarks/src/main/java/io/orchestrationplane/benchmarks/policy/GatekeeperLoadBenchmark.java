package io.orchestrationplane.benchmarks.policy;

import io.orchestrationplane.policy.AdmissionRequest;
import io.orchestrationplane.policy.Decision;
import io.orchestrationplane.policy.Operation;
import io.orchestrationplane.policy.PolicyEngine;
import io.orchestrationplane.policy.PolicyLoader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Gatekeeper at scale: 20 CEL ConstraintTemplates × 5 Constraints each (100 constraints on Pods, Deployments and
 * Services). {@code loadAndCompile} is the time to load the YAML and build the engine; {@code noMatchRequest} the
 * cost of admitting a ConfigMap that no constraint matches. {@link #main} prints the heap a built engine retains.
 * Uses only API that exists before and after template sharing, so the same class measures both builds.
 *
 * <pre>
 * java -jar benchmarks.jar GatekeeperLoadBenchmark -f 1 -wi 3 -i 5
 * java -cp benchmarks.jar io.orchestrationplane.benchmarks.policy.GatekeeperLoadBenchmark   # retained heap
 * </pre>
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GatekeeperLoadBenchmark {
  static final int TEMPLATES = 20;
  static final int CONSTRAINTS = 5;
  private static final String[][] KINDS = {{"\"\"", "Pod"}, {"apps", "Deployment"}, {"\"\"", "Service"}};

  private String yaml;
  private PolicyEngine engine;
  private AdmissionRequest configMap;

  /** The YAML of every template and constraint. */
  static String yaml() {
    StringBuilder sb = new StringBuilder();
    for (int t = 0; t < TEMPLATES; t++) {
      sb.append("""
          apiVersion: templates.gatekeeper.sh/v1
          kind: ConstraintTemplate
          metadata: {name: k8sbench%1$d}
          spec:
            crd: {spec: {names: {kind: K8sBench%1$d}}}
            targets:
            - target: admission.k8s.gatekeeper.sh
              code:
              - engine: K8sNativeValidation
                source:
                  variables:
                  - {name: labels, expression: "has(variables.anyObject.metadata.labels) ? variables.anyObject.metadata.labels : {}"}
                  validations:
                  - expression: "variables.params.required.all(l, l in variables.labels)"
                    messageExpression: "'missing one of ' + variables.params.required.join(', ')"
                  - expression: "!has(variables.anyObject.metadata.annotations) || size(variables.anyObject.metadata.annotations) <= variables.params.maxAnnotations"
                    message: too many annotations
                  - expression: "variables.params.forbidden.all(f, !variables.anyObject.metadata.name.startsWith(f))"
                    message: forbidden name prefix
          ---
          """.formatted(t));
      for (int c = 0; c < CONSTRAINTS; c++) {
        String[] gk = KINDS[(t + c) % KINDS.length];
        sb.append("""
            apiVersion: constraints.gatekeeper.sh/v1beta1
            kind: K8sBench%1$d
            metadata: {name: c%2$d}
            spec:
              match:
                kinds: [{apiGroups: [%3$s], kinds: [%4$s]}]
                excludedNamespaces: [kube-system]
              parameters:
                required: [team-%2$d, owner, cost-center]
                maxAnnotations: %5$d
                forbidden: [tmp-%2$d, test-, scratch-]
            ---
            """.formatted(t, c, gk[0], gk[1], 10 + c));
      }
    }
    return sb.toString();
  }

  @Setup
  public void setUp() {
    yaml = yaml();
    engine = PolicyEngine.builder().policies(PolicyLoader.load(yaml)).build();
    JsonNode cm = YAMLMapper.builder().build().readTree("""
        {apiVersion: v1, kind: ConfigMap, metadata: {name: settings, namespace: shop,
         labels: {team: a, owner: b}, annotations: {x: y}}, data: {a: "1", b: "2", c: "3"}}
        """);
    configMap = AdmissionRequest.builder(Operation.CREATE).object(cm).build();
    if (!engine.evaluate(configMap).violations().isEmpty()) {
      throw new IllegalStateException("the ConfigMap must match no constraint");
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public PolicyEngine loadAndCompile() {
    return PolicyEngine.builder().policies(PolicyLoader.load(yaml)).build();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public Decision noMatchRequest() {
    return engine.evaluate(configMap);
  }

  /** Prints the heap retained by built engines: the median of several rounds of 10 engines each. */
  public static void main(String[] args) {
    String yaml = yaml();
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    List<Long> perEngine = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      List<PolicyEngine> keep = new ArrayList<>();
      long before = settledHeap(memory);
      for (int i = 0; i < 10; i++) {
        keep.add(PolicyEngine.builder().policies(PolicyLoader.load(yaml)).build());
      }
      long after = settledHeap(memory);
      perEngine.add((after - before) / keep.size());
      keep.clear();
    }
    List<Long> sorted = perEngine.stream().sorted().toList();
    System.out.printf("retained heap per engine (20 templates x 5 constraints): median %.1f MiB, rounds %s%n",
        sorted.get(sorted.size() / 2) / 1048576.0, perEngine.stream().map(b -> String.format("%.1f", b / 1048576.0)).toList());
  }

  private static long settledHeap(MemoryMXBean memory) {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
