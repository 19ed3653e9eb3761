package io.orchestrationplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

/**
 * The testkit's {@code ModuleBoundariesTest} and {@code PackageInfoTest} cannot see this module
 * (it is downstream of the testkit), so the same rules are checked here: the CLI uses the
 * library only through its public API (policy, core, k8s; never an {@code internal} package, never
 * the testkit), {@code cli} does not depend on {@code cli.internal}'s commands except through
 * {@code Cli}, and every package has a {@code @NullMarked} {@code package-info.java}.
 */
class CliBoundariesTest {
  private static final JavaClasses CLI = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.orchestrationplane.cli");
  private static final Set<String> ALLOWED_MODULES = Set.of("cli", "core", "policy", "k8s");

  @Test
  void theCliUsesOnlyThePublicApiOfPolicyCoreAndKubernetes() {
    assertThat(CLI.size()).isGreaterThan(10);
    Set<String> violations = new TreeSet<>();
    for (JavaClass c : CLI) {
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String target = d.getTargetClass().getPackageName();
        if (!target.startsWith("io.orchestrationplane.")) {
          continue;
        }
        String module = target.substring("io.orchestrationplane.".length()).split("\\.")[0];
        if (!ALLOWED_MODULES.contains(module)) {
          violations.add("cli may not depend on " + module + ": " + d.getDescription());
        } else if (!module.equals("cli") && target.contains(".internal")) {
          violations.add("cli uses an internal package of " + module + ": " + d.getDescription());
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void thePublicPackageReachesTheCommandsOnlyThroughCli() {
    Set<String> violations = new TreeSet<>();
    for (JavaClass c : CLI) {
      if (!c.getPackageName().equals("io.orchestrationplane.cli")) {
        continue;
      }
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass t = d.getTargetClass();
        if (t.getPackageName().equals("io.orchestrationplane.cli.internal") && !t.getSimpleName().equals("Cli")) {
          violations.add(d.getDescription());
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void everyPackageIsDocumentedAndNullMarked() {
    Set<String> packages = new TreeSet<>();
    CLI.forEach(c -> packages.add(c.getPackageName()));
    assertThat(packages).containsExactly("io.orchestrationplane.cli", "io.orchestrationplane.cli.internal");
    for (String p : packages) {
      assertThat(CLI.stream().filter(c -> c.getName().equals(p + ".package-info")).findFirst())
          .as("package-info of %s", p).hasValueSatisfying(info -> assertThat(info.isAnnotatedWith(NullMarked.class)).isTrue());
    }
  }
}
