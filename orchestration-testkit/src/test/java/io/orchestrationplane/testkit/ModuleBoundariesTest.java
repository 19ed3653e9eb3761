package io.orchestrationplane.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries between the library's modules, enforced over the main classes of all of them (the
 * testkit sees them all on its class path, orchestration-micrometer and orchestration-gitops as test
 * dependencies; orchestration-core's own {@code LayeringTest} checks its finer floor plan). Modules
 * depend one way, {@code testkit → k8s, delivery → core → policy}, {@code micrometer → core},
 * {@code gitops → core}; no module
 * uses another module's {@code internal} packages; within a module, capabilities (a package with
 * its {@code internal} subpackage, see {@link #capability}) form no cycle ({@code PackageInfoTest}
 * checks that every package says what it is for).
 * A violation fails naming the dependency and its source line, for example after making {@code
 * PolicyEngine} refer to a core type:
 *
 * <pre>
 * policy may not depend on core (allowed: []):
 *   Method &lt;io.orchestrationplane.policy.PolicyEngine.x()&gt; has return type
 *   &lt;io.orchestrationplane.core.resource.Resource&gt; in (PolicyEngine.java:0)
 * </pre>
 */
class ModuleBoundariesTest {
  private static final String ROOT = "io.orchestrationplane";

  /** Which modules each module may use. */
  private static final Map<String, Set<String>> MODULES = Map.of(
      "policy", Set.of(),
      "core", Set.of("policy"),
      "k8s", Set.of("core", "policy"),
      "micrometer", Set.of("core", "policy"),
      "gitops", Set.of("core", "policy"),
      "delivery", Set.of("core", "policy"),
      "testkit", Set.of("core", "k8s", "delivery", "policy"));

  private static JavaClasses classes;

  @BeforeAll
  static void importModules() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    assertThat(MODULES.keySet()).as("modules found on the class path")
        .allSatisfy(m -> assertThat(classes.stream().anyMatch(c -> module(c.getPackageName()).equals(m)))
            .as("classes of module %s", m).isTrue());
  }

  /** {@code core} for {@code io.orchestrationplane.core.plan.internal}. */
  static String module(String packageName) {
    String rest = packageName.substring(ROOT.length() + 1);
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }

  /**
   * {@code core.plan} for {@code io.orchestrationplane.core.plan.internal}; a module's root package
   * with its {@code internal} and {@code spi} subpackages is the capability named like the module.
   * An {@code spi} package belongs to the API it extends, as {@code java.nio.channels.spi} does: its
   * interfaces take the API's value types ({@code ParamResolver} a {@code ParamKind}) and the API
   * takes their implementations, so the two are one capability, not a cycle between two.
   */
  static String capability(String packageName) {
    String module = module(packageName);
    String rest = packageName.substring(ROOT.length() + 1 + module.length());
    if (rest.isEmpty() || rest.equals(".internal") || rest.equals(".spi")) {
      return module;
    }
    return module + "." + rest.substring(1).split("\\.")[0];
  }

  private static boolean ours(JavaClass c) {
    return c.getPackageName().startsWith(ROOT + ".");
  }

  @Test
  void modulesDependOneWayAndNeverOnAnotherModulesInternals() {
    Set<String> violations = new TreeSet<>();
    for (JavaClass c : classes) {
      String from = module(c.getPackageName());
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass target = d.getTargetClass();
        if (!ours(target)) {
          continue;
        }
        String to = module(target.getPackageName());
        if (to.equals(from)) {
          continue;
        }
        if (!MODULES.getOrDefault(from, Set.of()).contains(to)) {
          violations.add(from + " may not depend on " + to + " (allowed: " + new TreeSet<>(MODULES.get(from))
              + "):\n  " + d.getDescription());
        } else if (target.getPackageName().contains(".internal")) {
          violations.add(from + " uses an internal package of " + to + ":\n  " + d.getDescription());
        }
      }
    }
    assertThat(violations).as("dependencies across module boundaries").isEmpty();
  }

  @Test
  void capabilitiesWithinAModuleFormNoCycle() {
    Map<String, Set<String>> edges = new TreeMap<>();
    Map<String, String> example = new HashMap<>();
    for (JavaClass c : classes) {
      String from = capability(c.getPackageName());
      edges.computeIfAbsent(from, k -> new TreeSet<>());
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass target = d.getTargetClass();
        if (!ours(target) || !module(target.getPackageName()).equals(module(c.getPackageName()))) {
          continue;
        }
        String to = capability(target.getPackageName());
        if (!to.equals(from) && edges.get(from).add(to)) {
          example.put(from + "->" + to, d.getDescription());
        }
      }
    }
    List<String> cycles = new ArrayList<>();
    for (List<String> component : stronglyConnected(edges)) {
      if (component.size() > 1) {
        StringBuilder report = new StringBuilder("cycle between " + component + ":");
        for (String from : component) {
          for (String to : edges.get(from)) {
            if (component.contains(to)) {
              report.append("\n  ").append(example.get(from + "->" + to));
            }
          }
        }
        cycles.add(report.toString());
      }
    }
    assertThat(cycles).as("package cycles").isEmpty();
  }

  /** Tarjan's algorithm, iteration order fixed by the sorted maps so reports are stable. */
  private static List<List<String>> stronglyConnected(Map<String, Set<String>> edges) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<List<String>> result = new ArrayList<>();
    int[] counter = {0};
    for (String v : edges.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, edges, index, low, stack, onStack, result, counter);
      }
    }
    return result;
  }

  private static void connect(String v, Map<String, Set<String>> edges, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> result, int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]);
    counter[0]++;
    stack.push(v);
    onStack.add(v);
    for (String w : edges.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, edges, index, low, stack, onStack, result, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> component = new ArrayList<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      component.sort(null);
      result.add(component);
    }
  }
}
