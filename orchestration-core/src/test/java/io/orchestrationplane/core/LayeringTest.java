package io.orchestrationplane.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The floor plan of orchestration-core, enforced: each capability (a package with its {@code
 * internal} subpackage) may depend only on the capabilities {@link #ALLOWED} lists for it, so
 * the packages depend one way, from the facade down to the vocabulary. A back-edge fails the
 * build naming the classes and the line, for example after making {@code ResourceKey} refer to
 * {@code Plan}:
 *
 * <pre>
 * core.resource may not depend on core.plan (allowed: []):
 *   Method &lt;io.orchestrationplane.core.resource.ResourceKey.plan()&gt; has return type
 *   &lt;io.orchestrationplane.core.plan.Plan&gt; in (ResourceKey.java:0)
 * </pre>
 *
 * To add a dependency, add it to the table below and say why in docs/architecture.md.
 */
class LayeringTest {
  private static final String CORE = "io.orchestrationplane.core";

  /**
   * Who may depend on whom, bottom up. {@code core} is the facade (the root package) and {@code
   * core.internal} its implementation; each other name stands for the package and its
   * {@code internal} subpackage.
   */
  static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      Map.entry("core.time", Set.of()),
      Map.entry("core.resource", Set.of()),
      Map.entry("core.state", Set.of("core.resource")),
      Map.entry("core.model", Set.of("core.resource")),
      Map.entry("core.cluster", Set.of("core.resource")),
      Map.entry("core.health", Set.of("core.resource", "core.cluster")),
      Map.entry("core.kind", Set.of("core.resource", "core.health")),
      Map.entry("core.render", Set.of("core.resource", "core.model", "core.kind")),
      Map.entry("core.validate", Set.of("core.resource", "core.model", "core.cluster", "core.render")),
      Map.entry("core.reconcile", Set.of("core.resource", "core.cluster", "core.time")),
      Map.entry("core.plan", Set.of("core.resource", "core.model", "core.cluster", "core.kind")),
      Map.entry("core.admit", Set.of("core.resource", "core.cluster", "core.plan")),
      Map.entry("core.apply", Set.of("core.resource", "core.cluster", "core.plan")),
      Map.entry("core.status", Set.of("core.resource", "core.health", "core.plan", "core.apply", "core.time")),
      Map.entry("core.observe", Set.of("core.resource", "core.plan", "core.apply")),
      Map.entry("core.release", Set.of("core.resource", "core.state", "core.model", "core.plan", "core.observe")),
      Map.entry("core.audit", Set.of("core.time", "core.resource", "core.reconcile", "core.plan", "core.apply",
          "core.observe")),
      Map.entry("core.access", Set.of("core.resource", "core.model", "core.kind", "core.observe")),
      Map.entry("core.internal", Set.of("core.time", "core.resource", "core.state", "core.model", "core.cluster",
          "core.health", "core.kind", "core.render", "core.validate", "core.reconcile", "core.plan", "core.admit",
          "core.apply", "core.status", "core.observe", "core.release", "core.access")),
      Map.entry("core", Set.of("core.time", "core.resource", "core.state", "core.model", "core.cluster", "core.health",
          "core.kind", "core.render", "core.validate", "core.reconcile", "core.plan", "core.admit", "core.apply",
          "core.status", "core.observe", "core.release", "core.access", "core.internal")));

  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(CORE);
  }

  /** {@code core.plan} for {@code io.orchestrationplane.core.plan.internal}, {@code core} for the root. */
  static String capability(String packageName) {
    String rest = packageName.equals(CORE) ? "" : packageName.substring(CORE.length() + 1);
    List<String> parts = List.of(rest.split("\\."));
    if (rest.isEmpty()) {
      return "core";
    }
    return parts.get(0).equals("internal") ? "core.internal" : "core." + parts.get(0);
  }

  @Test
  void everyCapabilityDependsOnlyOnThoseBelowIt() {
    Set<String> violations = new TreeSet<>();
    for (JavaClass c : core) {
      String from = capability(c.getPackageName());
      Set<String> allowed = ALLOWED.get(from);
      if (allowed == null) {
        violations.add(from + " is not in the floor plan: add it to LayeringTest.ALLOWED (" + c.getName() + ")");
        continue;
      }
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String target = d.getTargetClass().getPackageName();
        if (!target.startsWith(CORE)) {
          continue;
        }
        String to = capability(target);
        if (!to.equals(from) && !allowed.contains(to)) {
          violations.add(from + " may not depend on " + to + " (allowed: " + new TreeSet<>(allowed) + "):\n  "
              + d.getDescription());
        }
      }
    }
    assertThat(violations).as("dependencies against the floor plan").isEmpty();
  }

  @Test
  void noPackageCycles() {
    EvaluationResult result = SlicesRuleDefinition.slices().matching(CORE + ".(*)..").should().beFreeOfCycles()
        .evaluate(core);
    assertThat(result.getFailureReport().getDetails()).isEmpty();
  }

  @Test
  void coreUsesNeitherKubernetesClientsNorPolicyInternals() {
    Set<String> violations = new TreeSet<>();
    for (JavaClass c : core) {
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String target = d.getTargetClass().getPackageName();
        if (target.startsWith("io.fabric8") || target.startsWith("io.orchestrationplane.policy.internal")
            || target.startsWith("io.orchestrationplane.k8s") || target.startsWith("io.orchestrationplane.testkit")
            || target.startsWith("dev.cel")) {
          violations.add(d.getDescription());
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void everyPackageSaysWhatItIsFor() {
    Set<String> packages = new TreeSet<>();
    core.forEach(c -> packages.add(c.getPackageName()));
    Set<String> undocumented = new TreeSet<>();
    for (String p : packages) {
      if (core.stream().noneMatch(c -> c.getName().equals(p + ".package-info"))) {
        undocumented.add(p);
      }
    }
    assertThat(undocumented).as("packages without package-info.java").isEmpty();
  }
}
