package io.orchestrationplane.k8s;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;

/** Reads the shared acceptance corpus (never copied into the repository). */
final class Corpus {
  private Corpus() {}

  /** The corpus' apps folder; skips the calling test with a message when it is absent. */
  static Path appsOrSkip() {
    String root = System.getProperty("orchestration.corpus");
    Path apps = root == null ? null : Path.of(root, "apps");
    assumeTrue(apps != null && Files.isDirectory(apps),
        "corpus not found (system property orchestration.corpus=" + root
            + "): skipping the corpus tests; they need ../shared/corpus/apps beside the repository");
    return apps;
  }

  /** Every object of every YAML file under the folder, files in name order, documents in file order. */
  static List<Resource> manifests(Path folder) {
    List<Resource> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted().toList()) {
        try (MappingIterator<JsonNode> docs = Json.YAML.readerFor(JsonNode.class).readValues(Files.readString(file))) {
          while (docs.hasNext()) {
            JsonNode doc = docs.next();
            if (doc != null && doc.isObject() && !doc.isEmpty()) {
              out.add(Resource.of(doc));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
