package io.orchestrationplane.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.internal.Quantities;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A quantity the plane writes in one form and the API server returns in its canonical form is
 * no difference; a quantity of another value is. The rows are the parse and emit tables of
 * Kubernetes' {@code k8s.io/apimachinery/pkg/api/resource/quantity_test.go} (TestQuantityParse
 * with its negated and {@code +}-signed variants, TestQuantityString, TestQuantityParseEmit,
 * TestJSONWhitespace): the desired text as the plane sends it (a JSON string, or a JSON number),
 * and the canonical text the server stores for it ({@code Quantity.String()}).
 */
class QuantityStoredFormTest {

  /** {input, canonical form} from TestQuantityParse, the canonical text being the expected value's String(). */
  private static final String[][] PARSE = {
      {"0", "0"}, {"0n", "0"}, {"0u", "0"}, {"0m", "0"}, {"0Ki", "0"}, {"0k", "0"}, {"0Mi", "0"}, {"0M", "0"},
      {"0Gi", "0"}, {"0G", "0"}, {"0Ti", "0"}, {"0T", "0"},
      {"1", "1"},
      {"1Ki", "1Ki"}, {"8Ki", "8Ki"}, {"7Mi", "7Mi"}, {"6Gi", "6Gi"}, {"5Ti", "5Ti"}, {"4Pi", "4Pi"}, {"3Ei", "3Ei"},
      {"10Ti", "10Ti"}, {"100Ti", "100Ti"},
      {"5n", "5n"}, {"4u", "4u"}, {"3m", "3m"}, {"9", "9"}, {"8k", "8k"}, {"50k", "50k"}, {"7M", "7M"}, {"6G", "6G"},
      {"5T", "5T"}, {"40T", "40T"}, {"300T", "300T"}, {"2P", "2P"}, {"1E", "1E"},
      {"1E-3", "1e-3"}, {"1e3", "1e3"}, {"1E6", "1e6"}, {"1e9", "1e9"}, {"1E12", "1e12"}, {"1e15", "1e15"},
      {"1E18", "1e18"}, {"1e14", "100e12"}, {"1e13", "10e12"}, {"100.035k", "100035"},
      {"0.001", "1m"}, {"0.0005k", "500m"}, {"0.005", "5m"}, {"0.05", "50m"}, {"0.5", "500m"}, {"0.00050k", "500m"},
      {"0.00500", "5m"}, {"0.05000", "50m"}, {"0.50000", "500m"}, {"0.5e0", "500e-3"}, {"0.5e-1", "50e-3"},
      {"0.5e-2", "5e-3"}, {"10.035M", "10035k"},
      {"1.2e3", "1200"}, {"1.3E+6", "1300e3"}, {"1.40e9", "1400e6"}, {"1.53E12", "1530e9"}, {"1.6e15", "1600e12"},
      {"1.7E18", "1700e15"},
      {"9.01", "9010m"}, {"8.1k", "8100"}, {"7.123456M", "7123456"}, {"6.987654321G", "6987654321"},
      {"5.444T", "5444G"}, {"40.1T", "40100G"}, {"300.2T", "300200G"}, {"2.5P", "2500T"}, {"1.01E", "1010P"},
      // things that saturate or round: up to the next nano unit, away from zero; binary values capped at 2^63-1
      {"3.001n", "4n"}, {"1.1E-9", "2e-9"}, {"0.0000000001", "1n"}, {"0.0000000005", "1n"}, {"0.00000000050", "1n"},
      {"0.5e-9", "1e-9"}, {"0.9n", "1n"}, {"0.00000012345", "124n"}, {"0.00000012354", "124n"},
      {"9Ei", "9223372036854775807"}, {"9223372036854775807Ki", "9223372036854775807"}, {"12E", "12E"},
      {"100.035Ki", "102435840m"}, {"0.5Mi", "512Ki"}, {"0.05Gi", "53687091200m"}, {"0.025Ti", "27487790694400m"},
      {"0.000000000001Ki", "2n"}, {".001", "1m"}, {".0001k", "100m"}, {"1.", "1"}, {"1.G", "1G"},
  };

  /** {alternate form, canonical form} from TestQuantityString and TestQuantityParseEmit. */
  private static final String[][] EMIT = {
      {"1024Mi", "1Gi"}, {"307200Ki", "300Mi"}, {"1025024Mi", "1001Gi"}, {"1024Gi", "1Ti"}, {"5000m", "5"},
      {"0.5", "500m"}, {"1000M", "1G"}, {"0.001T", "1G"}, {"1000u", "1m"}, {"1.08", "1080m"},
      {"1080000000n", "1080m"}, {".001e12", "1e9"}, {"0.001e0", "1e-3"}, {"1000e-12", "1e-9"}, {"00", "0"},
      {".001Ki", "1024m"}, {".000001Ki", "1024u"}, {".000000001Ki", "1024n"}, {".000000000001Ki", "2n"},
      {"1025", "1025"}, {"1234567m", "1234567m"}, {"6Ki", "6Ki"},
      // the quantities of everyday manifests
      {"0.1", "100m"}, {"0.25", "250m"}, {"1000m", "1"}, {"1.5Gi", "1536Mi"}, {"0.0001", "100u"},
      {"2048Ki", "2Mi"}, {"1e3", "1e3"}, {"1000", "1k"},
  };

  static Stream<Arguments> sameQuantity() {
    List<Arguments> rows = new ArrayList<>();
    for (String[] row : PARSE) {
      rows.add(Arguments.of(json(row[0]), row[1]));
      if (!row[1].equals("0")) {
        rows.add(Arguments.of(json("-" + row[0]), "-" + row[1]));
      }
      rows.add(Arguments.of(json("+" + row[0]), row[1]));
    }
    for (String[] row : EMIT) {
      rows.add(Arguments.of(json(row[0]), row[1]));
      if (!row[1].equals("0")) {
        rows.add(Arguments.of(json("-" + row[0]), "-" + row[1]));
      }
    }
    // TestJSONWhitespace: the API server trims a quantity's JSON text and reads a JSON number as its text
    for (String[] row : new String[][] {{"\" 1\"", "1"}, {"\"1 \"", "1"}, {"1", "1"}, {"10", "10"}, {"-1", "-1"},
        {"\"\\t250m\\n\"", "250m"}}) {
      rows.add(Arguments.of(row[0], row[1]));
    }
    // JSON numbers, as a manifest gives them unquoted
    for (String[] row : new String[][] {{"0.5", "500m"}, {"0.1", "100m"}, {"1e3", "1e3"}, {"1E3", "1e3"},
        {"2.5e-1", "250e-3"}, {"1024", "1024"}, {"-0.5", "-500m"}, {"0", "0"}, {"0.0001", "100u"},
        {"123456789012345678901234", "123456789012345678901234"}}) {
      rows.add(Arguments.of(row[0], row[1]));
    }
    return rows.stream();
  }

  /** {desired, a stored value that differs from it}. */
  static Stream<Arguments> realChange() {
    return Stream.of(
        Arguments.of(json("500m"), "501m"),
        Arguments.of(json("0.5"), "5"),
        Arguments.of(json("1Gi"), "1G"),
        Arguments.of(json("1024Mi"), "1025Mi"),
        Arguments.of(json("1e3"), "1e4"),
        Arguments.of(json("-1"), "1"),
        Arguments.of(json("+1"), "-1"),
        Arguments.of(json("0.0000000001"), "0"),
        Arguments.of(json("3.001n"), "3n"),
        Arguments.of(json("9Ei"), "4Ei"),
        Arguments.of(json("8Ei"), "9223372036854775806"),
        Arguments.of(json(" 1"), "2"),
        Arguments.of(json("1 x"), "1"),
        Arguments.of("0.5", "400m"),
        Arguments.of("1e400", "1e400"), // beyond a double: no quantity the plane can send, so never equal
        Arguments.of("1e400", "1"),
        Arguments.of("1e3", "1k1"));
  }

  @ParameterizedTest(name = "{0} is stored as {1}")
  @MethodSource("sameQuantity")
  void theStoredFormIsNoDifference(String desired, String stored) {
    assertThat(Planner.diff(sizeLimit(desired), sizeLimit(json(stored)))).isEmpty();
  }

  /**
   * The stored form a test cluster writes ({@code InMemoryCluster.builder(..).storedForm(true)}) is
   * the server's canonical text, for every quantity sent as a JSON string.
   */
  @ParameterizedTest(name = "{0} is written {1}")
  @MethodSource("sameQuantity")
  void testClustersWriteTheCanonicalText(String desired, String stored) {
    JsonNode sent = Json.readJson(desired);
    Assumptions.assumeTrue(sent.isString(), "a JSON number is sent as Jackson writes it");
    assertThat(Quantities.parse(sent)).isNotNull().extracting(Quantities.Quantity::canonical).isEqualTo(stored);
  }

  @ParameterizedTest(name = "{0} against {1}")
  @MethodSource("realChange")
  void anotherValueIsADifference(String desired, String stored) {
    assertThat(Planner.diff(sizeLimit(desired), sizeLimit(json(stored)))).extracting(FieldDiff::path)
        .containsExactly("spec.template.spec.volumes[name=scratch].emptyDir.sizeLimit");
  }

  /**
   * The values of a built-in kind's resource list are also rounded up to milli units, away from
   * zero (kubernetes pkg/apis/core/v1/defaults.go, SetDefaults_ResourceList; apimachinery's
   * TestQuantityRoundUp for the direction).
   */
  @ParameterizedTest(name = "{0} in a resource list is stored as {1}")
  @CsvSource({
      "'\"0.0001\"', 1m", "'\"100u\"', 1m", "'\"5n\"', 1m", "'\"3.001n\"', 1m", "'\"0.00000012345\"', 1m",
      "'\"1.0001\"', 1001m", "'\"9.0001\"', 9001m", "'\"-0.0001\"', -1m", "'\"-9.0001\"', -9001m",
      "'\"1m\"', 1m", "'\"0.5\"', 500m", "'\"1.5Gi\"', 1536Mi", "'\"0.000000000001Ki\"', 1m",
      "'\".001Ki\"', 1024m", "'\".000001Ki\"', 2m", "0.0001, 1m", "1.0001, 1001m"})
  void resourceListsKeepMilliUnits(String desired, String stored) {
    assertThat(Planner.diff(limits("apps/v1", desired), limits("apps/v1", json(stored)))).isEmpty();
  }

  @ParameterizedTest(name = "{0} in a resource list against {1}")
  @CsvSource({"'\"0.0001\"', 2m", "'\"1.0011\"', 1001m", "'\"-0.0001\"', 1m", "'\"1m\"', 0", "'\"1.0001\"', 1"})
  void resourceListsStillDifferInMilliUnits(String desired, String stored) {
    assertThat(Planner.diff(limits("apps/v1", desired), limits("apps/v1", json(stored)))).extracting(FieldDiff::path)
        .containsExactly("spec.template.spec.containers[name=app].resources.limits.memory");
  }

  @ParameterizedTest(name = "a custom resource keeps {0}, so {1} differs")
  @CsvSource({"'\"0.0001\"', 1m", "'\"5n\"', 1m"})
  void customResourcesAreNotRoundedToMilliUnits(String desired, String stored) {
    assertThat(Planner.diff(limits("example.com/v1", desired), limits("example.com/v1", json(stored))))
        .extracting(FieldDiff::path)
        .containsExactly("spec.template.spec.containers[name=app].resources.limits.memory");
  }

  private static String json(String text) {
    return '"' + text + '"';
  }

  /** A Deployment with an emptyDir volume of size limit {@code quantity} (raw JSON), a quantity outside a resource list. */
  private static Resource sizeLimit(String quantity) {
    return Resource.fromJson("""
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "app", "namespace": "shop"},
         "spec": {"selector": {"matchLabels": {"app": "app"}}, "template": {"metadata": {"labels": {"app": "app"}},
          "spec": {"containers": [{"name": "app", "image": "acme/app:1"}],
           "volumes": [{"name": "scratch", "emptyDir": {"sizeLimit": %s}}]}}}}
        """.formatted(quantity));
  }

  /** A Deployment-shaped object of {@code apiVersion} whose container's memory limit is {@code quantity}, raw JSON. */
  private static Resource limits(String apiVersion, String quantity) {
    return Resource.fromJson("""
        {"apiVersion": "%s", "kind": "Deployment", "metadata": {"name": "app", "namespace": "shop"},
         "spec": {"selector": {"matchLabels": {"app": "app"}}, "template": {"metadata": {"labels": {"app": "app"}},
          "spec": {"containers": [{"name": "app", "image": "acme/app:1",
           "resources": {"limits": {"memory": %s}}}]}}}}
        """.formatted(apiVersion, quantity));
  }
}
