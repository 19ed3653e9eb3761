package io.orchestrationplane.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.resource.Resource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs the built-in assessors over the real cases in {@code corpus/health/expected.tsv} (Argo CD
 * fixtures; see the corpus SOURCE.md) and requires every expected status.
 */
class HealthCorpusConformanceTest {

  private static Path corpus() {
    String dir = System.getProperty("orchestration.corpus");
    return dir == null ? null : Path.of(dir, "health");
  }

  @Test
  void everyCorpusCaseGetsItsExpectedHealth() throws IOException {
    Path dir = corpus();
    Assumptions.assumeTrue(dir != null && Files.isRegularFile(dir.resolve("expected.tsv")),
        "health corpus not found (system property orchestration.corpus=" + System.getProperty("orchestration.corpus")
            + "): skipping the health conformance test");
    HealthAssessors assessors = HealthAssessors.defaults();
    List<String> lines = Files.readAllLines(dir.resolve("expected.tsv"), StandardCharsets.UTF_8);
    List<String> failures = new ArrayList<>();
    int passed = 0;
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] cols = line.split("\t");
      String file = cols[0];
      Health expected = Health.valueOf(cols[1].toUpperCase(Locale.ROOT));
      HealthStatus actual;
      try {
        // Read as Argo CD's own test reads its fixtures: one of them repeats a key, which the
        // plane's strict reader (rightly) refuses; health is what is compared here.
        actual = assessors.assess(Resource.of(io.orchestrationplane.core.resource.Json.YAML.readTree(
            Files.readString(dir.resolve(file), StandardCharsets.UTF_8))));
      } catch (RuntimeException e) {
        failures.add(file + ": expected " + expected + " but reading failed: " + e);
        continue;
      }
      if (actual.health() == expected) {
        passed++;
      } else {
        failures.add(file + ": expected " + expected + " but got " + actual);
      }
    }
    System.out.println("health corpus: " + passed + " passed, " + failures.size() + " failed");
    failures.forEach(f -> System.out.println("  FAILED " + f));
    assertThat(failures).isEmpty();
    assertThat(passed).as("cases run").isGreaterThanOrEqualTo(46);
  }
}
