package io.orchestrationplane.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared acceptance corpus, or skips the calling test with a message saying why. */
final class Corpus {
  private Corpus() {}

  /** The corpus sub-folder, e.g. {@code apps}; skips the test when it is absent. */
  static Path require(String folder) {
    String configured = System.getProperty("orchestration.corpus");
    Path dir = configured == null ? null : Path.of(configured).resolve(folder).normalize();
    assumeTrue(dir != null && Files.isDirectory(dir),
        "corpus folder '" + folder + "' not found (looked in " + dir + ", from -Dorchestration.corpus, "
            + "set by the build to ../shared/corpus beside the repository): skipping the corpus test");
    return dir;
  }
}
