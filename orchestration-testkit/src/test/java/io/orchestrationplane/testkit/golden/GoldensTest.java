package io.orchestrationplane.testkit.golden;

import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThat;
import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.testkit.Shop;
import io.orchestrationplane.testkit.junit.OrchestrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

@OrchestrationTest(clusters = "prod", startPlane = false, readinessGates = false)
class GoldensTest {

  @Test
  void aPlanMatchesItsGoldenFile(OrchestrationPlane plane) {
    assertThat(plane.plan(Shop.shop(2))).matchesGolden("plans/shop-create.txt");
  }

  @Test
  void renderedResourcesMatchTheirGoldenFile(OrchestrationPlane plane, InMemoryCluster prod) {
    Goldens.assertMatches("rendered/shop.yaml", Goldens.yaml(plane.render(Shop.shop(2)).get("default")));
    plane.apply(Shop.shop(2));
    assertThat(prod).hasResource("Service", "shop/api").matchesGolden("rendered/shop-api-service.yaml");
  }

  @Test
  void aDifferenceFailsWithAUnifiedDiffAndBothTexts(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("g.txt"), "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n");
    String actual = "one\ntwo\nthree\nfour\nFIVE\nsix\nseven\neight\nnine\nten\n";
    assertThatThrownBy(() -> Goldens.in(dir, false).matches(Path.of("g.txt"), actual))
        .isInstanceOfSatisfying(AssertionFailedError.class, e -> {
          assertThat(e.getMessage()).contains("actual text differs from golden file " + dir.resolve("g.txt"))
              .contains("-Dorchestration.updateGoldens=true")
              .contains("""
                  --- %s
                  +++ actual
                  @@ -2,8 +2,9 @@
                   two
                   three
                   four
                  -five
                  +FIVE
                   six
                   seven
                   eight
                   nine
                  +ten
                  """.formatted(dir.resolve("g.txt")));
          assertThat(e.getActual().getValue()).isEqualTo(actual);
        });
  }

  @Test
  void farApartDifferencesGetSeparateHunks(@TempDir Path dir) throws Exception {
    StringBuilder golden = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      golden.append("line ").append(i).append('\n');
    }
    Files.writeString(dir.resolve("g.txt"), golden);
    String actual = golden.toString().replace("line 2\n", "line two\n").replace("line 19\n", "");
    assertThatThrownBy(() -> Goldens.in(dir, false).matches(Path.of("g.txt"), actual))
        .hasMessageContaining("@@ -1,5 +1,5 @@\n line 1\n-line 2\n+line two\n line 3\n")
        .hasMessageContaining("@@ -16,5 +16,4 @@\n line 16\n line 17\n line 18\n-line 19\n line 20\n");
  }

  @Test
  void aMissingGoldenFileSaysHowToCreateIt(@TempDir Path dir) {
    assertThatThrownBy(() -> Goldens.in(dir, false).matches(Path.of("plans/new.txt"), "x\n"))
        .hasMessageContaining("golden file " + dir.resolve("plans/new.txt") + " does not exist; run the test with "
            + "-Dorchestration.updateGoldens=true");
  }

  @Test
  void updateModeWritesTheGoldenFileAndPasses(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("old.txt"), "stale\n");
    Goldens.in(dir, true).matches(Path.of("old.txt"), "fresh\n");
    Goldens.in(dir, true).matches(Path.of("sub/new.txt"), "created\n");

    assertThat(dir.resolve("old.txt")).hasContent("fresh");
    assertThat(dir.resolve("sub/new.txt")).hasContent("created");
    Goldens.in(dir, false).matches(Path.of("old.txt"), "fresh\n");
  }

  @Test
  void lineEndingsDoNotCount(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("crlf.txt"), "a\r\nb\r\n");
    Goldens.in(dir, false).matches(Path.of("crlf.txt"), "a\nb\n");
  }
}
