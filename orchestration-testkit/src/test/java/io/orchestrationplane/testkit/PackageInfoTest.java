package io.orchestrationplane.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

/**
 * Every package of the library's modules (all on this module's class path, the optional ones as
 * test dependencies) has a {@code package-info.java} and is {@link NullMarked}, so a user's nullness
 * checker reads every unannotated parameter and return value as non-null.
 */
class PackageInfoTest {
  private static final JavaClasses LIBRARY = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.orchestrationplane");

  @Test
  void everyPackageIsDocumentedAndNullMarked() {
    Set<String> packages = new TreeSet<>();
    LIBRARY.forEach(c -> packages.add(c.getPackageName()));
    assertThat(packages).contains("io.orchestrationplane.policy", "io.orchestrationplane.core",
        "io.orchestrationplane.k8s", "io.orchestrationplane.testkit", "io.orchestrationplane.testkit.junit.internal",
        "io.orchestrationplane.gitops", "io.orchestrationplane.gitops.fleet", "io.orchestrationplane.micrometer",
        "io.orchestrationplane.delivery", "io.orchestrationplane.delivery.analysis",
        "io.orchestrationplane.delivery.analysis.internal");

    Set<String> undocumented = new TreeSet<>();
    Set<String> notNullMarked = new TreeSet<>();
    for (String p : packages) {
      Optional<JavaClass> info = LIBRARY.stream().filter(c -> c.getName().equals(p + ".package-info")).findFirst();
      if (info.isEmpty()) {
        undocumented.add(p);
      } else if (!info.get().isAnnotatedWith(NullMarked.class)) {
        notNullMarked.add(p);
      }
    }
    assertThat(undocumented).as("packages without package-info.java").isEmpty();
    assertThat(notNullMarked).as("packages whose package-info.java is not @NullMarked").isEmpty();
  }
}
