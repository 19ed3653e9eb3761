package io.orchestrationplane.jdbc;

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
 * orchestration-jdbc's boundaries, checked here because this module is built after the testkit
 * (its tests run the testkit's StateStoreContract), so the testkit's ModuleBoundariesTest and
 * PackageInfoTest cannot see it: its main classes use core's public API only (no {@code internal}
 * package, no other module of ours), {@code java.sql}/{@code javax.sql} and no JDBC driver; every
 * package has a {@code package-info.java} and is {@link NullMarked}.
 */
class JdbcModuleBoundariesTest {
  private static final JavaClasses JDBC = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.orchestrationplane.jdbc");

  @Test
  void dependsOnCoresPublicApiAndTheJdkOnly() {
    Set<String> violations = new TreeSet<>();
    for (JavaClass c : JDBC) {
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String target = d.getTargetClass().getPackageName();
        boolean ours = target.startsWith("io.orchestrationplane.");
        boolean allowed = target.startsWith("io.orchestrationplane.jdbc")
            || (target.startsWith("io.orchestrationplane.core") && !target.contains(".internal"))
            || (!ours && (target.startsWith("java.") || target.startsWith("javax.sql") || target.equals("javax.sql")
                || target.startsWith("org.jspecify") || target.startsWith("org.slf4j")
                || target.startsWith("tools.jackson.databind") || d.getTargetClass().isPrimitive()
                || d.getTargetClass().isArray()));
        if (!allowed) {
          violations.add(d.getDescription());
        }
      }
    }
    assertThat(violations).as("dependencies of orchestration-jdbc outside core's public API and the JDK").isEmpty();
  }

  @Test
  void everyPackageIsDocumentedAndNullMarked() {
    Set<String> packages = new TreeSet<>();
    JDBC.forEach(c -> packages.add(c.getPackageName()));
    assertThat(packages).contains("io.orchestrationplane.jdbc", "io.orchestrationplane.jdbc.internal");
    for (String p : packages) {
      assertThat(JDBC.stream().filter(c -> c.getName().equals(p + ".package-info"))
          .anyMatch(c -> c.isAnnotatedWith(NullMarked.class))).as("%s has a @NullMarked package-info", p).isTrue();
    }
  }
}
