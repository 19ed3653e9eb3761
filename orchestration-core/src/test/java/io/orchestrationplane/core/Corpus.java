package io.orchestrationplane.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the shared acceptance corpus, or skips the calling test with a message saying why. */
final class Corpus {
  private Corpus() {}

  /** The corpus sub-folder, e.g. {@code apps}, when it exists. */
  static Optional<Path> find(String folder) {
    String configured = System.getProperty("orchestration.corpus");
    Path dir = configured == null ? null : Path.of(configured).resolve(folder).normalize();
    return dir != null && Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
  }

  /** Skips the running test, saying where the corpus was looked for. */
  static void skipBecauseAbsent(String folder) {
    String message = "SKIPPED: corpus folder '" + folder + "' not found under "
        + System.getProperty("orchestration.corpus") + " (-Dorchestration.corpus; the build sets it to "
        + "../shared/corpus beside the repository)";
    System.out.println(message);
    assumeTrue(false, message);
  }
}
