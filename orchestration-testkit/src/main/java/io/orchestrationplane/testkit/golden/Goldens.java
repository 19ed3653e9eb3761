package io.orchestrationplane.testkit.golden;

import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.testkit.golden.internal.UnifiedDiff;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Objects;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Golden files: compares rendered text (a plan's {@code toText()}, resources' YAML) with a file
 * kept in the source tree, and on a difference fails with a unified diff. Run the tests with
 * {@code -Dorchestration.updateGoldens=true} to (re)write every golden file from what the code
 * produces now, then review the change with {@code git diff}.
 *
 * <pre>{@code
 * Goldens.assertMatches("plans/shop.txt", plane.plan(app).toText());  // src/test/resources/plans/shop.txt
 * Goldens.assertMatches("rendered/shop.yaml", Goldens.yaml(plane.render(app).get("default")));
 * }</pre>
 *
 * <p>Relative paths are resolved against {@code src/test/resources} of the module under test
 * (Maven runs tests in the module's directory); the files are read from the source tree, not the
 * class path, so an update lands where it is committed. Line endings are compared as {@code \n}.
 */
public final class Goldens {
  /** The system property that turns on update mode. */
  public static final String UPDATE_PROPERTY = "orchestration.updateGoldens";
  /** Where relative golden paths are resolved by default. */
  public static final Path DEFAULT_ROOT = Path.of("src", "test", "resources");
  private static final Logger LOG = LoggerFactory.getLogger(Goldens.class);

  private final Path root;
  private final boolean update;

  private Goldens(Path root, boolean update) {
    this.root = Objects.requireNonNull(root, "root");
    this.update = update;
  }

  /** Golden files under {@code root}, updating them when the system property says so. */
  public static Goldens in(Path root) {
    return new Goldens(root, Boolean.getBoolean(UPDATE_PROPERTY));
  }

  /** Golden files under {@code root}, in update mode or not regardless of the system property. */
  public static Goldens in(Path root, boolean update) {
    return new Goldens(root, update);
  }

  /** {@link #matches} with the golden file at {@code path} under {@code src/test/resources}. */
  public static void assertMatches(String path, String actual) {
    in(DEFAULT_ROOT).matches(Path.of(path), actual);
  }

  /** {@link #matches} with the golden file at {@code path} (relative: under {@code src/test/resources}). */
  public static void assertMatches(Path path, String actual) {
    in(DEFAULT_ROOT).matches(path, actual);
  }

  /** Resources as one YAML stream in the given order, separated by {@code ---}, for golden files. */
  public static String yaml(Collection<Resource> resources) {
    return resources.stream().map(Resource::toYaml).map(y -> y.startsWith("---") ? y.substring(y.indexOf('\n') + 1) : y)
        .collect(Collectors.joining("---\n", "---\n", ""));
  }

  /**
   * Passes when the golden file holds exactly {@code actual}; otherwise fails with a unified diff
   * (an {@link AssertionFailedError} carrying both texts, so IDEs show them side by side). A missing
   * file fails with how to create it. In update mode the file is written instead and the check passes.
   */
  public void matches(Path path, String actual) {
    Objects.requireNonNull(actual, "actual");
    Path file = path.isAbsolute() ? path : root.resolve(path);
    if (update) {
      write(file, actual);
      return;
    }
    if (!Files.exists(file)) {
      throw new AssertionFailedError("golden file " + file + " does not exist; run the test with -D" + UPDATE_PROPERTY
          + "=true to create it from the actual text:\n" + actual);
    }
    String expected;
    try {
      expected = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read golden file " + file, e);
    }
    String diff = UnifiedDiff.of(file.toString(), expected, "actual", actual);
    if (!diff.isEmpty()) {
      throw new AssertionFailedError("actual text differs from golden file " + file + " (rerun with -D"
          + UPDATE_PROPERTY + "=true to accept it):\n" + diff, expected, actual);
    }
  }

  private static void write(Path file, String actual) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(actual)) {
        return;
      }
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      LOG.info("updated golden file {}", file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write golden file " + file, e);
    }
  }
}
